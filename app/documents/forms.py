from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField
from wtforms.validators import AnyOf, DataRequired

from app.choices import DECLARATION_KINDS, MODERATION_MODES, VISIBILITIES
from app.web.forms import CreateForm, Form, choices


class UploadForm(Form):
    """The document, and for a bilingual text its translation in a second file."""
    document = FileField(_l("Word or OpenDocument file"),
                         description=_l(".docx or .odt, up to 8 MB. Images, comments and tracked changes not yet "
                                        "accepted are left out; the preview lists them."))
    translation = FileField(_l("The same text in the other language (optional)"),
                            description=_l("For a bilingual declaration: the English or Urdu file, with the same "
                                           "sections and recommendations in the same order."))


class NewUploadForm(UploadForm):
    kind = RadioField(_l("Kind"), choices=choices(DECLARATION_KINDS), default="declaration",
                      validators=[DataRequired()])
    moderation = RadioField(_l("Moderation of comments"), choices=choices(MODERATION_MODES), default="post",
                            validators=[DataRequired()])
    visibility = RadioField(_l("Who can read it once consultation opens"), choices=choices(VISIBILITIES),
                            default="members", validators=[DataRequired()])


class PreviewForm(Form):
    """The preview carried back (signed by this site), with the roles chosen for its paragraphs."""
    preview = HiddenField(validators=[DataRequired()])


class NewPreviewForm(PreviewForm, CreateForm):
    """The new declaration's settings, chosen on the upload page, carried through the preview."""
    kind = HiddenField(validators=[DataRequired(), AnyOf(list(DECLARATION_KINDS))])
    moderation = HiddenField(validators=[DataRequired(), AnyOf(list(MODERATION_MODES))])
    visibility = HiddenField(validators=[DataRequired(), AnyOf(list(VISIBILITIES))])
