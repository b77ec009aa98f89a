"""Configuration classes, read from the environment.

Secrets come only from the environment: production refuses to start without SECRET_KEY.
"""
import json
import os
import secrets
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_ALLIANCE_NAME = "Civil Society Alliance against Organized Crime"
DEFAULT_ALLIANCE_NAME_UR = "منظم جرائم کے خلاف سول سوسائٹی اتحاد"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'sanad.db'}"
    # Accept the common postgres:// and postgresql:// spellings and use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    ENV_NAME = "production"
    TESTING = False
    DEBUG = False

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = database_url()
        # No pool_pre_ping: app.extensions.ping_after_idle checks only connections that sat unused. Statement
        # parameters (what people typed) never appear in error messages or logs. (create_app adds a connect
        # timeout on PostgreSQL.)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
        # The alliance's settings are edited by admins at /admin/settings (app/settings); these are only their
        # first values, used until an admin saves them.
        self.ALLIANCE_NAME = os.environ.get("SANAD_ALLIANCE_NAME", DEFAULT_ALLIANCE_NAME)
        # Without a Urdu name, Urdu pages show the English one (the default name has its Urdu).
        self.ALLIANCE_NAME_UR = os.environ.get(
            "SANAD_ALLIANCE_NAME_UR", DEFAULT_ALLIANCE_NAME_UR if self.ALLIANCE_NAME == DEFAULT_ALLIANCE_NAME else "")
        self.ALLIANCE_SHORT_NAME = os.environ.get("SANAD_ALLIANCE_SHORT_NAME", "")
        # The secretariat's shared address, given to organizations outside the alliance (e.g. whom to ask about
        # a rejected signature); without it, the coordinator who decided is named and receives the replies.
        self.CONTACT_EMAIL = os.environ.get("SANAD_CONTACT_EMAIL", "")
        # Days: the deadline suggested when a consultation or sign-on opens (0: none for sign-on), and the
        # time an institution is given to acknowledge receipt and to answer.
        self.CONSULTATION_DAYS, self.SIGNON_DAYS = 21, 14
        self.ACKNOWLEDGE_DAYS, self.ANSWER_DAYS = 14, 90
        # The address every link in an email points to. Required in production (validate); `make run` sets it
        # from the port it serves on.
        self.SITE_URL = os.environ.get("SANAD_SITE_URL", "").rstrip("/")

        # Mail: "smtp" sends through the SMTP server, "console" prints (development).
        self.MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
        self.MAIL_PORT = _int("MAIL_PORT", 25)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
        self.MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "Sanad <no-reply@sanad.invalid>")

        # Rate limits: memory:// suits one process; use redis://… when several servers share them.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True  # Retry-After on the 429 page
        self.LOGIN_LIMITS = os.environ.get("SANAD_LOGIN_LIMITS", "10 per minute;50 per hour")
        self.TOKEN_LIMITS = os.environ.get("SANAD_TOKEN_LIMITS", "5 per minute;20 per hour")
        # The open-data API, its feeds and download, per address, all together (app/opendata/views.py).
        self.API_LIMITS = os.environ.get("SANAD_API_LIMITS", "120 per minute")
        # The clock the second factor's 30-second steps are read from; the tests give their apps one they can
        # move on (tests/helpers.TotpClock) rather than wait for the next step. Never read from the environment.
        self.TOTP_CLOCK = time.time
        # The public sign-on form, per address and per (normalised) email.
        self.OPEN_SIGNON_LIMITS = os.environ.get("SANAD_OPEN_SIGNON_LIMITS", "5 per hour;20 per day")

        # Mail sent to addresses a person chose (app/mail/budget.py): per action, the budgets of each actor (a
        # user, or a visitor's address), of each recipient address and of the whole site. SANAD_MAIL_BUDGETS
        # (JSON, e.g. {"invitation": ["10 per hour", "2 per day", "300 per hour"]}) overrides actions.
        self.MAIL_BUDGETS = {
            "invitation": ("10 per hour;30 per day", "2 per day", "300 per hour;1000 per day"),
            "secretariat_invitation": ("150 per hour;400 per day", "2 per day", "300 per hour;1000 per day"),
            "open_signon": ("5 per hour;20 per day", "3 per day", "200 per hour;1000 per day"),
            "password_reset": ("5 per hour;20 per day", "3 per hour;6 per day", "300 per hour"),
            "signature_reminder": ("600 per day", "2 per day", "2000 per day"),
        }
        self.MAIL_BUDGETS.update({action: tuple(limits) for action, limits in
                                  json.loads(os.environ.get("SANAD_MAIL_BUDGETS") or "{}").items()})

        # Number of proxies in front of the app that set X-Forwarded-For/-Proto (0: none).
        self.PROXY_COUNT = _int("SANAD_PROXY_COUNT", 0)
        self.MAX_CONTENT_LENGTH = _int("SANAD_MAX_BODY_BYTES", 2 * 1024 * 1024)

        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PERMANENT_SESSION_LIFETIME = _int("SANAD_SESSION_SECONDS", 12 * 3600)
        # A login session left idle this long ends: shorter for the people who hold power.
        self.IDLE_MINUTES_PRIVILEGED = _int("SANAD_IDLE_MINUTES_PRIVILEGED", 30)  # admins, coordinators, reviewers
        self.IDLE_MINUTES = _int("SANAD_IDLE_MINUTES", 8 * 60)
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
        # WTForms has no Urdu catalogue and our forms carry their own messages: loading its English one on
        # every form was a measurable share of each request (bench/signing.py).
        self.WTF_I18N_ENABLED = False
        self.WTF_CSRF_ENABLED = True

        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_DEFAULT_TIMEZONE = os.environ.get("SANAD_TIMEZONE", "Asia/Karachi")
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

        self.INVITATION_DAYS = 7
        self.RESET_SECONDS = 3600

    # Cookies sent only over HTTPS carry the __Host- prefix (ASVS 3.4.4): the browser keeps them only when
    # they are Secure, for this host alone (no Domain) and the whole site (Path=/), so a neighbouring
    # subdomain or a plain-HTTP page cannot plant or overwrite one. Over plain HTTP (development) browsers
    # refuse the prefix, so it is left off there.
    @property
    def SESSION_COOKIE_NAME(self) -> str:  # noqa: N802 - Flask's configuration key
        return ("__Host-" if self.SESSION_COOKIE_SECURE else "") + "sanad_session"

    @property
    def DEVICE_COOKIE_NAME(self) -> str:  # noqa: N802
        """The cookie that gives a browser which logged in before its own bucket of attempts."""
        return ("__Host-" if self.SESSION_COOKIE_SECURE else "") + "sanad_device"

    def validate(self) -> None:
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in the environment outside development and testing.")
        if not self.SITE_URL.startswith(("http://", "https://")):
            raise RuntimeError("SANAD_SITE_URL must be set in production: the site's public address, which the "
                               "links in emails point to (for example https://sanad.example.org).")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False  # the debugger would show stack traces to users; keep it off even here

    def __init__(self) -> None:
        super().__init__()
        self.SITE_URL = self.SITE_URL or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
        self.MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE

    def validate(self) -> None:
        if not self.SECRET_KEY:
            # A fresh random key per process: no fixed fallback that could leak into production.
            self.SECRET_KEY = secrets.token_urlsafe(32)


class TestingConfig(DevelopmentConfig):
    ENV_NAME = "testing"
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        self.SQLALCHEMY_DATABASE_URI = self.SQLALCHEMY_DATABASE_URI.replace("postgresql://", "postgresql+psycopg://", 1)
        self.MAIL_BACKEND = "smtp"
        self.RATELIMIT_ENABLED = False
        self.WTF_CSRF_ENABLED = False
        self.SITE_URL = "http://localhost"


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestingConfig}


def load_config(name: str | None = None) -> Config:
    """Build the configuration named by the argument or by SANAD_ENV (default: production)."""
    name = name or os.environ.get("SANAD_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"Unknown SANAD_ENV {name!r}; expected one of {sorted(CONFIGS)}.")
    config = CONFIGS[name]()
    config.validate()
    return config
