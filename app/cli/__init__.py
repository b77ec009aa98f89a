"""flask commands. They call the same services as the views and commit once each."""
import os
import sys
import time

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.services import check_password_rules, hash_password, normalize_email, user_by_email
from app.accounts.two_factor import demo_code
from app.audit import chain
from app.audit.services import record
from app.choices import PlatformRole
from app.cli import backup
from app.database import checkpoint_sqlite
from app.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET, holds_real_accounts, load_demo
from app.errors import RuleError
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import deliver, take_queued_ids
from app.notifications.services import closing_reminders, digests
from app.opendata.commands import opendata_commands
from app.responses.deadlines import deadline_reminders


def register_cli(app: Flask) -> None:
    """The flask commands, in groups."""
    for group in (_audit_commands(), _backup_commands(), _mail_commands(), _demo_commands(app), _users_commands(),
                  _notifications_commands(), opendata_commands()):
        app.cli.add_command(group)


def _audit_commands() -> AppGroup:
    audit = AppGroup("audit", help="The audit log.")

    @audit.command("verify")
    def audit_verify():
        """Walk the audit log's hash chain; name the first entry that was changed or removed (exit 1)."""
        checked, broken = chain.verify()
        if broken:
            click.echo(f"audit log BROKEN after {checked} good entries: {broken}")
            sys.exit(1)
        click.echo(f"audit log intact: {checked} entries, each chained to the one before")

    return audit


def _backup_commands() -> AppGroup:
    backup_group = AppGroup("backup", help="Backups of the database and their restore.")

    @backup_group.command("create")
    @click.argument("path")
    def backup_create(path):
        """Back the database up to PATH while the site runs (pg_dump; SQLite's online backup)."""
        try:
            rows = backup.create(path)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        size = os.path.getsize(path)
        held = f", {sum(rows.values())} rows" if rows is not None else ""
        click.echo(f"backup written to {path} ({size} bytes{held})")

    @backup_group.command("restore")
    @click.argument("path")
    def backup_restore(path):
        """Restore the backup at PATH into the database in use, which must be empty; then check it."""
        try:
            rows = backup.restore(path)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        checked, broken = chain.verify()
        dossiers, wrong = backup.check_dossiers()
        click.echo(f"restored {sum(rows.values())} rows in {len(rows)} tables; audit chain "
                   f"{'intact' if not broken else 'BROKEN: ' + broken} ({checked} entries); "
                   f"{dossiers} dossier hash(es) checked, {len(wrong)} wrong")
        if broken or wrong:
            sys.exit(1)

    return backup_group


def _mail_commands() -> AppGroup:
    mail = AppGroup("mail", help="The outbox of email messages.")

    @mail.command("send")
    def mail_send():
        """Send every message that is due, retrying earlier failures."""
        sent, failed = deliver()
        click.echo(f"sent {sent}, failed {failed}")
        if failed:
            sys.exit(1)

    @mail.command("status")
    def mail_status():
        """How many messages wait, how many of them failed before, and the last error of the latest failed
        ones (at most 20 listed: after a reminder to the whole alliance thousands may wait)."""
        unsent = OutboxMessage.sent_at.is_(None)
        waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(unsent))
        failed = select(OutboxMessage).where(unsent, OutboxMessage.attempts > 0)
        click.echo(f"{waiting} message(s) waiting, "
                   f"{db.session.scalar(select(func.count()).select_from(failed.subquery()))} of them failed before")
        for message in db.session.scalars(failed.order_by(OutboxMessage.id.desc()).limit(20)):
            click.echo(f"  #{message.id} to {message.recipient}: {message.attempts} attempt(s) {message.last_error}")

    return mail


def _demo_commands(app: Flask) -> AppGroup:
    demo = AppGroup("demo", help="Demo data for development.")

    @demo.command("load")
    def demo_load():
        """Load the demo alliance (idempotent). Refused in production."""
        if app.config["ENV_NAME"] == "production":
            raise click.ClickException("Demo data is for development only (set SANAD_ENV=development).")
        if holds_real_accounts():
            raise click.ClickException("This database has accounts that are not demo accounts: refusing to add "
                                       "demo logins with a known password to it.")
        created = load_demo()
        db.session.commit()
        click.echo(f"demo data: {created} new record(s); every demo account's password is {DEMO_PASSWORD!r}")

    @demo.command("logins")
    @click.option("--port", type=int, default=5000, show_default=True, help="The port the site is served on.")
    def demo_logins(port):
        """Print the site's address and the demo logins. `make run` shows them before serving."""
        click.echo(f"\n  Sanad is starting on http://127.0.0.1:{port}/\n")
        click.echo(f"  Demo logins (password for all: {DEMO_PASSWORD}, development only):")
        for email, role in DEMO_LOGINS:
            click.echo(f"    {email:<26} {role}")
        click.echo("\n  Admins, coordinators and reviewers also need a code (two-step login). Print it with\n"
                   "    SANAD_ENV=development .venv/bin/flask demo totp coordinator@example.org\n"
                   f"  or add the key {DEMO_TOTP_SECRET} to an authenticator app.")
        click.echo()

    @demo.command("totp")
    @click.argument("email")
    def demo_totp(email):
        """Print the current two-step login code of a demo account (development only)."""
        if app.config["ENV_NAME"] == "production":
            raise click.ClickException("Demo codes are for development only.")
        user = user_by_email(email)
        if user is None or user.totp_secret != DEMO_TOTP_SECRET or not user.has_second_factor:
            raise click.ClickException(f"{email} is not a demo account with two-step login.")
        click.echo(demo_code(DEMO_TOTP_SECRET))

    return demo


def _users_commands() -> AppGroup:
    users = AppGroup("users", help="Accounts.")

    @users.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Administrator")
    def create_admin(email, name):
        """Create the first admin account; the password is read from SANAD_ADMIN_PASSWORD or asked for."""
        password = os.environ.get("SANAD_ADMIN_PASSWORD") or click.prompt(
            "Password", hide_input=True, confirmation_prompt=True)
        try:
            check_password_rules(password, (email, name))
        except RuleError as rule:
            raise click.ClickException(str(rule)) from None
        if user_by_email(email) is not None:
            raise click.ClickException("An account with this email already exists.")
        user = User(email=normalize_email(email), name=name, password_hash=hash_password(password),
                    platform_role=PlatformRole.ADMIN)
        db.session.add(user)
        db.session.flush()
        record(None, "admin_created_from_cli", user)
        db.session.commit()
        click.echo(f"admin {user.email} created")

    return users


def _each_batch_committed(batches) -> int:
    """Commit after each batch a job yields, and move SQLite's write-ahead log into the database, so the site's
    writes never wait behind the whole run; returns the sum of what the batches report (people told, emails)."""
    total = 0
    for count in batches:
        db.session.commit()
        checkpoint_sqlite()
        total += count
    db.session.commit()
    return total


def _write_then_send(batches, done: str) -> None:
    """Write what the batches tell, each batch committed, then send the mail queued; say how many and how long."""
    started = time.monotonic()
    told = _each_batch_committed(batches)
    written = time.monotonic() - started
    sent, failed = _deliver_queued()
    click.echo(f"{told} {done} in {written:.1f} s, {sent} email(s) sent, {failed} failed (left in the outbox), "
               f"{time.monotonic() - started:.1f} s in all")


def _deliver_queued(chunk: int = 200) -> tuple[int, int]:
    """Send what this command queued, a chunk of messages at a time (never one IN list of them all)."""
    ids, sent, failed = take_queued_ids(), 0, 0
    for start in range(0, len(ids), chunk):
        done, not_done = deliver(ids[start:start + chunk], limit=chunk)
        checkpoint_sqlite()
        sent, failed = sent + done, failed + not_done
    return sent, failed


def _notifications_commands() -> AppGroup:
    notifications = AppGroup("notifications", help="Digests and deadline reminders (run from cron).")

    @notifications.command("digest")
    def notifications_digest():
        """Email each person who chose the daily digest what is new for them (run once a day)."""
        started = time.monotonic()
        count = _each_batch_committed(digests())
        sent, failed = _deliver_queued()
        click.echo(f"{count} digest(s) written, {sent} sent, {failed} failed (left in the outbox), "
                   f"{time.monotonic() - started:.1f} s in all")

    @notifications.command("remind")
    def notifications_remind():
        """Tell the alliance about consultations closing within 48 hours (run every hour). Commits a batch of
        people at a time, so the site's writes never wait behind the whole run."""
        _write_then_send(closing_reminders(), "reminder(s) written")

    @notifications.command("deadlines")
    def notifications_deadlines():
        """Remind each institution's reviewers of its deadlines: a few days before the date to acknowledge receipt
        and the date for answers, and once after each while the work is not done (run daily). Each reminder once;
        a batch of deadlines committed at a time, at most a thousand a run (the next run goes on)."""
        _write_then_send(deadline_reminders(), "reviewer(s) reminded")

    return notifications
