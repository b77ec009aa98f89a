from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.choices import LANGUAGES
from app.comments.services import MAX_LENGTH
from app.web.forms import CreateForm, Form, Length


class CommentForm(CreateForm):
    parent_id = HiddenField()
    # On a bilingual declaration: which language's text the comment is on (asked only there; a reply sent
    # without it takes the language of the comment it answers, app/comments/posting.py).
    language = RadioField(_l("Which text is your comment on?"), choices=list(LANGUAGES.items()),
                          validators=[Optional()])
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
                         description=_l("Markdown is allowed. Be specific: quote the words you would change."))


class FlagForm(CreateForm):
    reason = StringField(_l("Why should a coordinator look at this comment?"),
                         validators=[DataRequired(), Length(max=500)])


class ModerationForm(Form):
    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (shown to the author)"), validators=[Optional(), Length(max=1000)])
