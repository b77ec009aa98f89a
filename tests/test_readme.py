"""The README works as written: every command in its sh blocks is run here (in a temporary instance) or
marked in the README as not run, with the reason; and the demo counts it states come from the demo data."""
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pyotp
import pytest

from app.demo import DEMO_TOTP_SECRET
from tests.helpers import POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
NOT_RUN = re.compile(r"not run by the tests: \S.{10,}")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}


def _blocks():
    return [(language, body) for language, body in BLOCK.findall(README)]


def _commands():
    """(command, reason it is not run or None) for each line of the README's sh blocks."""
    commands = []
    for language, body in _blocks():
        if language != "sh":
            continue
        lines = body.splitlines()
        block_reason = NOT_RUN.search(lines[0]).group(0) if lines and lines[0].startswith("#") \
            and NOT_RUN.search(lines[0]) else None
        for line in lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            reason = NOT_RUN.search(line)
            commands.append((line.split("  #")[0].strip(), block_reason or (reason and reason.group(0))))
    return commands


def test_every_block_says_what_it_holds_and_every_command_is_run_or_says_why_not():
    assert all(language for language, _ in _blocks()), "a code block without its language"
    commands = _commands()
    assert commands
    runnable = [c for c, reason in commands if reason is None]
    assert runnable == ["SANAD_ENV=development .venv/bin/flask demo totp coordinator@example.org"]


@pytest.fixture(scope="module")
def demo_instance(tmp_path_factory):
    """A fresh SQLite instance set up the way `make run` does (its recipe in the Makefile), with nothing
    else from the environment: no SANAD_ENV, no SECRET_KEY."""
    folder = tmp_path_factory.mktemp("readme")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SANAD_", "SECRET_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "FLASK_"))}
    env["DATABASE_URL"] = f"sqlite:///{folder / 'sanad.db'}"
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    steps = [line.strip().lstrip("@").replace("$(BIN)", ".venv/bin").replace("$(PORT)", "5000")
             for line in recipe.splitlines() if "flask" in line]
    assert [s.split("flask ")[1].split()[0:2] for s in steps] == [["db", "upgrade"], ["demo", "load"],
                                                                 ["opendata", "build"], ["demo", "logins"]]
    outputs = [_run(step, env) for step in steps]
    return env, folder / "sanad.db", outputs[-1]


def _run(command, env):
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


skip_on_postgres = pytest.mark.skipif(bool(POSTGRES_URL), reason="its own SQLite instance: run in the SQLite stage")


@skip_on_postgres
def test_the_readme_commands_run_as_printed_and_the_totp_code_logs_in(demo_instance):
    env, _, banner = demo_instance
    for command, reason in _commands():
        if reason is None:
            code = _run(command, env).strip()
            assert re.fullmatch(r"\d{6}", code) and pyotp.TOTP(DEMO_TOTP_SECRET).verify(code, valid_window=1)
    printed = [line.strip() for line in banner.splitlines() if "demo totp" in line]
    assert printed and all(line in README for line in printed)  # the banner prints the README's command
    assert re.fullmatch(r"\d{6}", _run(printed[0], env).strip())


@skip_on_postgres
def test_production_still_refuses_to_start_without_a_secret_key(demo_instance):
    env = dict(demo_instance[0], SANAD_ENV="production")
    done = subprocess.run([".venv/bin/flask", "demo", "totp", "coordinator@example.org"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr


def _number(text: str) -> int:
    return int(text) if text.isdigit() else WORDS[text.lower()]


def _stated(pattern: str) -> tuple[int, ...]:
    found = re.search(pattern, re.sub(r"\s+", " ", README))
    assert found, f"the README no longer says {pattern!r}"
    return tuple(_number(g) for g in found.groups())


@skip_on_postgres
def test_the_demo_counts_the_readme_states_come_from_the_demo_data(demo_instance):
    database = sqlite3.connect(demo_instance[1])

    def one(sql):
        return database.execute(sql).fetchone()[0]

    def of(table, phase, where="1"):
        """How many rows of the table belong to the demo declaration in this phase."""
        return one(f"select count(*) from {table} where {where} and declaration_id = "
                   f"(select id from declarations where phase = '{phase}')")
    own_rep = ("exists (select 1 from users u where u.organization_id = o.id "
               "and u.email = lower(o.acronym) || '@example.org')")
    urdu = sum(1 for (body,) in database.execute("select body_source from comments")
               if re.search("[\u0600-\u06ff]", body))
    checks = {
        r"has (\w+) member organizations across the provinces": (
            one(f"select count(*) from organizations o where not {own_rep}"),),
        r"and (\w+) more that signed the statement in sign-on": (one(
            f"select count(*) from organizations o where {own_rep} and exists (select 1 from signatures s "
            "where s.organization_id = o.id and s.declaration_id = "
            "(select id from declarations where phase = 'signon'))"),),
        r"(\w+) of these (\w+) await verification": (one("select count(*) from organizations where not verified"),
                                                      one("select count(*) from organizations")),
        r"(\w+) individual experts": (one("select count(*) from users where is_expert"),),
        r"(\w+) recipient institutions": (one("select count(*) from institutions"),),
        r"\(public, (\w+) recommendations\)": (of("recommendations", "responded"),),
        r"consultation with (\d+) comments in (\d+) threads": (
            of("comments", "responded"), of("comments", "responded", "parent_id is null")),
        r"\((\d+) amendments accepted, (\d+) rejected": (
            of("amendments", "responded", "status = 'accepted'"), of("amendments", "responded", "status = 'rejected'")),
        r"sign-on with (\d+) signatures": (of("signatures", "responded"),),
        r"\): (\d+) signatures over the weeks": (of("signatures", "signon"),),
        r"(\w+) withdrawn with reasons": (of("signatures", "signon", "status = 'withdrawn'"),),
        r"(\d+) comments \((\d+) replies, (\d+) comments in Urdu across the demo\)": (
            of("comments", "consultation"), of("comments", "consultation", "parent_id is not null"), urdu),
        r"(\w+) amendments waiting, (\w+) events": (
            of("amendments", "consultation", "status = 'pending'"), of("consultation_events", "consultation")),
    }
    for pattern, computed in checks.items():
        assert _stated(pattern) == computed, pattern
    # `make run` builds the open-data download after loading the demo, as the README says.
    assert one("select count(*) from open_data_archives") == 1
