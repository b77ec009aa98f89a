"""The error pages: every HTTP error, a refused CSRF token, a forbidden action (NotAllowed), an unreachable
database (503, app/web/availability.py) and any unhandled exception get the site's error page, in the
reader's language, with the headers the error carries; nothing a user sees holds a trace."""
from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.errors import NotAllowed
from app.extensions import db
from app.settings.services import first_values
from app.web import availability, flashing

ERROR_MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, reload the page and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("There is nothing at this address. It may have been moved or removed.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts. Shorten it and try again.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a few minutes and try again.")),
    500: (_l("Something went wrong"),
          _l("An error on our side stopped this page. Nothing was saved. Please try again later.")),
    503: (_l("Temporarily unavailable"),
          _l("The site cannot reach its database right now. Please try again in a few minutes.")),
}


def for_programs() -> bool:
    """The open-data API (/api/…) answers its errors as JSON, for the programs that read it."""
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Every error is answered with the site's error page in the reader's language; none shows a trace."""

    def render_error(code: int, message=None):
        flashing.take_back()  # before the page shows waiting messages: this request's work was not kept
        title, default = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
        if for_programs():
            return jsonify(error={"status": code, "title": str(title), "message": str(message or default)}), code
        if availability.is_down():  # the 503 page names the alliance without asking the database
            g.setdefault("alliance_settings", first_values())
        return render_template("errors/error.html", code=code, title=title, message=message or default), code

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        # A view may say what exactly was not found (abort(404, description=…)), and the API what was wrong with a
        # request (400); werkzeug's own text is not shown.
        said = error.description != type(error).description
        message = error.description if said and (error.code == 404 or for_programs() and error.code == 400) else None
        body, code = render_error(error.code if error.code in ERROR_MESSAGES else 500 if error.code >= 500 else 400,
                                  message)
        # Keep the headers the error carries, such as Allow on 405 and Retry-After on 429.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, code, headers

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(400, _l("This form has expired or did not come from this site. "
                                    "Go back, reload the page and send it again."))

    @app.errorhandler(NotAllowed)
    def not_allowed(_error):
        return render_error(403)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        app.logger.error("database error: %s", error)  # the engine hides statement parameters (config.py)
        availability.note_error()  # (rolls the session back, whatever state the connection is in)
        return render_error(503)

    @app.errorhandler(Exception)
    def server_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error", exc_info=error)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the error page must render even if the database is gone
            pass
        return render_error(500)

    app.register_error_handler(InternalServerError, lambda e: render_error(500))
