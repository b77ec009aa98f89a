"""Open data: the read-only JSON API under /api/v1/ (with its OpenAPI document), the page that explains it, the bulk
download and the Atom feeds. Every view here is public (permissions.PUBLIC_ENDPOINTS) and shows only what a
visitor may see on the site: the resources' statements hold the visibility rules (app/opendata/record_kit.py).

API responses are JSON with a strong ETag of the body (If-None-Match answers 304), `Cache-Control: public,
max-age=60` and CORS for every origin; the API has a rate limit of its own per address (SANAD_API_LIMITS); its
errors are JSON too (app/web/error_pages.py answers JSON under /api/)."""
import hashlib
import json

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.declarations.models import Declaration
from app.extensions import db, limiter
from app.institutions.models import Institution
from app.links import absolute_url
from app.opendata import archive, feeds, openapi, scorecard
from app.opendata.follow_up import SIGNATORIES, SUBMISSIONS
from app.opendata.record_kit import Filters, Resource
from app.opendata.resources import (
    API_RESOURCES,
    BadQuery,
    decode_cursor,
    encode_cursor,
    parse_filters,
    parse_id,
    parse_limit,
    read_one,
    read_page,
)
from app.settings.services import alliance_name
from app.submissions.models import Submission

bp = Blueprint("opendata", __name__)

CACHE_CONTROL = "public, max-age=60"
# Headers a script on another site may read, and send (CORS).
EXPOSED = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
OPEN_ENDPOINTS = {"opendata.answers_feed", "opendata.declaration_feed", "opendata.download"}
RESOURCE = "any(" + ", ".join(API_RESOURCES) + "):resource"


def _api_limits() -> str:
    return current_app.config["API_LIMITS"]


# One limit for the whole API per address, whichever of its addresses is asked.
api_limit = limiter.shared_limit(_api_limits, scope="api")


@bp.after_app_request
def open_to_every_origin(response):
    """CORS for the API (its errors included), the feeds and the download: public data, read from anywhere."""
    if request.path.startswith("/api/") or request.endpoint in OPEN_ENDPOINTS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _matches(etag: str) -> bool:
    """If-None-Match names this body (also as compressed: Flask-Compress adds ':gzip' or ':br' to a strong ETag)."""
    sent = request.if_none_match
    return sent.star_tag or any(sent.contains_weak(tag) for tag in (etag, f"{etag}:gzip", f"{etag}:br"))


def _cached(body: bytes, mimetype: str, etag: str | None = None, headers: dict | None = None) -> Response:
    """The body with a strong ETag (of the body, unless given) and a public max-age; 304 when the reader has it."""
    etag = etag or hashlib.sha256(body).hexdigest()
    response = Response(b"" if _matches(etag) else body, 304 if _matches(etag) else 200, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _json(payload: dict, headers: dict | None = None) -> Response:
    return _cached(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), "application/json",
                   headers=headers)


def _page(kind: Resource, filters: Filters, endpoint: str, **view_args) -> Response:
    """A page of a list: `limit` records after the cursor, the link to the next page in the body and in Link."""
    try:
        limit = parse_limit(request.args.get("limit"))
        after = decode_cursor(kind, request.args["cursor"]) if "cursor" in request.args else 0
    except BadQuery as error:
        abort(400, description=str(error))
    records, next_key = read_page(kind, filters, after, limit)
    following = None
    if next_key is not None:
        kept = {name: request.args[name] for name in (*kind.filters, "limit") if request.args.get(name)}
        following = url_for(endpoint, **view_args, **kept, cursor=encode_cursor(kind, next_key), _external=True)
    return _json({"data": records, "next": following, "limit": limit},
                 {"Link": f'<{following}>; rel="next"'} if following else None)


@bp.route("/api/v1/")
@api_limit
def api_index():
    resources = {name: {"url": url_for("opendata.api_list", resource=name, _external=True), "summary": r.summary}
                 for name, r in API_RESOURCES.items()}
    return _json({"data": {
        "version": openapi.VERSION, "resources": resources,
        "openapi": url_for("opendata.openapi_document", _external=True),
        "documentation": url_for("opendata.page", _external=True),
        "download": url_for("opendata.download", _external=True),
        "feeds": {"answers": url_for("opendata.answers_feed", _external=True),
                  "declaration": request.url_root + "declarations/{id}/feed.atom"}}})


@bp.route(f"/api/v1/<{RESOURCE}>")
@api_limit
def api_list(resource):
    kind = API_RESOURCES[resource]
    try:
        filters = parse_filters(kind, request.args)
    except BadQuery as error:
        abort(400, description=str(error))
    return _page(kind, filters, "opendata.api_list", resource=resource)


@bp.route(f"/api/v1/<{RESOURCE}>/<int:item_id>")
@api_limit
def api_item(resource, item_id):
    found = read_one(API_RESOURCES[resource], item_id)
    if found is None:
        abort(404, description=f"There is no public record {item_id} in {resource}.")
    return _json({"data": found})


@bp.route("/api/v1/submissions/<int:submission_id>/signatories")
@api_limit
def api_signatories(submission_id):
    """The signatories a visitor sees named on the dossier's public extract; the others are never listed."""
    public = db.session.execute(
        SUBMISSIONS.statement(Filters()).where(Submission.id == submission_id)).first()
    if not public:
        abort(404, description=f"There is no public submission {submission_id}.")
    return _page(SIGNATORIES, Filters(submission=submission_id), "opendata.api_signatories",
                 submission_id=submission_id)


@bp.route("/api/v1/institutions/<int:institution_id>/scorecard")
@api_limit
def api_scorecard(institution_id):
    """The institution's scorecard over public dossiers: the latest year's by default, `?year=2025` or `?year=all`."""
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        abort(404, description=f"There is no institution {institution_id}.")
    try:
        year = scorecard.year_asked(request.args.get("year"), institution)
    except scorecard.BadYear as error:
        abort(400, description=str(error))
    return _json({"data": scorecard.scorecard_record(institution, year)})


@bp.route("/api/v1/openapi.json")
@api_limit
def openapi_document():
    return _json(openapi.document(current_app.config["SITE_URL"] or request.host_url.rstrip("/")))


# --- the page, the download and the feeds ---------------------------------------------------------------------


@bp.route("/open-data")
def page():
    """What the open data is and how to use it: the API, the download and the feeds, with examples."""
    example = db.session.execute(SUBMISSIONS.statement(Filters()).order_by(Submission.id.desc()).limit(1)).first()
    return render_template("opendata/page.html", archive=archive.newest(), resources=API_RESOURCES,
                           example_declaration=example.declaration_id if example else None,
                           institution=db.session.scalar(select(Institution).order_by(Institution.id).limit(1)))


@bp.route("/open-data/sanad-open-data.zip")
@api_limit
def download():
    newest = archive.newest()
    if newest is None:
        abort(404, description=_("The download of all open data has not been made yet: the site makes it on a "
                                 "schedule, after its data changes. Until then the programming interface serves the "
                                 "same data (see the open data page)."))
    if _matches(newest.stamp):
        return _cached(b"", "application/zip", etag=newest.stamp)
    return _cached(archive.archive_bytes(newest.id), "application/zip", etag=newest.stamp,
                   headers={"Content-Disposition": f'attachment; filename="{archive.NAME}"'})


def _feed(title: str, self_url: str, page_url: str, institution_id=None, declaration_id=None) -> Response:
    body = feeds.atom(title=title, author=alliance_name(), self_url=self_url, page_url=page_url,
                      language=str(get_locale() or "en"), entries=feeds.newest(institution_id, declaration_id))
    response = _cached(body, "application/atom+xml")
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


@bp.route("/feeds/answers.atom")
@api_limit
def answers_feed():
    """The newest published answers and implementation updates on public dossiers; ?institution= one's only."""
    if "institution" in request.args:
        try:
            institution = db.session.get(Institution, parse_id("institution", request.args["institution"]))
        except BadQuery:
            institution = None
        if institution is None:
            abort(404, description=_("There is no such institution."))
        return _feed(_("Answers and implementation updates from %(institution)s", institution=institution.name),
                     absolute_url("opendata.answers_feed", institution=institution.id),
                     absolute_url("responses.tracker", institution=institution.id), institution_id=institution.id)
    return _feed(_("Government answers and implementation updates"), absolute_url("opendata.answers_feed"),
                 absolute_url("responses.tracker"))


@bp.route("/declarations/<int:declaration_id>/feed.atom")
@api_limit
def declaration_feed(declaration_id):
    """The newest published answers and implementation updates on one public declaration's dossier."""
    declaration = db.session.get(Declaration, declaration_id)
    if declaration is None or not permissions.can_view_declaration(None, declaration):
        abort(404)
    return _feed(_("Answers and implementation updates: %(title)s", title=declaration.title),
                 absolute_url("opendata.declaration_feed", declaration_id=declaration.id),
                 absolute_url("declarations.read", declaration_id=declaration.id), declaration_id=declaration.id)
