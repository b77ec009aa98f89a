"""Sanad: a platform for civil-society alliances to draft, co-sign and submit declarations."""
from flask import Flask, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import BASE_DIR, Config, load_config
from app.web import availability, caching, error_pages, flashing


def create_app(config: Config | str | None = None) -> Flask:
    """Build the application. No side effects beyond wiring: no migrations, no network, no process-wide
    settings (app/runtime.py is called where processes start: wsgi.py, the benchmarks' server, the tests)."""
    if not isinstance(config, Config):
        config = load_config(config)
    app = Flask(__name__, template_folder=str(BASE_DIR / "templates"), static_folder=str(BASE_DIR / "static"),
                instance_path=str(BASE_DIR / "instance"))
    app.config.from_object(config)
    if config.PROXY_COUNT:
        n = config.PROXY_COUNT
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    caching.init_app(app)  # first: its response hooks must run last (compression, then nothing)
    _init_extensions(app)
    _register_blueprints(app)
    _connect_receivers()
    _register_request_hooks(app)
    error_pages.init_app(app)
    flashing.init_app(app)
    _register_template_helpers(app)

    from app.cli import register_cli
    register_cli(app)
    return app


def _select_locale():
    """The language of the link followed (?lang=, as every emailed link carries), else the one chosen in this
    browser (it survives logging in), else the profile's, else the browser's."""
    languages = _languages()
    if request.method in ("GET", "HEAD") and request.args.get("lang") in languages:
        return request.args["lang"]
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or "en"


def _languages():
    from app.choices import LANGUAGES
    return LANGUAGES


def _language_from_link():
    """A link from an email carries the mail's language (app.links.with_language): the page opens in it and
    this browser keeps it, even one that never saw the site (a sign-on confirmation opened on another phone)."""
    language = request.args.get("lang")
    # Opening the link only: a form on that page posts back to the same address, ?lang included, and must
    # not undo a language the reader chose on the page since.
    if request.method in ("GET", "HEAD") and language in _languages() and session.get("lang") != language:
        session["lang"] = language


def _body_limit():
    """The forms that take a whole file accept more than the site's usual body size: a dossier (/verify), a
    CSV of the years before Sanad, uploaded and then carried back from its preview (as base64, a third more), and
    a declaration's Word or OpenDocument files."""
    if request.endpoint == "submissions.verify":
        from app.submissions.services import MAX_UPLOAD
        request.max_content_length = MAX_UPLOAD + 64 * 1024
    elif request.endpoint in ("lines.import_preview", "lines.import_confirm"):
        from app.lines.importing import MAX_BYTES
        request.max_content_length = MAX_BYTES * 4 // 3 + 256 * 1024
    elif request.endpoint in ("documents.import_new", "documents.import_revision", "documents.import_new_confirm",
                              "documents.import_revision_confirm"):
        # A Word or OpenDocument file and its translation, or the preview of what was read from them carried back
        # (signed, compressed) with a choice per paragraph.
        from app.documents.uploads import MAX_REQUEST_BYTES
        request.max_content_length = MAX_REQUEST_BYTES
        request.max_form_memory_size = MAX_REQUEST_BYTES


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model registered before mappers configure)
    from app.database import ping_after_idle
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # A database server that does not answer is given up on after 5 seconds (the 503 page). No JIT: the
        # site's queries are short, and compiling one costs more than running it (about 10 ms for a filtered
        # declarations list at 100× the data, bench/growth.py), while PostgreSQL compiles any query its
        # planner thinks costly.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"connect_timeout": 5, "options": "-c jit=off", **options.get("connect_args", {})}
    db.init_app(app)
    with app.app_context():
        ping_after_idle(db.engine)

    @app.teardown_appcontext
    def _end_session(_error):
        """Runs before Flask-SQLAlchemy's own teardown: a connection the server dropped during the request
        cannot even roll back; it is discarded instead of turning an answered request into a 500."""
        try:
            db.session.remove()
        except Exception:  # noqa: BLE001 - whatever the driver raises, the connection is unusable
            try:
                db.session().invalidate()
            finally:
                db.session.registry.clear()
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    # Rate limits first, then the body limit, then CSRFProtect (which reads the form): a flood is refused
    # before anything is parsed.
    limiter.init_app(app)
    app.before_request(_body_limit)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    app.before_request(_language_from_link)  # before require_login: the login page a link leads to is in it too
    if app.config["ENV_NAME"] == "production" and app.config["RATELIMIT_STORAGE_URI"].startswith("memory"):
        app.logger.warning("RATELIMIT_STORAGE_URI is memory://: each worker counts on its own. "
                           "Use redis://… when running several workers or servers.")
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str):
        from app.accounts.services import user_for_login_token
        try:
            return user_for_login_token(token, app.config["PERMANENT_SESSION_LIFETIME"])
        except OperationalError:  # the 503 page follows (app.web.security.require_login), never the login form
            availability.note_error()
            return None


def _register_blueprints(app: Flask) -> None:
    from app.accounts import second_factor  # noqa: F401  (registers the second-factor pages on the blueprint)
    from app.accounts.views import bp as accounts
    from app.admin.views import bp as admin
    from app.amendments.views import bp as amendments
    from app.comments.views import bp as comments
    from app.declarations import editor, translating  # noqa: F401  (register the editing and translation views)
    from app.declarations.views import bp as declarations
    from app.documents import uploads  # noqa: F401  (registers the import views on the documents blueprint)
    from app.documents.views import bp as documents
    from app.home.views import bp as home
    from app.lines.views import bp as lines
    from app.notifications.views import bp as notifications
    from app.opendata.views import bp as opendata
    from app.organizations.views import bp as organizations
    from app.responses.views import bp as responses
    from app.scorecards.views import bp as scorecards
    from app.search.views import bp as search
    from app.signatures.views import bp as signatures
    from app.submissions.views import bp as submissions
    from app.web.pages import IdConverter
    app.url_map.converters["int"] = IdConverter
    for blueprint in (home, accounts, organizations, admin, declarations, comments, amendments, search,
                      signatures, submissions, documents, responses, scorecards, lines, notifications, opendata):
        app.register_blueprint(blueprint)


def _connect_receivers() -> None:
    """Each area's receivers.py acts on what declarations announce (app/declarations/signals.py): imported
    here so that none is left unconnected, whichever views happen to be loaded."""
    from app.comments import receivers as comments  # noqa: F401  (reading page: comment counts)
    from app.lines import receivers as lines  # noqa: F401  (the lines of recommendations, the tracker's lines)
    from app.notifications import receivers as notifications  # noqa: F401  (phase changes: alliance told)
    from app.responses import receivers as responses  # noqa: F401  (reading page: government answers)
    from app.search import receivers as search  # noqa: F401  (saved and removed text: the index)
    from app.signatures import receivers as signatures  # noqa: F401  (reading page, phase changes, previews)
    from app.submissions import receivers as submissions  # noqa: F401  (the institutions addressed)


def _register_request_hooks(app: Flask) -> None:
    from app.audit.services import write_records_after_request
    from app.extensions import db
    from app.mail.services import send_after_response, take_queued_ids
    from app.web.security import add_security_headers, require_login

    app.before_request(require_login)

    @app.after_request
    def finish_unit_of_work(response):
        """One commit per successful request; queued mail leaves after it. A refused action's writes were
        already undone by app.web.pages.attempt(); an error response commits nothing, and what it flashed about
        its work is taken back (app.web.flashing). A commit that fails raises: the error page follows and comes
        back here with its error status."""
        if response.status_code < 400:
            if _has_writes(db.session):
                db.session.commit()
            ids = take_queued_ids()
            if ids:
                send_after_response(response, ids)
        else:
            db.session.rollback()
            take_queued_ids()
            flashing.take_back()
        try:
            if write_records_after_request():  # refusals on record, whatever the response (app.audit.services)
                db.session.commit()
        except SQLAlchemyError:
            app.logger.exception("could not write the record of a refusal")
            db.session.rollback()
        return response

    app.after_request(add_security_headers)


def _has_writes(session) -> bool:
    """Whether this request changed anything; a read-only request skips the commit (and its expiry of
    every loaded object, which is costly on long pages)."""
    return bool(session.new or session.dirty or session.deleted or session.info.pop("flushed", False))


def _register_template_helpers(app: Flask) -> None:
    from app import choices, permissions
    from app.audit.labels import action_label
    from app.formatting import (
        format_date_only,
        isolated,
        language_direction,
        limit_text,
        name_list,
        stored_html,
        text_direction,
        when,
    )
    from app.settings.services import LazyAllianceName, LazyShortName
    from app.signatures.services import MAX_RESERVATION
    from app.web.forms import limit_hint, new_form_key
    from app.web.languages import declaration_title, reading_languages

    @app.context_processor
    def globals_for_templates():
        locale = str(get_locale() or "en")
        return {
            # Read from the alliance's settings only when a template shows them (app/settings).
            "alliance_name": LazyAllianceName(),
            "alliance_short_name": LazyShortName(),
            "current_locale": locale,
            "text_direction": "rtl" if locale == "ur" else "ltr",
            "languages": _languages(),
        }

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(can=permissions, label=choices.label, new_form_key=new_form_key,
                                 limit_hint=limit_hint, limit_text=limit_text, RESERVATION_LIMIT=MAX_RESERVATION,
                                 action_label=action_label, language_direction=language_direction,
                                 reading_languages=reading_languages, declaration_title=declaration_title,
                                 **{name: getattr(choices, name) for name in (
        "ORGANIZATION_TYPES", "PROVINCES", "GENDERS", "PLATFORM_ROLES", "ORGANIZATION_ROLES", "PILLARS", "THEMES",
        "DECLARATION_KINDS", "PHASES", "MODERATION_MODES", "VISIBILITIES", "NOTIFICATION_MODES",
        "SIGNATURE_VISIBILITIES", "SIGNATURE_CAPACITIES", "SIGNATURE_STATUSES", "POSITIONS", "IMPLEMENTATION_STATUSES",
        "ASSESSMENTS", "COMPLETION", "ASSESSMENT_RATINGS", "LANGUAGE_NAMES", "UNTOC_PROVISIONS", "SDG_TARGETS",
        "GROUPS")})
    app.jinja_env.filters.update(when=when, when_date=format_date_only, stored_html=stored_html,
                                 text_direction=text_direction, isolated=isolated, name_list=name_list)
