from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, DateTimeLocalField, HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.submissions import deadlines
from app.web.forms import Form, Length, strip


class SubmitForm(Form):
    version_id = HiddenField()
    recipients = SelectMultipleField(
        _l("Submit to"), coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one institution to submit to."))],
        description=_l("The institutions the recommendations are addressed to are ticked, and those the alliance "
                       "always submits to. Their reviewers are told and answer each recommendation."))


class VerifyForm(Form):
    sha256 = StringField(_l("SHA-256 hash"), filters=[strip], validators=[Optional(), Length(max=200)],
                         description=_l("64 characters, as printed on the dossier's cover and in every footer."))
    dossier = FileField(_l("Or the dossier's JSON file"))


class SignonChangeForm(Form):
    """Closing sign-on, or moving its deadline: confirmed with the version hash and the deadline the page
    showed (expected_*), so that a change made meanwhile is not confirmed blind."""
    expected_sha256 = HiddenField(validators=[DataRequired()])
    expected_deadline = HiddenField(validators=[DataRequired()])
    deadline = DateTimeLocalField(_l("New deadline"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                  description=_l("Your local time. Leave it empty for no deadline: sign-on then "
                                                 "stays open until you close it or submit."))


@dataclass
class TypedDeadlines:
    """The deadline fields of the submit page, one pair per institution (acknowledge_by_<id>, answer_by_<id>):
    as typed (or as the settings suggest), the dates of the ticked institutions that may be set, and what to
    fix in the others, beside the field."""
    values: dict[int, dict[str, str]] = field(default_factory=dict)
    chosen: dict[int, tuple[date, date]] = field(default_factory=dict)
    problems: dict[tuple[int, str], str] = field(default_factory=dict)


def typed_deadlines(form_data, institutions, ticked: set[int]) -> TypedDeadlines:
    """Read (form_data: the POST, or None for the page as first shown) and check each ticked institution's dates.
    A pair the form did not carry at all (a page from before there were deadlines, a script) is the settings'
    suggestion; a field left empty or not a date is asked again."""
    today = deadlines.site_today()
    suggested = dict(zip(deadlines.FIELDS, deadlines.default_dates(today), strict=True))
    result = TypedDeadlines()
    for institution in institutions:
        texts = {}
        for name in deadlines.FIELDS:
            sent = form_data.get(f"{name}_{institution.id}") if form_data is not None else None
            texts[name] = suggested[name].isoformat() if sent is None else sent.strip()
        result.values[institution.id] = texts
        if institution.id in ticked:
            _check(result, institution.id, texts, today)
    return result


def _check(result: TypedDeadlines, institution_id: int, texts: dict[str, str], today: date) -> None:
    parsed = {}
    for name, text in texts.items():
        try:
            parsed[name] = date.fromisoformat(text) if text else None
        except ValueError:
            result.problems[institution_id, name] = _("This is not a date: give the day, month and year.")
            continue
        if parsed[name] is None:
            result.problems[institution_id, name] = deadlines.missing(name)
    if len(parsed) == 2 and None not in parsed.values():
        lacking = deadlines.problem(parsed["acknowledge_by"], parsed["answer_by"], today)
        if lacking:
            result.problems[institution_id, lacking[0]] = lacking[1]
        else:
            result.chosen[institution_id] = (parsed["acknowledge_by"], parsed["answer_by"])


class DeadlinesForm(Form):
    """One institution's deadlines, set or moved on the deadlines page; expected: the dates the page showed
    (deadlines.stamp), so that a change made meanwhile is not overwritten blind."""
    institution = HiddenField(validators=[DataRequired()])
    expected = HiddenField(validators=[DataRequired()])
    acknowledge_by = DateField(_l("Acknowledge receipt by"), validators=[lambda form, field: _a_date(field)])
    answer_by = DateField(_l("Answers due by"), validators=[lambda form, field: _a_date(field)])


def _a_date(field) -> None:
    """A date field left empty or not a date says which, as the submit page does (not WTForms' own words)."""
    if field.data is None:
        field.errors.clear()
        typed = (field.raw_data or [""])[0].strip()
        raise StopValidation(_("This is not a date: give the day, month and year.") if typed
                             else deadlines.missing(field.name))
