"""Every user-facing string in the code and templates has an Urdu translation."""
import os
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def _source_messages() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

    def keep(dirname):  # unlike pybabel's default, look into folders starting with "_" (templates/_macros)
        name = os.path.basename(dirname)
        return not name.startswith(".") and name not in ("__pycache__", "instance", "test-artifacts")
    found = set()
    # As babel.cfg: templates use the "do" extension, and a template that cannot be parsed is an error.
    options = {pattern: {"extensions": "jinja2.ext.do", "silent": "false"} for pattern, method in METHODS
               if method == "jinja2"}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, options, keywords=keywords, directory_filter=keep):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_string_has_an_urdu_translation():
    with open(ROOT / "translations/ur/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog
                  if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    source = _source_messages()
    assert len(source) > 400
    missing = sorted(source - translated)
    assert not missing, f"{len(missing)} strings without Urdu (run `make messages` and translate): {missing[:20]}"


def test_form_errors_are_in_the_readers_language(client, people):
    """WTForms' own messages come from the app's catalogue (WTForms ships no Urdu)."""
    from tests.helpers import login
    client.post("/language", data={"language": "ur"})
    login(client, "member@example.org")
    client.post("/language", data={"language": "ur"})
    response = client.post("/account", data={"name": "", "designation": "x" * 500, "language": "ur",
                                            "notification_mode": "immediate", "gender": "", "province": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "یہ خانہ پُر کرنا ضروری ہے۔" in page and "This field is required." not in page
    assert "500 حروف؛ حد 120 حروف ہے۔" in page  # too long: the count and the limit (app/forms.Length)
