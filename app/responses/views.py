"""The reviewer's workspace (acknowledge, answer, publish, report progress), the alliance's assessments,
the public recommendation page, the tracker and the response statistics."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app import charts, permissions
from app.choices import IMPLEMENTATION_STATUSES, PILLARS, POSITIONS, THEMES
from app.declarations.signals import lines_of
from app.extensions import db, login_manager
from app.institutions.models import Institution
from app.responses import deadlines as answers_on_time
from app.responses import queries, reasons, services
from app.responses import signals as tracker_signals
from app.responses import tracker as tracker_rows
from app.responses.forms import AnswerForm, AssessmentForm, CloseForm, PublishForm, UpdateForm
from app.responses.tracker import Filters, classification_filters
from app.submissions.deadlines import of_recipient, site_today
from app.submissions.loading import get_submission
from app.submissions.services import follow_up_closed_message, submitted_recommendations
from app.time import local_date, utcnow
from app.web.pages import (
    acting_user,
    answer_repeat,
    carry_out,
    flash_refusal,
    form_id,
    page_number,
    render_form,
    require,
)
from app.web.paging import CountedPage

bp = Blueprint("responses", __name__)


def _item_or_404(submission, recommendation_id):
    """The submitted recommendation; a recommendation not in the submission gets a 404 page saying so."""
    outcome = carry_out(services.submitted_recommendation_for, submission, recommendation_id)
    if not outcome.done:
        abort(404, description=outcome.error)
    return outcome.result


def _institutions():
    return db.session.scalars(select(Institution).order_by(Institution.name)).all()


def _back_to_workspace(submission):
    return redirect(url_for("responses.workspace", submission_id=submission.id), 303)


# --- the reviewer's workspace ---------------------------------------------------------------

@bp.route("/submissions/<int:submission_id>/acknowledge", methods=["POST"])
def acknowledge(submission_id):
    submission = get_submission(submission_id)
    require(permissions.can_respond(current_user, submission.institution_ids))
    outcome = carry_out(services.acknowledge, acting_user(), submission, submission.declaration)
    if not outcome.done:
        flash_refusal(outcome.error)
    elif outcome.result:
        flash(_("Receipt acknowledged. The alliance has been told."), "success")
    else:
        flash(_("Receipt was already acknowledged."), "info")
    return _back_to_workspace(submission)


@bp.route("/submissions/<int:submission_id>/respond")
def workspace(submission_id):
    """Every recommendation with whom it is addressed to, the institution's draft and published answer, and the
    way to the publication's confirmation page."""
    submission = get_submission(submission_id)
    require(permissions.can_respond(current_user, submission.institution_ids))
    recipient = submission.recipient(current_user.institution_id)
    answers = queries.institution_answers(submission, recipient.institution_id)
    drafts = sum(1 for a in answers.values() if a["draft"] is not None)
    published = sum(1 for a in answers.values() if a["published"] is not None)
    items = submitted_recommendations(submission)
    return render_template("responses/workspace.html", submission=submission, declaration=submission.declaration,
                           recipient=recipient, items=items, answers=answers, drafts=drafts, published=published,
                           closed=follow_up_closed_message(submission), today=site_today(),
                           deadline=of_recipient(submission.id, recipient.institution_id),
                           unanswered=answers_on_time.unanswered_count(items, answers, recipient.institution_id))


@bp.route("/submissions/<int:submission_id>/recommendations/<int:recommendation_id>/answer", methods=["GET", "POST"])
def answer(submission_id, recommendation_id):
    """The answer form, beside what the alliance said about the recommendation (reservations, comments)."""
    submission = get_submission(submission_id)
    require(permissions.can_respond(current_user, submission.institution_ids))
    item = _item_or_404(submission, recommendation_id)
    recipient = submission.recipient(current_user.institution_id)
    current = queries.institution_answers(submission, recipient.institution_id).get(item.id, {})
    form = AnswerForm()
    form.lead_institution.choices = [("", _("Not stated"))] + [(str(i.id), i.name) for i in _institutions()]
    outside = services.outside_remit(item, recipient.institution_id)
    form.outside_remit.label.text = _("Answer although it is not addressed to %(institution)s",
                                      institution=recipient.institution.name)
    error = None
    if form.validate_on_submit():
        outcome = carry_out(
            services.save_answer, acting_user(), submission, recommendation_id, position=form.position.data,
            explanation=form.explanation.data, lead_institution_id=form_id(form.lead_institution.data),
            target_date=form.target_date.data, outside_remit_chosen=outside and form.outside_remit.data,
            form_key=form.form_key.data,
            success=_("Answer to recommendation %(number)d saved as a draft. Nobody outside your institution sees it "
                      "until you publish.", number=item.number))
        if outcome.repeat:
            return answer_repeat(outcome.repeat)
        if outcome.done:
            return redirect(outcome.answered(url_for("responses.workspace", submission_id=submission.id)), 303)
        error = outcome.error
    elif request.method == "GET":
        start = current.get("draft") or current.get("published")
        if start is not None:
            form.position.data, form.explanation.data = start.position, start.explanation
            form.lead_institution.data = str(start.lead_institution_id or "")
            form.target_date.data = start.target_date
            form.outside_remit.data = outside
    reservations, reservation_total = queries.reservations_on(current_user, submission, item)
    comments = queries.published_comments_on(current_user, submission.declaration, item)
    return render_form("responses/answer.html", form=form, error=error, submission=submission, item=item,
                       declaration=submission.declaration, current=current, recipient=recipient, today=site_today(),
                       deadline=of_recipient(submission.id, recipient.institution_id),
                       text=_recommendation_text(submission, item), closed=follow_up_closed_message(submission),
                       outside=outside, addressees=services.addressee_names(submission, item),
                       reservations=reservations, reservation_total=reservation_total, comments=comments)


def _recommendation_text(submission, item) -> dict:
    return next(r for r in submission.content["text"]["recommendations"] if r["id"] == item.recommendation_id)


@bp.route("/submissions/<int:submission_id>/publish")
def confirm_publish(submission_id):
    """What will become public, draft by draft, before anything does: the reviewer chooses which to publish."""
    submission = get_submission(submission_id)
    require(permissions.can_respond(current_user, submission.institution_ids))
    recipient = submission.recipient(current_user.institution_id)
    drafts = services.institution_drafts(submission, recipient.institution_id)
    lacking = _lacking(drafts)
    return _publish_page(submission, recipient, drafts, chosen={d.id for d in drafts if d.id not in lacking})


def _lacking(drafts) -> dict[int, str]:
    """The drafts that lack what their position needs (app/responses/reasons.py): what to say of each."""
    return {d.id: problem[1] for d in drafts
            if (problem := reasons.problem(d.position, d.explanation, d.lead_institution_id, d.target_date))}


def _publish_page(submission, recipient, drafts, *, chosen, error=None, changed=(), status=200):
    items = {i.id: i for i in submitted_recommendations(submission)}
    return render_form("responses/publish.html", form=PublishForm(), submission=submission, lacking=_lacking(drafts),
                       declaration=submission.declaration, recipient=recipient,
                       rows=[(d, items[d.item_id], services.seen_stamp(d)) for d in drafts], chosen=chosen,
                       changed=set(changed), error=error, status=status,
                       acknowledged=recipient.acknowledged_at is not None,
                       closed=follow_up_closed_message(submission),
                       names=submission.institution_names)


def _seen(form_data) -> tuple[set[int], dict[int, str]]:
    """The drafts ticked on the confirmation page, and the stamps it carried of each draft it showed."""
    chosen = {i for i in (form_id(v) for v in form_data.getlist("publish_answer")) if i is not None}
    stamps = {}
    for name, value in form_data.items():
        if name.startswith("seen_updated_") and (answer_id := form_id(name.removeprefix("seen_updated_"))):
            stamps[answer_id] = value
    return chosen, stamps


@bp.route("/submissions/<int:submission_id>/publish", methods=["POST"])
def publish(submission_id):
    """Publish the drafts chosen on the confirmation page, as the page showed them; a POST that does not come
    from that page (no seen_updated_<id> for a chosen draft) publishes nothing."""
    submission = get_submission(submission_id)
    require(permissions.can_respond(current_user, submission.institution_ids))
    recipient = submission.recipient(current_user.institution_id)
    form = PublishForm()
    chosen, stamps = _seen(request.form)
    error = None
    if not form.validate_on_submit():
        error = _("The form had expired. Nothing was published. Check the list and confirm again.")
    elif not stamps:
        error = _("Nothing was published: publishing starts from this page, which lists every draft. Check "
                  "the list and confirm.")
    elif not chosen:
        error = _("Nothing was published: no draft answer was ticked. Tick the answers to publish.")
    elif not chosen <= set(stamps):
        error = _("Nothing was published: the answers sent were not the ones on this page. Check the list and "
                  "confirm again.")
    changed: set[int] = set()
    if error is None:
        outcome = carry_out(services.publish, acting_user(), submission, submission.declaration,
                            {answer_id: stamps[answer_id] for answer_id in chosen})
        if outcome.done:
            flash(ngettext("%(num)d answer published. It is shown beside its recommendation, and the alliance has "
                           "been told.",
                           "%(num)d answers published. They are shown beside each recommendation, and the alliance "
                           "has been told.", outcome.result), "success")
            return _back_to_workspace(submission)
        error = outcome.error
        if isinstance(outcome.refusal, services.DraftsChanged):
            changed = outcome.refusal.answer_ids
    drafts = services.institution_drafts(submission, recipient.institution_id)
    # Kept ticked: what the person ticked and still stands unchanged; a draft that changed is shown, unticked.
    keep = {d.id for d in drafts if d.id in chosen and d.id not in changed} if chosen else {d.id for d in drafts}
    return _publish_page(submission, recipient, drafts, chosen=keep, error=error, changed=changed, status=422)


@bp.route("/submissions/<int:submission_id>/recommendations/<int:recommendation_id>/update", methods=["GET", "POST"])
def post_update(submission_id, recommendation_id):
    submission = get_submission(submission_id)
    require(permissions.can_respond(current_user, submission.institution_ids))
    item = _item_or_404(submission, recommendation_id)
    form = UpdateForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.post_update, acting_user(), submission, recommendation_id,
                            status=form.status.data, evidence=form.evidence.data, happened_on=form.happened_on.data,
                            form_key=form.form_key.data, success=_("Implementation update published."))
        if outcome.repeat:
            return answer_repeat(outcome.repeat)
        if outcome.done:
            return redirect(outcome.answered(
                url_for("responses.recommendation", recommendation_id=recommendation_id)), 303)
        error = outcome.error
    elif request.method == "GET":
        form.happened_on.data = local_date(utcnow())
    answered = services.has_published_answer(item, current_user.institution_id)
    return render_form("responses/update.html", form=form, error=error, submission=submission, item=item,
                       declaration=submission.declaration, text=_recommendation_text(submission, item),
                       closed=follow_up_closed_message(submission), answered=answered)


# --- the alliance's side ---------------------------------------------------------------------

@bp.route("/submissions/<int:submission_id>/recommendations/<int:recommendation_id>/assessment",
          methods=["GET", "POST"])
def assess(submission_id, recommendation_id):
    submission = get_submission(submission_id)
    require(permissions.can_assess(current_user))
    item = _item_or_404(submission, recommendation_id)
    form = AssessmentForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.assess, acting_user(), submission, recommendation_id, rating=form.rating.data,
                            notes=form.notes.data, form_key=form.form_key.data,
                            success=_("The alliance's assessment is published."))
        if outcome.repeat:
            return answer_repeat(outcome.repeat)
        if outcome.done:
            return redirect(outcome.answered(
                url_for("responses.recommendation", recommendation_id=recommendation_id)), 303)
        error = outcome.error
    return render_form("responses/assess.html", form=form, error=error, submission=submission, item=item,
                       declaration=submission.declaration, text=_recommendation_text(submission, item),
                       record=queries.recommendation_record(current_user, item),
                       closed=follow_up_closed_message(submission))


@bp.route("/submissions/<int:submission_id>/close", methods=["GET", "POST"])
def close(submission_id):
    submission = get_submission(submission_id)
    require(permissions.can_assess(current_user))
    form = CloseForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.close_followup, acting_user(), submission, form.reason.data,
                            expected_unanswered=form.expected_unanswered.data,
                            success=_("The follow-up is closed. Answers, updates and assessments stay as they are."))
        if outcome.done:
            return redirect(url_for("submissions.dossier", submission_id=submission.id), 303)
        error = outcome.error
    elif request.method == "POST" and not form.expected_unanswered.data:
        error = _("Confirm on this page: it shows what stays unanswered.")
    unanswered = services.unanswered(submission)
    form.expected_unanswered.data = services.unanswered_stamp(unanswered)
    return render_form("responses/close.html", form=form, error=error, submission=submission,
                       declaration=submission.declaration, closed=follow_up_closed_message(submission),
                       unanswered=unanswered)


# --- public pages ----------------------------------------------------------------------------

@bp.route("/recommendations/<int:recommendation_id>")
def recommendation(recommendation_id):
    """A submitted recommendation with the government's answers, their updates and the alliance's assessment,
    side by side, with their history."""
    item = queries.latest_submitted_recommendation(recommendation_id)
    if item is None:
        abort(404)
    submission = item.submission
    declaration = submission.declaration
    if not permissions.can_view_response(current_user, declaration, submission.institution_ids):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(404)
    record = queries.recommendation_record(current_user, item)
    return render_template("responses/recommendation.html", item=item, submission=submission,
                           declaration=declaration, text=_recommendation_text(submission, item), record=record,
                           line=lines_of(current_user, [item.recommendation_id]).get(item.recommendation_id),
                           closed=follow_up_closed_message(submission),
                           silent=answers_on_time.on_recommendation(item, record))


@bp.route("/tracker")
def tracker():
    """Submitted recommendations across declarations, filtered by pillar, theme, position, status and institution
    (and, with an institution, those whose target date is near), paged in the database."""
    args = request.args
    filters = Filters(declaration_id=form_id(args.get("declaration")),
                      pillar=args.get("pillar", "") if args.get("pillar") in PILLARS else "",
                      theme=args.get("theme", "") if args.get("theme") in THEMES else "",
                      position=args.get("position", "") if args.get("position") in POSITIONS else "",
                      status=args.get("status", "") if args.get("status") in IMPLEMENTATION_STATUSES else "",
                      institution_id=form_id(args.get("institution")), due=args.get("due") == "1",
                      **classification_filters(args))
    institutions = _institutions()
    if args.get("view") == "lines":  # one row per line: the lines area answers (app/lines/receivers.py)
        found = tracker_signals.tracker_lines_page(current_user, filters, page_number()) or {}
        page = CountedPage([], found.get("number", 1), found.get("per_page", 1), found.get("total", 0),
                           found.get("more", False))
        rows, lines = found.get("rows", []), {}
    else:
        page, rows = tracker_rows.page(current_user, filters, page_number())
        answers_on_time.on_tracker_rows(rows)
        lines = lines_of(current_user, [row["item"].recommendation_id for row in rows])
    return render_template("responses/tracker.html", page=page, rows=rows, filters=filters, lines=lines,
                           view="lines" if args.get("view") == "lines" else "",
                           pillar=filters.pillar, theme=filters.theme, position=filters.position,
                           status=filters.status, institution_id=filters.institution_id,
                           declaration_id=filters.declaration_id, due_days=tracker_rows.DUE_WITHIN.days,
                           institutions=institutions, names={i.id: i.acronym or i.name for i in institutions})


@bp.route("/submissions/<int:submission_id>/statistics")
def statistics(submission_id):
    submission = get_submission(submission_id)
    stats = queries.statistics(submission)
    return render_template("responses/statistics.html", submission=submission, declaration=submission.declaration,
                           stats=stats, positions=charts.bars(stats["positions"]),
                           implementation=charts.bars(stats["implementation"]),
                           assessments=charts.bars(stats["assessments"], in_order=True),
                           by_classification=queries.by_classification(submission))

