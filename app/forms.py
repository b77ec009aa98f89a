"""Form pieces shared by several areas."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.choices import GENDERS, LANGUAGES, PROVINCES


def choices(vocabulary: dict, blank=None) -> list[tuple[str, str]]:
    items = [(key, label) for key, label in vocabulary.items()]
    return ([("", blank)] if blank is not None else []) + items


def gender_field():
    return SelectField(_l("Gender (optional, only for participation statistics)"),
                       choices=choices(GENDERS, _l("Prefer not to say")), default="")


def province_field(label=None):
    return SelectField(label or _l("Province (optional, only for participation statistics)"),
                       choices=choices(PROVINCES, _l("Not stated")), default="")


def language_field():
    return SelectField(_l("Preferred language"), choices=list(LANGUAGES.items()), default="en")
