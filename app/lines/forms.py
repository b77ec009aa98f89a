from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField
from wtforms.validators import DataRequired

from app.web.forms import Form


class CarryForm(Form):
    """Carry an earlier recommendation forward: which one, as the search listed it."""
    kind = HiddenField(validators=[DataRequired()])
    source_id = HiddenField(validators=[DataRequired()])


class UndoCarryForm(Form):
    """Stop carrying it forward: the line the page showed, so that an undo meant for another line does nothing."""
    line_id = HiddenField(validators=[DataRequired()])


class ImportForm(Form):
    csv_file = FileField(_l("CSV file"), description=_l("UTF-8, with commas or semicolons between the cells, up to "
                                                        "2 MB and 5,000 rows. Nothing is imported before you see "
                                                        "the preview and confirm it."))


class ConfirmImportForm(Form):
    """The file the preview showed, carried back whole (base64) with its SHA-256 and name."""
    content = HiddenField(validators=[DataRequired()])
    sha256 = HiddenField(validators=[DataRequired()])
    filename = HiddenField()
