from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Email, Optional, ValidationError

from app.choices import ORGANIZATION_TYPES, SIGNATURE_VISIBILITIES
from app.web.forms import Form, Length, choices, province_field, strip

REQUIRED = _l("This field is required.")


class SignForm(Form):
    version_id = HiddenField()
    capacity = RadioField(_l("I sign"), validators=[DataRequired(_l("Choose in which capacity you sign."))])
    visibility = RadioField(_l("Who may see our name in the list of signatories"),
                            choices=choices(SIGNATURE_VISIBILITIES), default="public",
                            validators=[DataRequired(_l("Choose who may see your name."))])
    # Reservations are read from reservation-<recommendation id> fields, one per recommendation.


class WithdrawForm(Form):
    reason = TextAreaField(_l("Reason (optional, seen by coordinators)"), filters=[strip],
                           validators=[Optional(), Length(max=1000)])


class RejectForm(Form):
    reason = TextAreaField(_l("Reason for rejecting"), filters=[strip],
                           validators=[DataRequired(REQUIRED), Length(max=1000)])


class OpenSignonForm(Form):
    """The public form: every message is the app's own, so it reads in Urdu too."""
    version_id = HiddenField()
    organization_name = StringField(_l("Organization name"), filters=[strip],
                                    validators=[DataRequired(REQUIRED), Length(max=200)])
    organization_type = SelectField(_l("Type of organization"), choices=choices(ORGANIZATION_TYPES),
                                    validators=[DataRequired(REQUIRED)])
    country = StringField(_l("Country"), filters=[strip], default="Pakistan",
                          validators=[DataRequired(REQUIRED), Length(max=100)])
    province = province_field(_l("Province (in Pakistan)"))
    website = URLField(_l("Website (optional)"), filters=[strip], validators=[
        Optional(), Length(max=300), URL(message=_l("Enter a full address starting with https://"))])
    signer_name = StringField(_l("Your name"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=120)])
    signer_designation = StringField(_l("Your designation"), filters=[strip],
                                     validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("Your email"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Email(_l("Enter a valid email address.")), Length(max=254)],
                       description=_l("We send a link to this address; the signature counts once you open it."))
    visibility = RadioField(_l("Who may see your organization's name in the list of signatories"),
                            choices=choices(SIGNATURE_VISIBILITIES), default="public",
                            validators=[DataRequired(REQUIRED)])
    authorised = BooleanField(_l("I am authorised to sign on behalf of this organization."),
                              validators=[DataRequired(_l("Only someone authorised by the organization may sign."))])
    # A field people never see; automated form-fillers do, and fill it.
    fax = StringField(_l("Leave this field empty"))

    def validate_website(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Enter a full address starting with https://"))
