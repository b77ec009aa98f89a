from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form, strip


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
