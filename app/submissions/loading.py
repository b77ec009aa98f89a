"""Loading a submission from the URL, with the access check in one place (the submission and response
views both use it)."""
from flask import abort
from flask_login import current_user

from app import permissions
from app.extensions import db
from app.submissions.models import Submission


def get_submission(submission_id: int) -> Submission:
    """The submission if this person may open its dossier; 404 otherwise (other institutions' reviewers
    do not learn that it exists)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not permissions.can_view_dossier(current_user, submission.declaration,
                                                              submission.institution_ids):
        abort(404)
    return submission
