from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.web.forms import Form, Length


class InstitutionForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=30)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
