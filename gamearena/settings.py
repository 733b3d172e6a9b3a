"""GameArena settings: everything that varies between machines comes from the environment.

The table of variables is in README.md. Bad values raise ImproperlyConfigured at start-up
(see gamearena/env.py); cross-setting problems are Django system checks (gamearena/checks.py).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from gamearena.backends import cache_config, database_config
from gamearena.env import ArenaSettings, env_bool, env_choice, env_int, env_list, env_str
from gamearena.secret import development_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GAMEARENA_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: set DEBUG=1 for development "
            "(bash .ci/serve does), or a SECRET_KEY for a real instance"
        )
    SECRET_KEY = development_secret_key(VAR_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "gamearena.apps.GameArenaConfig",
    "bots.apps.BotsConfig",
    "battles.apps.BattlesConfig",
    "stats.apps.StatsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (admin, Swagger UI) straight from the app server, before sessions etc.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gamearena.middleware.ApiEnvelopeMiddleware",
    "gamearena.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gamearena.urls"
WSGI_APPLICATION = "gamearena.wsgi.application"
ASGI_APPLICATION = "gamearena.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_config(VAR_DIR)}
CACHES = {"default": cache_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Serve from the apps' static folders as well as STATIC_ROOT, so the served pages have their
# assets without a collectstatic step, DEBUG or not (the file list is read once at start-up).
WHITENOISE_USE_FINDERS = True
# Files browsers ask for at the site root (/favicon.ico).
WHITENOISE_ROOT = BASE_DIR / "gamearena" / "static" / "root"
# WhiteNoise warns at every start while the collectstatic target does not exist yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
LOGIN_URL = "/admin/login/"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gamearena.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "gamearena.parsers.JSONParser",
        "gamearena.parsers.FormParser",
        "gamearena.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "gamearena.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"auth": "20/minute", "submit": "60/minute"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "GameArena API",
    "DESCRIPTION": "Upload Pac bots, keep every version, play matches, read ratings and replays.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gamearena.schema.strict_request_bodies",
        "gamearena.schema.text_without_nul",
    ],
}

# The arena's own knobs, in one namespace (STYLE #14). gamearena/checks.py validates
# combinations; README.md documents each variable.
GAMEARENA: ArenaSettings = {
    "BATTLE_TTL_SECONDS": env_int("BATTLE_TTL_SECONDS", 3600, minimum=1),
    "SANDBOX_MODE": env_choice("GAMEARENA_SANDBOX", "bwrap", ("bwrap", "none")),
    # The weaker "none" sandbox runs bot code as a plain process; allowed only with DEBUG
    # or this explicit flag, and reported loudly on every match (gamearena/checks.py).
    "ALLOW_UNSAFE_SANDBOX": env_bool("GAMEARENA_ALLOW_UNSAFE_SANDBOX", default=False),
    "BOT_PYTHON": env_str("GAMEARENA_BOT_PYTHON", "/usr/bin/python3"),
    "FIRST_TURN_TIMEOUT_MS": env_int("GAMEARENA_FIRST_TURN_TIMEOUT_MS", 1000, minimum=1),
    "TURN_TIMEOUT_MS": env_int("GAMEARENA_TURN_TIMEOUT_MS", 50, minimum=1),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    # Django's own logging config gives the "django" logger a console handler of its own
    # (active with DEBUG) and lets it propagate to the root's as well, so every 4xx and 5xx
    # line was printed twice. One handler, the root's, prints everything.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
