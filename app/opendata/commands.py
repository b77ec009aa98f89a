"""flask opendata build: the bulk download made again when the public data changed (run from cron)."""
import click
from flask.cli import AppGroup

from app.extensions import db
from app.opendata import archive


def opendata_commands() -> AppGroup:
    group = AppGroup("opendata", help="The open-data download (/open-data/sanad-open-data.zip).")

    @group.command("build")
    @click.option("--force", is_flag=True, help="Build even when the public data has not changed.")
    def opendata_build(force):
        """Build the archive of all public data if it changed since the newest one; keep only the newest."""
        result = archive.build(force=force)
        db.session.commit()
        if not result.built:
            click.echo(f"open data unchanged ({result.note}), nothing built; stamp {result.stamp[:12]}")
            return
        tables = ", ".join(f"{name} {count}" for name, count in result.rows.items())
        click.echo(f"open data archive built: {sum(result.rows.values())} rows ({tables}); {result.size} bytes; "
                   f"stamp {result.stamp[:12]}; {result.removed} older archive(s) removed; {result.seconds:.1f} s")

    return group
