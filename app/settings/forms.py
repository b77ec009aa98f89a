from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.settings.services import DAY_LIMITS
from app.web.forms import Form, Length, strip


def _days(label, description, key):
    low, high = DAY_LIMITS[key]
    return IntegerField(label, description=description,
                        validators=[InputRequired(_l("Enter a number of days.")), NumberRange(low, high)])


class SettingsForm(Form):
    name_en = StringField(_l("The alliance's name in English"), filters=[strip],
                          validators=[DataRequired(_l("Give the alliance's name in English.")), Length(max=200)],
                          render_kw={"dir": "ltr", "lang": "en"},
                          description=_l("Shown on English pages, in emails and on the cover of each dossier "
                                         "submitted from now on. Up to 200 characters."))
    name_ur = StringField(_l("The alliance's name in Urdu"), filters=[strip], validators=[Optional(), Length(max=200)],
                          render_kw={"dir": "rtl", "lang": "ur"},
                          description=_l("Shown on Urdu pages and in Urdu emails. Leave it empty to show the English "
                                         "name there. Up to 200 characters."))
    short_name = StringField(_l("Short name"), filters=[strip], validators=[Optional(), Length(max=40)],
                             render_kw={"dir": "auto"},
                             description=_l("An acronym or a few words, shown in the page header on small screens. "
                                            "Up to 40 characters."))
    contact_email = EmailField(_l("Contact address for signers"), filters=[strip],
                               validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=254)],
                               render_kw={"dir": "ltr"},
                               description=_l("The secretariat's shared address, given to organizations outside the "
                                              "alliance (for example whom to ask about a rejected signature). Leave "
                                              "it empty to give the address of the coordinator who decided."))
    consultation_days = _days(_l("Consultation length (days)"),
                              _l("The deadline suggested when a coordinator opens a consultation: this many days "
                                 "from that day. From 1 to 365."), "consultation_days")
    signon_days = _days(_l("Sign-on length (days)"),
                        _l("The deadline suggested when a coordinator opens sign-on. 0 suggests none: sign-on is "
                           "then closed by hand. From 0 to 365."), "signon_days")
    default_recipients = SelectMultipleField(
        _l("Institutions ticked on the submit page"), coerce=int, widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(), validate_choice=True,
        description=_l("Ticked besides the institutions the recommendations are addressed to. The coordinator "
                       "can still change the choice before submitting."))
    acknowledge_days = _days(_l("Days for an institution to acknowledge receipt"),
                             _l("Counted from the day of submission. From 1 to 365."), "acknowledge_days")
    answer_days = _days(_l("Days for an institution to answer"),
                        _l("Counted from the day of submission. From 1 to 730."), "answer_days")
