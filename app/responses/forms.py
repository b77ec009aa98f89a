from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from app.choices import COMPLETION, IMPLEMENTATION_STATUSES, POSITIONS
from app.responses import reasons
from app.responses.services import MAX_EVIDENCE, MAX_EXPLANATION
from app.web.forms import CreateForm, Form, Length, choices, strip

# Answers, updates and assessments may be written in English, Urdu or both: the box takes the direction of
# what is typed in it, and the pages show each paragraph in its own (dir="auto", unicode-bidi: plaintext).
EITHER_LANGUAGE = {"dir": "auto"}


class AnswerForm(CreateForm):
    position = RadioField(_l("Position"), choices=choices(POSITIONS),
                          validators=[DataRequired(_l("Choose a position."))])
    # No Optional(): an empty explanation must still meet what the position needs (validate_explanation).
    explanation = TextAreaField(_l("Explanation"), filters=[strip], validators=[Length(max=MAX_EXPLANATION)],
                                description=_l("Why the government takes this position, and what it will do. "
                                               "Needed for “partially supported”, “noted” and “not supported”: "
                                               "at least 20 characters that give the reason."),
                                render_kw=EITHER_LANGUAGE)
    # Choices are the institutions' ids as text, "" for none; a value outside them is a form error.
    lead_institution = SelectField(_l("Lead institution"), validate_choice=False,
                                   description=_l("For “supported”, give the lead institution or a target date."))
    target_date = DateField(_l("Target date"), validators=[Optional()],
                            description=_l("When the government aims to have acted on it (today or later)."))
    # Shown only for a recommendation not addressed to the reviewer's institution; its label names it.
    outside_remit = BooleanField(_l("Answer although it is not addressed to your institution"))

    def validate_explanation(self, field):
        self._reason_rule("explanation")

    def validate_lead_institution(self, field):
        if (field.data or "") not in {value for value, _label in field.choices}:  # left out: "Not stated"
            raise ValidationError(_l("Choose the lead institution from the list."))
        self._reason_rule("lead_institution")

    def _reason_rule(self, name: str) -> None:
        """The message of what the position needs (app/responses/reasons.py), beside the field to fix."""
        lacking = reasons.problem(self.position.data, self.explanation.data, self.lead_institution.data or None,
                                  self.target_date.data)
        if lacking and lacking[0] == name:
            raise ValidationError(lacking[1])


class UpdateForm(CreateForm):
    status = RadioField(_l("Implementation status"), choices=choices(IMPLEMENTATION_STATUSES),
                        validators=[DataRequired(_l("Choose a status."))])
    happened_on = DateField(_l("Date"), validators=[DataRequired(_l("Give the date of this update."))])
    evidence = TextAreaField(_l("Evidence"), filters=[strip], validators=[Optional(), Length(max=MAX_EVIDENCE)],
                             description=_l("What was done: a notification, a budget line, a report (with its "
                                            "reference or address)."), render_kw=EITHER_LANGUAGE)


class AssessmentForm(CreateForm):
    rating = RadioField(_l("How far it is implemented, as the alliance sees it"), choices=choices(COMPLETION),
                        validators=[DataRequired(_l("Choose the alliance's assessment."))])
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Optional(), Length(max=MAX_EVIDENCE)],
                          description=_l("What the alliance sees on the ground: the evidence behind this rating."),
                          render_kw=EITHER_LANGUAGE)


class CloseForm(Form):
    reason = TextAreaField(_l("Reason (optional)"), filters=[strip], validators=[Optional(), Length(max=1000)])
    # What the page showed unanswered, per institution: closing is confirmed on that page only.
    expected_unanswered = HiddenField(validators=[DataRequired()])


class PublishForm(Form):
    """The confirmation of a publication. Its fields are per draft and built in the page: a checkbox
    `publish_answer` (value: the answer's id) for each draft listed, and a hidden `seen_updated_<id>` with the
    moment that draft was last saved as the page showed it (services.seen_stamp)."""
