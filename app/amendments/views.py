"""Proposing amendments, discussing them, and the coordinators' decisions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.amendments import services
from app.amendments.forms import AmendmentForm, DecisionForm, MergeForm
from app.amendments.models import Amendment
from app.choices import LANGUAGE_NAMES, AmendmentStatus, label
from app.comments import services as comments
from app.comments.forms import CommentForm
from app.comments.models import Comment
from app.comments.posting import post_comment
from app.declarations.diff import word_diff
from app.declarations.loading import get_declaration, get_item
from app.declarations.services import consultation_closed_message
from app.time import utcnow
from app.web.languages import reading_languages
from app.web.pages import (
    acting_user,
    answer_repeat,
    ask_again,
    carry_out,
    flash_refusal,
    form_id,
    get_or_404,
    page_number,
    render_form,
    require,
)
from app.web.paging import sql_page

bp = Blueprint("amendments", __name__)
AMENDMENTS_PER_PAGE = 20


@bp.route("/declarations/<int:declaration_id>/<any(section, recommendation):kind>/<int:item_id>/amend",
          methods=["GET", "POST"])
def propose(declaration_id, kind, item_id):
    declaration = get_declaration(declaration_id)
    item = get_item(declaration, kind, item_id)
    require(permissions.can_take_part(acting_user(), declaration))
    language = _proposed_on(declaration)
    form = AmendmentForm(text=services.current_text(item, language), language=language) \
        if request.method == "GET" else AmendmentForm()
    error = consultation_closed_message(declaration) if request.method == "GET" else None
    if form.validate_on_submit():
        outcome = carry_out(
            services.propose, acting_user(), declaration, item, text=form.text.data, rationale=form.rationale.data,
            language=language, form_key=form.form_key.data,
            success=_("Your amendment has been proposed. Coordinators will decide on it after the consultation."))
        if outcome.repeat:
            return answer_repeat(outcome.repeat)
        if outcome.done:
            return redirect(outcome.answered(url_for("amendments.detail", amendment_id=outcome.result.id)))
        error = outcome.error
    amended = services.amended_texts(declaration.id)[kind, item.id]
    return render_form("amendments/propose.html", form=form, declaration=declaration, item=item, kind=kind,
                       amended=amended, error=error, language=language,
                       status=422 if error and request.method == "POST" else 200)


def _proposed_on(declaration) -> str | None:
    """Which language's text of a bilingual declaration a proposal changes: the one its form carries, else the
    one the reader reads (?text=). None for a declaration in one language."""
    if not declaration.bilingual:
        return None
    if request.method == "POST":
        return request.form.get("language") or None  # the service refuses a language the declaration lacks
    return reading_languages(declaration)[0]


def _load(amendment_id: int) -> Amendment:
    """The amendment, if its declaration is visible and it was not taken down (coordinators see those too)."""
    amendment = get_or_404(Amendment, amendment_id)
    declaration = get_declaration(amendment.declaration_id)
    if amendment.hidden_at is not None and not permissions.can_manage_declaration(current_user, declaration):
        abort(404)
    return amendment


@bp.route("/amendments/<int:amendment_id>", methods=["GET", "POST"])
def detail(amendment_id):
    """The proposal against the text it replaces, its rationale, its discussion and the decision."""
    amendment = _load(amendment_id)
    declaration = amendment.declaration
    form = CommentForm()
    answer, message, error = post_comment(
        declaration, form, lambda comment: url_for("amendments.detail", amendment_id=amendment.id,
                                                   _anchor=f"c{comment.id}"), amendment=amendment)
    if answer is not None:
        flash(message, "success")
        return redirect(answer)
    page = comments.visible_thread_page(declaration, Comment.amendment_id == amendment.id, page_number(), current_user)
    target = amendment.target
    amended = services.amended_text(amendment, services.amended_texts(declaration.id))
    return render_form("amendments/detail.html", form=form, error=error, amendment=amendment, declaration=declaration,
                       target=target, amended=amended,
                       change=services.proposed_change(amendment, _base_text(amendment), amended),
                       stale=services.moved_on(amendment),
                       decision_form=DecisionForm(), page=page, closed_message=consultation_closed_message(declaration),
                       now=utcnow(), edit_window=comments.EDIT_WINDOW, flagged=comments.flagged_by(current_user, page))


def _today_revision_id(amendment: Amendment) -> int:
    """The id of today's revision of the text the amendment changes, in its language (0: not written)."""
    revision = services.written_on_revision(amendment)
    return revision.id if revision is not None else 0


def _accepted(amendment: Amendment, said: str) -> None:
    """Tell the coordinator the amendment is in, and, on a bilingual declaration, that the other language's
    text of the part now needs translation (unless it was this language's that lagged, now caught up)."""
    waiting = amendment.target.needs_translation
    if amendment.language and waiting and waiting != amendment.language:
        said += " " + _("The %(language)s text of this part now needs translation.",
                        language=label(LANGUAGE_NAMES, waiting))
    flash(said, "success")


def _base_text(amendment: Amendment) -> str:
    return services.base_texts([amendment]).get(amendment.id, "")


@bp.route("/amendments/<int:amendment_id>/accept", methods=["POST"])
def accept(amendment_id):
    amendment = _load(amendment_id)
    require(permissions.can_manage_declaration(acting_user(), amendment.declaration))
    outcome = carry_out(services.accept, acting_user(), amendment)
    if outcome.done:
        _accepted(amendment, _("The amendment has been accepted and is now part of the text, credited to %(name)s.",
                               name=amendment.proposer.name))
    if isinstance(outcome.refusal, services.AmendmentConflict):
        return redirect(url_for("amendments.merge", amendment_id=amendment.id))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("amendments.detail", amendment_id=amendment.id))


@bp.route("/amendments/<int:amendment_id>/merge", methods=["GET", "POST"])
def merge(amendment_id):
    """The target changed since the proposal: the coordinator writes the merged text by hand."""
    amendment = _load(amendment_id)
    require(permissions.can_manage_declaration(acting_user(), amendment.declaration))
    target = amendment.target
    if request.method == "GET":
        form = MergeForm(text=amendment.text_source, base_revision_id=str(_today_revision_id(amendment)))
    else:
        form = MergeForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.accept, acting_user(), amendment, merged_text=form.text.data,
                            base_revision_id=form_id(form.base_revision_id.data) or -1)
        if outcome.done:
            _accepted(amendment, _("The merged text has been saved, credited to %(name)s.",
                                   name=amendment.proposer.name))
            return redirect(url_for("amendments.detail", amendment_id=amendment.id))
        error = outcome.error
        form.base_revision_id.data = str(_today_revision_id(amendment))
    # The text the amendment changes as it stands, in its language: what the merge is based on and shown against.
    today = services.current_text(target, amendment.language)
    amended = services.amended_text(amendment, services.amended_texts(amendment.declaration_id))
    return render_form("amendments/merge.html", status=409 if request.method == "GET" else None, form=form,
                       error=error, amendment=amendment, target=target, current_text=today,
                       amended=amended, diff=word_diff(_base_text(amendment), today),
                       against_today=word_diff(today, amendment.text_source))


@bp.route("/amendments/<int:amendment_id>/reject", methods=["POST"])
def reject(amendment_id):
    amendment = _load(amendment_id)
    require(permissions.can_manage_declaration(acting_user(), amendment.declaration))
    form = DecisionForm()
    if not form.validate_on_submit():
        return ask_again(form, action=request.path, title=_("Reject this amendment"), button=_("Reject"),
                         back=url_for("amendments.detail", amendment_id=amendment.id), danger=True)
    outcome = carry_out(services.reject, acting_user(), amendment, form.reason.data or "",
                        success=_("The amendment has been rejected. The proposer will see your reason."))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("amendments.detail", amendment_id=amendment.id))


@bp.route("/amendments/<int:amendment_id>/<any(hide, show):action>", methods=["POST"])
def set_hidden(amendment_id, action):
    amendment = _load(amendment_id)
    require(permissions.can_manage_declaration(acting_user(), amendment.declaration))
    form = DecisionForm()
    if not form.validate_on_submit():
        return ask_again(form, action=request.path, title=_("Take this amendment down"), button=_("Take down"),
                         back=url_for("amendments.detail", amendment_id=amendment.id), danger=True)
    outcome = carry_out(services.set_hidden, acting_user(), amendment, action == "hide", form.reason.data or "",
                        success=_("The amendment has been taken down.") if action == "hide"
                        else _("The amendment is shown again."))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("amendments.detail", amendment_id=amendment.id))


@bp.route("/declarations/<int:declaration_id>/amendments")
def for_declaration(declaration_id):
    declaration = get_declaration(declaration_id)
    query = (select(Amendment).options(selectinload(Amendment.proposer))
             .where(Amendment.declaration_id == declaration.id)
             .order_by(Amendment.status != AmendmentStatus.PENDING, Amendment.created_at))
    if not permissions.can_manage_declaration(current_user, declaration):
        query = query.where(Amendment.hidden_at.is_(None))
    status = request.args.get("status", "")
    if status in set(AmendmentStatus):  # the home page's count of amendments waiting links here
        query = query.where(Amendment.status == status)
    page = sql_page(query, AMENDMENTS_PER_PAGE)
    texts, bases = services.amended_texts(declaration.id), services.base_texts(page.items)
    amended = {a.id: services.amended_text(a, texts) for a in page.items}
    changes = {a.id: services.proposed_change(a, bases.get(a.id, ""), amended[a.id]) for a in page.items}
    return render_template("amendments/list.html", declaration=declaration, page=page, amended=amended,
                           changes=changes, status=status if status in set(AmendmentStatus) else "")
