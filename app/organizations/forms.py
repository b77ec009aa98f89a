from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Optional, ValidationError

from app.choices import ORGANIZATION_TYPES
from app.web.forms import Form, Length, choices, province_field


class OrganizationForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=30)])
    type = SelectField(_l("Type"), choices=choices(ORGANIZATION_TYPES), validators=[DataRequired()])
    province = province_field(_l("Province"))
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300),
                                                  URL(message=_l("Enter a full address starting with https://"))])
    description = TextAreaField(_l("About the organization"), validators=[Optional(), Length(max=4000)])

    def validate_website(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Enter a full address starting with https://"))
