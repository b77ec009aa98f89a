from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from app.web.forms import CreateForm, Form, Length


class AmendmentForm(CreateForm):
    # On a bilingual declaration: which language's text the proposal changes (chosen by the page's ?text=).
    language = HiddenField()
    text = TextAreaField(_l("Proposed text"), validators=[DataRequired(), Length(max=20000)],
                         description=_l("The whole replacement text. Markdown is allowed."))
    rationale = TextAreaField(_l("Why this change?"), validators=[DataRequired(), Length(max=5000)])


class DecisionForm(Form):
    reason = TextAreaField(_l("Reason (shown to the proposer)"), validators=[Length(max=2000)])


class MergeForm(Form):
    base_revision_id = HiddenField(validators=[DataRequired()])
    text = TextAreaField(_l("Merged text"), validators=[DataRequired(), Length(max=20000)])
