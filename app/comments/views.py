"""Comment threads on sections and recommendations, flags, and the coordinators' moderation queue."""
import hashlib

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.choices import CommentStatus
from app.comments import services
from app.comments.forms import CommentForm, FlagForm, ModerationForm
from app.comments.models import Comment, ModerationDecision
from app.comments.posting import post_comment
from app.declarations.loading import get_declaration, get_item
from app.declarations.services import consultation_closed_message, live_recommendations, live_sections, numbering
from app.exports import csv_text
from app.extensions import db
from app.time import utcnow
from app.web.pages import (
    acting_user,
    answer_repeat,
    ask_again,
    carry_out,
    flash_refusal,
    get_or_404,
    page_number,
    render_form,
    require,
)
from app.web.paging import sql_page

bp = Blueprint("comments", __name__)

# The queue's buttons, for a decision asked again (a reason too long …).
MODERATION_BUTTONS = {"approve": _l("Approve"), "reject": _l("Reject"), "hide": _l("Hide"),
                      "dismiss": _l("Keep it (dismiss the flags)"), "restore": _l("Restore")}

@bp.route("/declarations/<int:declaration_id>/<any(section, recommendation):kind>/<int:item_id>/comments",
          methods=["GET", "POST"])
def thread(declaration_id, kind, item_id):
    declaration = get_declaration(declaration_id)
    item = get_item(declaration, kind, item_id)
    form = CommentForm()
    text = request.args.get("text") if declaration.bilingual else None  # the language the reader reads it in
    answer, message, error = post_comment(
        declaration, form, lambda comment: url_for("comments.thread", declaration_id=declaration.id, kind=kind,
                                                   item_id=item.id, text=text, _anchor=f"c{comment.id}"),
        **{kind: item})
    if answer is not None:
        flash(message, "success")
        return redirect(answer)
    target = Comment.section_id == item.id if kind == "section" else Comment.recommendation_id == item.id
    page = services.visible_thread_page(declaration, target, page_number(), current_user)
    number = numbering(live_recommendations(declaration.id)).get(item.id) if kind == "recommendation" else None
    return render_form("comments/thread.html", form=form, error=error, declaration=declaration, item=item, kind=kind,
                       number=number, page=page, closed_message=consultation_closed_message(declaration), now=utcnow(),
                       edit_window=services.EDIT_WINDOW, flagged=services.flagged_by(current_user, page))


def _back(comment: Comment):
    if comment.amendment_id:
        return url_for("amendments.detail", amendment_id=comment.amendment_id, _anchor=f"c{comment.id}")
    kind, item_id = ("section", comment.section_id) if comment.section_id else ("recommendation",
                                                                                 comment.recommendation_id)
    return url_for("comments.thread", declaration_id=comment.declaration_id, kind=kind, item_id=item_id,
                   _anchor=f"c{comment.id}")


def _own_comment(comment_id: int) -> Comment:
    comment = get_or_404(Comment, comment_id)
    get_declaration(comment.declaration_id)
    require(permissions.can_edit_comment(acting_user(), comment))
    return comment


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id):
    comment = _own_comment(comment_id)
    form = CommentForm(body=comment.body_source) if request.method == "GET" else CommentForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.edit_comment, acting_user(), comment, form.body.data,
                            success=_("Your comment has been updated."))
        if outcome.done:
            return redirect(_back(comment))
        error = outcome.error
    return render_form("comments/edit.html", form=form, comment=comment, error=error, back=_back(comment),
                       edit_minutes=services.edit_minutes())


def text_stamp(comment: Comment) -> str:
    """What the delete page showed of a comment: the SHA-256 of its text, sent back when deleting is confirmed."""
    return hashlib.sha256(comment.body_source.encode()).hexdigest()


@bp.route("/comments/<int:comment_id>/delete", methods=["GET"])
def confirm_delete(comment_id):
    """Deleting one's comment cannot be undone: this page shows it and says what stays."""
    comment = _own_comment(comment_id)
    return render_template("comments/confirm_delete.html", comment=comment, stamp=text_stamp(comment),
                           back=_back(comment))


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
def delete(comment_id):
    comment = _own_comment(comment_id)
    if request.form.get("expected_text_sha256") != text_stamp(comment):
        error = (_("Confirm on this page: it shows the comment you are deleting.")
                 if not request.form.get("expected_text_sha256")
                 else _("The comment was edited after this page was opened. Check it and confirm again."))
        return render_template("comments/confirm_delete.html", comment=comment, stamp=text_stamp(comment),
                               back=_back(comment), error=error), 422
    outcome = carry_out(services.delete_comment, acting_user(), comment, success=_("Your comment has been deleted."))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(_back(comment))


@bp.route("/comments/<int:comment_id>/flag", methods=["GET", "POST"])
def flag(comment_id):
    comment = get_or_404(Comment, comment_id)
    get_declaration(comment.declaration_id)
    if comment.status != CommentStatus.PUBLISHED or comment.deleted_at is not None:
        abort(404)
    require(permissions.can_flag_comment(acting_user(), comment))
    if services.has_open_flag(acting_user(), comment):
        flash(_("You have already flagged this comment. A coordinator will look at it."), "info")
        return redirect(_back(comment))
    form = FlagForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.flag_comment, acting_user(), comment, form.reason.data,
                            form_key=form.form_key.data,
                            success=_("Thank you. A coordinator will look at this comment."))
        if outcome.repeat:
            return answer_repeat(outcome.repeat)
        if outcome.done:
            return redirect(outcome.answered(_back(comment)))
        error = outcome.error
    return render_form("comments/flag.html", form=form, comment=comment, error=error, back=_back(comment))


@bp.route("/declarations/<int:declaration_id>/comments.csv")
def export(declaration_id):
    """All published comments of a declaration, for coordinators, thread by thread as on the page: a comment
    that is not shown (hidden, rejected, waiting, deleted) is a placeholder row without its text or author
    when it holds replies (a hidden one always), and reply_to keeps the tree."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    numbers = numbering(live_recommendations(declaration.id))
    comments = db.session.scalars(
        select(Comment).options(selectinload(Comment.author), selectinload(Comment.organization))
        .where(Comment.declaration_id == declaration.id)).all()
    roots, replies = services.shape(comments)
    decisions = services.taken_down_decisions([c for c in comments if c.status in services.TAKEN_DOWN])
    headings = {s.id: s.current.heading for s in live_sections(declaration.id)}

    def target(c):
        if c.section_id:
            return headings.get(c.section_id, _("deleted section"))
        if c.recommendation_id:
            return _("Recommendation %(n)s", n=numbers.get(c.recommendation_id, "?"))
        return _("Amendment %(n)d", n=c.amendment_id)

    def rows(comment, depth):
        shown = comment.status == CommentStatus.PUBLISHED and comment.deleted_at is None
        yield [comment.id, comment.parent_id or "", depth, target(comment),
               comment.author.name if shown else "",
               comment.organization.name if shown and comment.organization else "",
               comment.version_number, comment.created_at.isoformat(timespec="seconds"),
               comment.body_source if shown else "",
               "" if shown else services.placeholder(comment, decisions.get(comment.id), with_reason=True)]
        for reply in replies.get(comment.id, []):
            yield from rows(reply, depth + 1)
    body = csv_text(
        ["id", "reply_to", "depth", "text_on", "author", "organization", "written_on_version", "created_at_utc",
         "comment", "placeholder"],
        (row for root in roots for row in rows(root, 1)))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=declaration-{declaration.id}-comments.csv"})


# --- moderation --------------------------------------------------------------------------

# The moderation queue's page: each comment comes with its text and a form.
QUEUE_PAGE_SIZE = 25


@bp.route("/moderation")
def queue():
    require(permissions.can_moderate(acting_user()))
    page = sql_page(services.moderation_queue(), QUEUE_PAGE_SIZE)
    others = services.other_coordinators(acting_user())
    allowed = {c.id for c in page.items if permissions.can_moderate_comment(
        acting_user(), c, services.another_coordinator_among(others, c))}
    return render_template("comments/queue.html", page=page, comments=page.items,
                           flags=services.open_flags([c.id for c in page.items]),
                           mine=lambda c: c.id in allowed,
                           form=ModerationForm(), back=_back)


@bp.route("/moderation/comments/<int:comment_id>", methods=["POST"])
def moderate(comment_id):
    require(permissions.can_moderate(acting_user()))
    comment = get_or_404(Comment, comment_id)
    form = ModerationForm()
    if not form.validate_on_submit():
        if form.action.errors:
            flash_refusal(_("The form was incomplete; nothing was done."))
            return redirect(url_for("comments.queue"))
        return ask_again(form, action=request.path, title=_("Moderate this comment"),
                         hidden={"action": form.action.data}, button=str(MODERATION_BUTTONS.get(form.action.data, "")),
                         back=url_for("comments.queue"), danger=form.action.data in ("reject", "hide"))
    outcome = carry_out(services.moderate, acting_user(), comment, form.action.data, form.reason.data or "",
                        success=_("Decision recorded."))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("comments.queue"))


@bp.route("/moderation/history")
def history():
    require(permissions.can_moderate(acting_user()))
    query = (select(ModerationDecision)
             .options(selectinload(ModerationDecision.moderator), selectinload(ModerationDecision.comment)
                      .selectinload(Comment.author))
             .order_by(ModerationDecision.id.desc()))
    page = sql_page(query, 50)
    return render_template("comments/history.html", page=page, back=_back)
