"""The comment form under a text — a section, a recommendation or an amendment — shared by the comment
threads and the amendment pages."""
from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.choices import CommentStatus
from app.comments import services
from app.comments.forms import CommentForm
from app.comments.models import Comment
from app.extensions import db, login_manager
from app.web.languages import reading_languages
from app.web.pages import acting_user, carry_out, form_id, require


def post_comment(declaration, form: CommentForm, answer_for, **target):
    """Handle the comment form under a text (section, recommendation or amendment).

    Returns (answer_url, message, error): where to go and what to say once the comment is in (or where the
    first sending of this same form led, when it is a repeat), or the rule that refused it.
    answer_for(comment) gives the page to go to."""
    if request.method == "POST" and not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if declaration.bilingual and not form.is_submitted():
        form.language.data = reading_languages(declaration)[0]  # the text the reader is reading
    if not form.validate_on_submit():
        return None, None, None
    require(permissions.can_take_part(acting_user(), declaration))
    parent_id = form_id(form.parent_id.data)
    parent = db.session.get(Comment, parent_id) if parent_id else None
    if parent is not None and parent.declaration_id != declaration.id:
        parent = None  # the service then refuses a reply across texts
    outcome = carry_out(services.add_comment, acting_user(), declaration, body=form.body.data, parent=parent,
                        language=_written_on(declaration, form, parent, target.get("amendment")), **target,
                        form_key=form.form_key.data)
    if outcome.repeat:
        return outcome.repeat.answer_url or request.path, str(outcome.repeat), None
    if not outcome.done:
        return None, None, outcome.error
    return outcome.answered(answer_for(outcome.result)), posted_message(outcome.result), None


def _written_on(declaration, form: CommentForm, parent: Comment | None, amendment) -> str | None:
    """Which language's text of a bilingual declaration the comment is on: an amendment's discussion is on the
    amendment's text; otherwise the one chosen on the form, or for a reply sent without a choice, the language
    of the comment it answers (the service takes the original's when there is neither)."""
    if not declaration.bilingual:
        return None
    if amendment is not None:
        return amendment.language
    return form.language.data or (parent.language if parent is not None else None)


def posted_message(comment: Comment) -> str:
    """What the author is told once the comment is in."""
    return (_("Your comment has been published.") if comment.status == CommentStatus.PUBLISHED else
            _("Thank you. Your comment will appear once a coordinator approves it."))
