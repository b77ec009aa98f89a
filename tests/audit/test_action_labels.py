"""The audit log names actions in words (issue 23, #6): every action the code records has a label in
app/audit/labels.py, and the log's filter and rows show the label, in English and in Urdu, not the identifier."""
import ast
from pathlib import Path

from bs4 import BeautifulSoup

from app import config
from app.audit.labels import ACTION_LABELS
from app.comments.services import MODERATION_ACTIONS
from app.declarations.services import TRANSITIONS
from tests.helpers import login

APP = Path(__file__).resolve().parents[2] / "app"
RECORDERS = {"record", "record_after_request"}


def _strings(node) -> set[str]:
    """The literal strings an expression can be: a constant, or either side of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def _calls(name_test):
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name_test(name):
                    yield path.relative_to(APP.parent), node


def recorded_actions() -> tuple[set[str], list[str]]:
    """Every action the code can record, and the calls whose action this test cannot work out."""
    throttled = {kw.value.value for _path, call in _calls(lambda n: n in ("spend", "note_refusal"))
                 for kw in call.keywords if kw.arg == "what" and isinstance(kw.value, ast.Constant)}
    # app/mail/budget.py refuses as what=f"mail_{action}", for each action with a budget
    throttled |= {f"mail_{action}" for action in config.TestingConfig().MAIL_BUDGETS}
    wrong_secrets = set().union(*(_strings(call.args[0]) for _path, call in _calls(lambda n: n == "WrongSecret")))
    # The actions written with a name from a table: each form, and the values it takes.
    formed = {"f'{what}_refused'": {f"{what}_refused" for what in throttled},
              "f'{item.kind}_deleted'": {"section_deleted", "recommendation_deleted"},
              "f'{item.kind}_moved'": {"section_moved", "recommendation_moved"},
              "f'phase_{action}'": {f"phase_{action}" for action in TRANSITIONS.values()},
              "f'comment_{action}'": {f"comment_{action}" for action in MODERATION_ACTIONS},
              "outcome.refusal.action": wrong_secrets,  # a WrongSecret, refused through carry_out
              "action": set()}  # write_records_after_request: passes on what record_after_request kept
    actions, unknown = set(), []
    for path, call in _calls(lambda n: n in RECORDERS):
        argument = call.args[1]
        literal = _strings(argument)
        if literal:
            actions |= literal
        elif ast.unparse(argument) in formed:
            actions |= formed[ast.unparse(argument)]
        else:
            unknown.append(f"{path}:{call.lineno} {ast.unparse(argument)}")
    return actions, unknown


def test_every_action_the_code_records_has_a_label():
    actions, unknown = recorded_actions()
    assert not unknown, f"actions this test cannot read; add their values to `formed`: {unknown}"
    assert {"login", "amendment_accepted", "phase_open_signon", "comment_hide", "mail_open_signon_refused",
            "second_factor_failed", "section_deleted"} <= actions  # the scan found them
    assert sorted(actions - ACTION_LABELS.keys()) == []
    assert sorted(ACTION_LABELS.keys() - actions) == []  # and no label for an action nothing records


def test_the_audit_log_filters_and_rows_show_actions_in_words(app, people):
    for language, words in (("en", "Login failed"), ("ur", "لاگ ان ناکام")):
        client = app.test_client()
        client.post("/language", data={"language": language})
        login(client, people["member"].email, "wrong")
        login(client, people["admin"].email)
        soup = BeautifulSoup(client.get("/admin/audit?action=login_failed").get_data(as_text=True), "html.parser")
        options = {o["value"]: o.get_text(strip=True) for o in soup.select("select#action option") if o["value"]}
        assert options["login_failed"] == words, language
        assert options["amendment_accepted"] != "amendment_accepted"
        assert all(value != text for value, text in options.items()), language
        rows = [tr.find_all("td")[2].get_text(strip=True) for tr in soup.select("table.audit tbody tr")]
        assert rows and set(rows) == {words}, (language, rows)
