"""Form pieces shared by several areas, and the base class of every form."""
import re
import secrets
import unicodedata

from flask_babel import get_translations, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField, validators

from app.choices import GENDERS, LANGUAGES, PROVINCES
from app.formatting import limit_text, over_limit_message


def strip(value):
    """A field filter: surrounding spaces removed from text."""
    return value.strip() if isinstance(value, str) else value


# Joiners that shape Arabic-script words (the ZWNJ of Urdu and Persian "می‌خواهم", a ZWJ that keeps a letter's
# joining form): kept between two letters of that script, removed anywhere else.
_JOINERS = "\u200c\u200d"
# Format characters that show as signs (Arabic number and end-of-ayah signs): not invisible, kept.
_VISIBLE_FORMAT = set("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u08e2")
_BULLET = re.compile(r"^[ \t\u00a0]*(?:[•◦▪▫‣⁃●○■□∙·]|o(?=\t))[ \t\u00a0]+(?=\S)")
_NUMBERED = re.compile(r"^[ \t\u00a0]*(\d{1,3})[.)][\t\u00a0][ \t\u00a0]*(?=\S)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S")


def _arabic_letter(char: str) -> bool:
    return bool(char) and unicodedata.category(char)[0] in "LM" and (
        "\u0600" <= char <= "\u08ff" or "\ufb50" <= char <= "\ufefc")


def _without_invisibles(text: str, keep: str = "") -> str:
    """NFC, and no invisible characters: format characters (zero-width space and joiners, soft hyphen,
    byte-order mark, bidi marks, embeddings and isolates, word joiner, tags) and control characters other
    than those in `keep`. A ZWNJ or ZWJ between two Arabic-script letters is part of the word and stays."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for i, char in enumerate(text):
        if char in keep or unicodedata.category(char) not in ("Cf", "Cc") or char in _VISIBLE_FORMAT:
            out.append(char)
        elif char in _JOINERS and i and _arabic_letter(text[i - 1]) and _arabic_letter(text[i + 1:i + 2]):
            out.append(char)
    return "".join(out)


def clean_line(value):
    """A name or a title as it should be kept, whatever was pasted: NFC, invisible characters removed, every
    run of spaces, tabs, line breaks and no-break spaces one space, none at either end. The field filter of
    every one-line text field (Form.Meta.bind_field), so duplicates compare equal and names read as typed."""
    if not isinstance(value, str):
        return value
    return " ".join(_without_invisibles(value, keep="\t\n\r").split())


def clean_text(value):
    """A longer text (Markdown) as it should be kept: NFC, line breaks as "\\n", invisible characters removed,
    and lines pasted from Word with "•" and a tab (or "1." and a tab) made into a Markdown list, one item a
    line, set apart from the paragraph before and after so Markdown sees a list. The field filter of every
    text area."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _without_invisibles(text, keep="\t\n")
    out: list[str] = []
    pasted_before = False  # the line before was a pasted bullet made into a list item
    for line in text.split("\n"):
        converted = _NUMBERED.sub(r"\1. ", _BULLET.sub("- ", line))
        pasted = converted != line
        previous = out[-1] if out else ""
        if previous.strip() and (
                (pasted and not _LIST_ITEM.match(previous))  # a list starts under a paragraph
                or (pasted_before and line.strip() and not pasted and not line.startswith((" ", "\t")))):  # ends
            out.append("")
        out.append(converted)
        pasted_before = pasted
    return "\n".join(out)


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


def cleaner_for(field_class):
    """The normalising filter a kind of field gets: clean_text for text areas, clean_line for every other
    one-line text field; none for passwords (kept exactly as typed) and hidden fields (the site's own values)."""
    if issubclass(field_class, (PasswordField, HiddenField)):
        return None
    if issubclass(field_class, TextAreaField):
        return clean_text
    if issubclass(field_class, StringField):
        return clean_line
    return None


class Form(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, validation messages in the reader's language, and every
    text field normalised on the way in (clean_line, clean_text) before its own filters and validators."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _CatalogueTranslations()

        def bind_field(self, form, unbound_field, options):
            cleaner = cleaner_for(unbound_field.field_class)
            if cleaner is not None:
                options = {**options, "filters": (cleaner, *unbound_field.kwargs.get("filters", ()))}
            return super().bind_field(form, unbound_field, options)


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
