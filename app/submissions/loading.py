"""Loading a submission from the URL, with the access check in one place (the submission and response
views both use it)."""
from flask import abort
from flask_login import current_user

from app import permissions
from app.extensions import db, login_manager
from app.submissions.models import Submission


def get_submission(submission_id: int) -> Submission:
    """The submission if this person may open its complete dossier; 404 otherwise (other institutions'
    reviewers do not learn that it exists)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not permissions.can_view_dossier(current_user, submission.declaration,
                                                              submission.institution_ids):
        abort(404)
    return submission


def get_readable_submission(submission_id: int) -> tuple[Submission, bool]:
    """The submission and whether this person reads its complete dossier (True) or the public extract
    (False). A dossier they may not read at all: a visitor is sent to log in, as for a members-only
    declaration; anyone else gets 404."""
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    declaration, institution_ids = submission.declaration, submission.institution_ids
    if permissions.can_view_dossier(current_user, declaration, institution_ids):
        return submission, True
    if permissions.can_read_dossier(current_user, declaration, institution_ids):
        return submission, False
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(404)
