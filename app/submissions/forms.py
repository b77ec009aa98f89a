from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

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
