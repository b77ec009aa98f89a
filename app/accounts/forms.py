from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Optional

from app.accounts.services import MIN_PASSWORD_LENGTH
from app.choices import NOTIFICATION_MODES
from app.web.forms import CreateForm, Form, Length, choices, gender_field, language_field, province_field, strip


def _new_password(label):
    return PasswordField(label, validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                               message=_l("Use between %(min)d and %(max)d characters."))])


def _confirm():
    return PasswordField(_l("Repeat the new password"),
                         validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class LoginForm(Form):
    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class ResetRequestForm(Form):
    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(Form):
    password = _new_password(_l("New password"))
    confirm = _confirm()


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = _new_password(_l("New password"))
    confirm = _confirm()


class ProfileForm(Form):
    name = StringField(_l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    designation = StringField(_l("Designation"), validators=[Optional(), Length(max=120)],
                              description=_l("Your position, for example “Programme Director”."))
    gender = gender_field()
    province = province_field()
    language = language_field()


class SettingsForm(ProfileForm):
    notification_mode = RadioField(_l("Email me about replies, moderation, amendments and consultations"),
                                   choices=choices(NOTIFICATION_MODES), default="immediate",
                                   validators=[DataRequired()])


class AcceptInvitationForm(ProfileForm):
    password = _new_password(_l("Choose a password"))
    confirm = _confirm()


def _organization_name():
    """An organization typed by name and found in SQL (organizations.queries.organization_named): a list of
    every organization would grow with the alliance."""
    return StringField(_l("Organization"), filters=[strip], validators=[Length(max=200)], default="",
                       description=_l("Its name as the directory shows it, or its acronym."))


INVITATION_CAPACITIES = {
    "member": _l("Member of an organization"),
    "representative": _l("Representative of an organization"),
    "expert": _l("Individual expert"),
    "coordinator": _l("Coordinator (alliance secretariat)"),
    "reviewer": _l("Government reviewer"),
    "admin": _l("Admin"),
}


class InvitationForm(CreateForm):
    email = EmailField(_l("Email address to invite"), filters=[strip],
                       validators=[DataRequired(), Email(), Length(max=254)])
    capacity = RadioField(_l("Invite as"), validators=[DataRequired()], default="member")
    organization = _organization_name()
    institution = SelectField(_l("Recipient institution"), coerce=str, default="")


class RolesForm(Form):
    platform_role = SelectField(_l("Platform role"), default="")
    organization = _organization_name()
    org_role = SelectField(_l("Role in the organization"), default="")
    is_expert = BooleanField(_l("Individual expert"))
    institution = SelectField(_l("Recipient institution"), default="")
    active = BooleanField(_l("Account active"), default=True)


class CodeForm(Form):
    """A code from the authenticator app (or, at login, a recovery code)."""
    code = StringField(_l("Code"), filters=[strip], validators=[DataRequired(), Length(max=40)])


class PasswordAndCodeForm(CodeForm):
    """What turning the second factor off or making new recovery codes asks for: a session left open
    somewhere is not enough."""
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
