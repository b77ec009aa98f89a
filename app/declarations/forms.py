from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.choices import (
    DECLARATION_KINDS,
    GROUPS,
    LANGUAGES,
    MODERATION_MODES,
    PILLARS,
    SDG_TARGETS,
    THEMES,
    UNTOC_PROVISIONS,
    VISIBILITIES,
)
from app.web.forms import CreateForm, Form, Length, choices, strip


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes: usable without JavaScript on a phone, unlike a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _not_in_the_list(count: int):
    """The message for a key that is not in a classification list (a stale page, a crafted request)."""
    return _l("“%(value)s” is not in the list. Choose from the list shown.")


def classification_field(label, vocabulary: dict, description=None) -> MultiCheckboxField:
    """Checkboxes of a controlled list (app/choices.py), none required, each key checked against the list."""
    return MultiCheckboxField(label, choices=choices(vocabulary), validate_choice=True, description=description,
                              invalid_choice_message=_not_in_the_list)


class DeclarationForm(Form):
    edit_count = HiddenField(default="0")
    kind = RadioField(_l("Kind"), choices=choices(DECLARATION_KINDS), default="declaration",
                      validators=[DataRequired()])
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)],
                            description=_l("Two or three sentences shown at the top and in lists."))
    moderation = RadioField(_l("Moderation of comments"), choices=choices(MODERATION_MODES), default="post",
                            validators=[DataRequired()])
    visibility = RadioField(_l("Who can read it once consultation opens"), choices=choices(VISIBILITIES),
                            default="members", validators=[DataRequired()])


class NewDeclarationForm(DeclarationForm):
    """A new declaration also says the language its text is written in (not changed later: a translation into
    the other one is added on the declaration's languages page)."""
    language = RadioField(_l("Language of the text"), choices=list(LANGUAGES.items()), default="en",
                          validators=[DataRequired()])


class SectionForm(Form):
    base_revision_id = HiddenField()
    heading = StringField(_l("Heading"), filters=[strip], validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)],
                         description=_l("Markdown: **bold**, *italic*, lists with “-”, links as [text](https://…)."))


class RecommendationForm(Form):
    base_revision_id = HiddenField()
    text = TextAreaField(_l("Recommendation"), validators=[DataRequired(), Length(max=5000)],
                         description=_l("Markdown is allowed."))
    pillar = RadioField(_l("Pillar"), choices=choices(PILLARS), validators=[DataRequired()])
    themes = MultiCheckboxField(_l("Themes"), choices=choices(THEMES),
                                validators=[DataRequired(message=_l("Choose at least one theme."))])
    addressees = MultiCheckboxField(_l("Addressed to"), coerce=int, validate_choice=True)
    # Classification: the same in both languages of a bilingual declaration, and none of it required.
    untoc = classification_field(_l("UNTOC provisions (optional)"), UNTOC_PROVISIONS,
                                 _l("The articles of the Convention or its Protocols the recommendation concerns."))
    sdg_targets = classification_field(_l("SDG targets (optional)"), SDG_TARGETS)
    groups = classification_field(_l("Groups concerned (optional)"), GROUPS)
    convention_articles = StringField(_l("Other articles (optional)"), filters=[strip],
                                      validators=[Optional(), Length(max=200)],
                                      description=_l("Articles not in the list above, for example “UNCAC art. 32; "
                                                     "Budapest Convention art. 2”."))


class PhaseForm(Form):
    target = HiddenField(validators=[DataRequired()])
    # The text's hash as the confirmation page showed it: a change of phase is confirmed on that page only.
    expected_sha256 = HiddenField(validators=[DataRequired()])
    deadline = DateTimeLocalField(_l("Deadline"), format="%Y-%m-%dT%H:%M", validators=[Optional()])


def _add_by_address():
    return StringField(_l("Add by email address"), filters=[strip], validators=[Length(max=2000)],
                       description=_l("Members of the alliance, one address or several separated by commas."))


class DraftersForm(Form):
    """Those named so far, ticked to keep (the ids are checked in SQL, not against a list of every member),
    and others added by address (app/declarations/people.py)."""
    drafters = MultiCheckboxField(_l("Co-drafters"), coerce=int, validate_choice=False)
    add = _add_by_address()


class EventForm(CreateForm):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    venue = StringField(_l("Venue"), filters=[strip], validators=[Optional(), Length(max=200)])
    online = BooleanField(_l("Held online (or partly online)"))
    organizers = StringField(_l("Organizers"), filters=[strip], validators=[Optional(), Length(max=300)])
    participants_in_person = IntegerField(_l("Participants in person"), default=0,
                                          validators=[Optional(), NumberRange(min=0, max=100000)])
    participants_online = IntegerField(_l("Participants online"), default=0,
                                       validators=[Optional(), NumberRange(min=0, max=100000)])
    women = IntegerField(_l("Women (if known)"), validators=[Optional(), NumberRange(min=0, max=100000)])
    men = IntegerField(_l("Men (if known)"), validators=[Optional(), NumberRange(min=0, max=100000)])
    other_gender = IntegerField(_l("Other genders (if known)"), validators=[Optional(), NumberRange(min=0, max=100000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class BilingualForm(Form):
    """Make a declaration bilingual: its second language (the other one of the interface's)."""
    translation_language = RadioField(_l("Second language"), validators=[DataRequired()])


class TranslatorsForm(Form):
    translators = MultiCheckboxField(_l("Translators"), coerce=int, validate_choice=False)
    add = _add_by_address()


class TitleTranslationForm(Form):
    edit_count = HiddenField(default="0")
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)])


class RecommendationTranslationForm(Form):
    base_revision_id = HiddenField()
    text = TextAreaField(_l("Recommendation"), validators=[DataRequired(), Length(max=5000)],
                         description=_l("Markdown is allowed."))
