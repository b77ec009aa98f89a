"""Form pieces shared by several areas, and the base class of every form."""
import secrets

from flask_babel import get_translations, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, validators

from app.choices import GENDERS, LANGUAGES, PROVINCES
from app.formatting import limit_text, over_limit_message


def strip(value):
    """A field filter: surrounding spaces removed from text."""
    return value.strip() if isinstance(value, str) else value


def choices(vocabulary: dict, blank=None) -> list[tuple[str, str]]:
    items = [(key, label) for key, label in vocabulary.items()]
    return ([("", blank)] if blank is not None else []) + items


class Length(validators.Length):
    """A length limit that is stated and refused, never cut. The field's hint states it (limit_hint, shown
    by the field macro); the page does not carry `maxlength`, which makes browsers cut pasted text without
    a word; text over the limit is refused with its count and kept in the form to be shortened.

    A `message` given applies to text under the minimum only."""

    def __init__(self, min=-1, max=-1, message=None):  # noqa: A002 - WTForms' own names
        super().__init__(min, max, message)
        self.field_flags = {"minlength": min} if min != -1 else {}
        if max != -1:
            self.field_flags["limit"] = max

    def __call__(self, form, field):
        length = len(field.data or "")
        if self.max != -1 and length > self.max:
            raise validators.ValidationError(over_limit_message(length, self.max))
        if self.min != -1 and length < self.min:
            super().__call__(form, field)


def limit_hint(field) -> str:
    """The limit a form field states next to it, or "" when it has none."""
    limit = getattr(field.flags, "limit", None)
    if not limit:
        return ""
    return limit_text(limit, getattr(field.flags, "minlength", -1) or -1)


def gender_field():
    return SelectField(_l("Gender (optional, only for participation statistics)"),
                       choices=choices(GENDERS, _l("Prefer not to say")), default="")


def province_field(label=None):
    return SelectField(label or _l("Province (optional, only for participation statistics)"),
                       choices=choices(PROVINCES, _l("Not stated")), default="")


def language_field():
    return SelectField(_l("Preferred language"), choices=list(LANGUAGES.items()), default="en")


class _CatalogueTranslations:
    """WTForms' own messages ("This field is required." …) looked up in the app's catalogue, which has
    them in Urdu; WTForms ships no Urdu. Raw lookups: WTForms fills in the values itself."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, validation messages in the reader's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _CatalogueTranslations()


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


class CreateForm(Form):
    """A form that makes something (a comment, an answer, an invitation …): its one-time key, sent back
    with it, lets a repeat of the same sending find what the first made (app/form_keys)."""

    form_key = HiddenField(default=new_form_key)


def _wtforms_messages():  # never called: marks the WTForms messages our forms can show, for `make messages`
    _l("This field is required.")
    _l("Invalid email address.")
    _l("Invalid URL.")
    _l("Not a valid choice.")
    _l("Not a valid integer value.")
    _l("Not a valid date value.")
    _l("Not a valid datetime value.")
    _l("Number must be between %(min)s and %(max)s.")
    _l("Number must be at least %(min)s.")
    _l("Number must be at most %(max)s.")
    _l("Field must be between %(min)d and %(max)d characters long.")
    _l("Invalid Choice: could not coerce.")
    _l("Invalid choice(s): one or more data inputs could not be coerced.")
    _l("'%(value)s' is not a valid choice for this field.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
