"""Text pasted from Word or a PDF is kept as it reads (issue 23, #6): names and titles lose invisible characters
and extra spaces (so duplicates are found), Urdu keeps its zero-width non-joiner inside words, and bullets
pasted as "•" and a tab become a Markdown list, one item a line. One filter of each kind, given to every text
field of every form (app.web.forms.Form.Meta)."""
import importlib
import pkgutil

import pytest
from sqlalchemy import select
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

import app as app_package
from app.declarations.models import Declaration, Section
from app.extensions import db
from app.web.forms import Form, clean_line, clean_text
from tests.helpers import login

ZWSP, ZWNJ, ZWJ, SHY, BOM, LRM, RLE, PDF_, LRI, PDI, NBSP = (
    "\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u200e", "\u202b", "\u202c", "\u2066", "\u2069", "\u00a0")


@pytest.mark.parametrize(("pasted", "kept"), [
    (f"Organisation for{ZWSP}Rights", "Organisation forRights"),  # invisible: it showed as no space
    (f"Organisation for{ZWSP} Rights", "Organisation for Rights"),
    (f"{BOM}Human{NBSP}Rights  Action\tForum ", "Human Rights Action Forum"),
    (f"Sindh Le{SHY}gal Aid Network", "Sindh Legal Aid Network"),
    (f"Dr{LRM}. Ayesha{ZWJ} Khan", "Dr. Ayesha Khan"),
    (f"{RLE}انسانی حقوق فورم{PDF_}", "انسانی حقوق فورم"),
    (f"{LRI}Shabana Ali{PDI}", "Shabana Ali"),
    (f"می{ZWNJ}خواهم", f"می{ZWNJ}خواهم"),  # ZWNJ inside an Arabic-script word is spelling: kept
    (f"ہ{ZWJ}ے", f"ہ{ZWJ}ے"),
    (f"Rights{ZWNJ} انسانی", "Rights انسانی"),  # not between two Arabic-script letters: removed
    ("Cafe\u0301 Lahore", "Café Lahore"),  # NFC: one letter, as typed on another keyboard
    ("line\r\nbreak\u2028here", "line break here"),
    ("", ""),
    (None, None),
])
def test_a_name_or_title_is_kept_without_invisible_characters_or_extra_spaces(pasted, kept):
    assert clean_line(pasted) == kept


@pytest.mark.parametrize(("pasted", "kept"), [
    ("We ask:\r\n•\tShelters in every province\r\n•\tLegal aid\r\nThen we sign.",
     "We ask:\n\n- Shelters in every province\n- Legal aid\n\nThen we sign."),
    ("Steps:\n1.\tRegister\n2.\tReport", "Steps:\n\n1. Register\n2. Report"),
    ("▪\u00a0One\no\tTwo", "- One\n- Two"),
    ("- typed Markdown\n- stays\nas it was", "- typed Markdown\n- stays\nas it was"),
    (f"{BOM}Para{ZWSP}graph one.\n\n    code keeps    its spaces", "Paragraph one.\n\n    code keeps    its spaces"),
    (f"اردو میں{ZWNJ}ہی", f"اردو میں{ZWNJ}ہی"),
    ("•not a pasted bullet (no space after)", "•not a pasted bullet (no space after)"),
])
def test_a_longer_text_keeps_its_lines_and_pasted_bullets_become_a_list(pasted, kept):
    assert clean_text(pasted) == kept


def _form_classes():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = set(), [Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.add(sub)
            todo.append(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def test_every_text_field_of_every_form_is_normalised(app):
    classes = _form_classes()
    assert len(classes) >= 25
    checked = 0
    with app.test_request_context():
        for cls in classes:
            form = cls(meta={"csrf": False})
            for field in form:
                if isinstance(field, (PasswordField, HiddenField)):
                    assert clean_line not in field.filters and clean_text not in field.filters
                elif isinstance(field, TextAreaField):
                    assert field.filters[0] is clean_text, f"{cls.__name__}.{field.name}"
                    checked += 1
                elif isinstance(field, StringField):
                    assert field.filters[0] is clean_line, f"{cls.__name__}.{field.name}"
                    checked += 1
    assert checked >= 40


def test_a_pasted_duplicate_organization_name_is_found(client, people):
    login(client, people["coordinator"].email)
    response = client.post("/organizations/new", data={
        "name": f"{BOM}Human Rights{ZWSP} Action{NBSP}Forum", "acronym": "HRAF2", "type": "ngo", "province": "punjab",
        "city": "Lahore", "website": "", "description": ""})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_a_section_pasted_from_word_is_saved_clean_and_its_bullets_are_a_list(app, client, people,
                                                                              make_declaration):
    declaration = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    response = client.post(f"/declarations/{declaration.id}/section/new", data={
        "heading": f"Our{ZWSP} demands{SHY} ", "body": "We ask:\r\n•\tShelters\r\n•\tLegal aid\r\nThat is all."})
    assert response.status_code == 302
    with app.app_context():
        section = db.session.scalars(select(Section).where(Section.declaration_id == declaration.id)
                                     .order_by(Section.id.desc())).first()
        revision = section.current
        assert revision.heading == "Our demands"
        assert revision.body_source == "We ask:\n\n- Shelters\n- Legal aid\n\nThat is all."
        assert "<li>Shelters</li>" in revision.body_html and "<li>Legal aid</li>" in revision.body_html
        assert db.session.get(Declaration, declaration.id) is not None
