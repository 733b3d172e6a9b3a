"""GameArena settings: everything that varies between machines comes from the environment.

The table of variables is in README.md. Bad values raise ImproperlyConfigured at start-up
(see gamearena/env.py); cross-setting problems are Django system checks (gamearena/checks.py,
battles/checks.py).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from gamearena.backends import cache_config, database_config, throttle_cache_config
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
    # First: the latency it observes (for /metrics) includes every other middleware's.
    "gamearena.metrics.RequestLatencyMiddleware",
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
                "gamearena.context_processors.site",
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
# The pages' own account views (gamearena/auth/page_urls.py); the admin keeps its own login.
LOGIN_URL = "/accounts/login"
LOGIN_REDIRECT_URL = "/bots/"
LOGOUT_REDIRECT_URL = "/"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Proxies in front of the server that append to X-Forwarded-For; with 0 the header is ignored
# and the socket's address identifies a client for every limiter (gamearena/throttling.py).
GAMEARENA_TRUSTED_PROXIES = env_int("GAMEARENA_TRUSTED_PROXIES", 0, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gamearena.auth.authentication.BearerTokenAuthentication",
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
    "NUM_PROXIES": GAMEARENA_TRUSTED_PROXIES,
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
        "gamearena.schema.bad_credentials_answer_401",
    ],
}

# The arena's own knobs, in one namespace (STYLE #14). gamearena/checks.py and
# battles/checks.py validate combinations; README.md documents each variable.
GAMEARENA: ArenaSettings = {
    "BATTLE_TTL_SECONDS": env_int("BATTLE_TTL_SECONDS", 3600, minimum=1),
    "SANDBOX_MODE": env_choice("GAMEARENA_SANDBOX", "bwrap", ("bwrap", "none")),
    # The weaker "none" sandbox runs bot code as a plain process; allowed only with DEBUG
    # or this explicit flag, and reported loudly on every match (battles/checks.py).
    "ALLOW_UNSAFE_SANDBOX": env_bool("GAMEARENA_ALLOW_UNSAFE_SANDBOX", default=False),
    "BOT_PYTHON": env_str("GAMEARENA_BOT_PYTHON", "/usr/bin/python3"),
    "FIRST_TURN_TIMEOUT_MS": env_int("GAMEARENA_FIRST_TURN_TIMEOUT_MS", 1000, minimum=1),
    "TURN_TIMEOUT_MS": env_int("GAMEARENA_TURN_TIMEOUT_MS", 50, minimum=1),
    # Battles (battles/services.py). A worker holds a lease on the battle it plays and renews
    # it as turns go by; a lease that runs out means the worker died, and the sweep re-queues
    # the battle. Platform faults are retried up to BATTLE_MAX_ATTEMPTS; bot faults never are.
    "BATTLE_LEASE_SECONDS": env_int("GAMEARENA_BATTLE_LEASE_SECONDS", 60, minimum=2),
    "BATTLE_MAX_ATTEMPTS": env_int("GAMEARENA_BATTLE_MAX_ATTEMPTS", 3, minimum=1),
    "BATTLE_TIME_LIMIT_SECONDS": env_int("GAMEARENA_BATTLE_TIME_LIMIT_SECONDS", 600, minimum=30),
    "BATTLE_SWEEP_SECONDS": env_int("GAMEARENA_BATTLE_SWEEP_SECONDS", 30, minimum=1),
    "BATTLE_QUEUE_EXPIRY_SECONDS": env_int(
        "GAMEARENA_BATTLE_QUEUE_EXPIRY_SECONDS", 24 * 3600, minimum=60
    ),
    "MAX_OPEN_REQUESTED_BATTLES": env_int("GAMEARENA_MAX_OPEN_REQUESTED_BATTLES", 5, minimum=1),
    # Live battles (battles/live.py): a remote seat answers over the API. Their store is Redis
    # when REDIS_URL is set, else the SQL database ("auto"); "memory" only for one process.
    "LIVE_STORE": env_choice(
        "GAMEARENA_LIVE_STORE", "auto", ("auto", "redis", "database", "memory")
    ),
    "LIVE_TURN_SECONDS": env_int("GAMEARENA_LIVE_TURN_SECONDS", 60, minimum=1),
    "LIVE_MAX_BATTLES": env_int("GAMEARENA_LIVE_MAX_BATTLES", 8, minimum=1),
    "LIVE_MAX_PER_USER": env_int("GAMEARENA_LIVE_MAX_PER_USER", 3, minimum=1),
    "LIVE_QUEUE": env_str("GAMEARENA_LIVE_QUEUE", "live"),
    # How long POST .../turn waits for the opponent's answer before answering 202.
    "LIVE_TURN_WAIT_SECONDS": env_int("GAMEARENA_LIVE_TURN_WAIT_SECONDS", 10, minimum=1),
    # manage.py prune_battles moves replays of battles finished this long ago to files; 0: never.
    "BATTLE_ARCHIVE_DAYS": env_int("BATTLE_ARCHIVE_DAYS", 90, minimum=0),
    # The ladder (stats/ladder.py, docs/ladder.md). A new version becomes active only after a
    # qualification battle against a house bot without a fault; 0 activates it at once.
    "QUALIFICATION": env_bool("GAMEARENA_QUALIFICATION", default=True),
    "QUALIFICATION_HOUSE_BOT": env_choice(
        "GAMEARENA_QUALIFICATION_HOUSE_BOT", "greedy", ("greedy", "hunter", "random_mover")
    ),
    # Ladder battles scheduled per minute by the periodic matchmaker; 0 turns the ladder off.
    "LADDER_BATTLES_PER_MINUTE": env_int("LADDER_BATTLES_PER_MINUTE", 6, minimum=0),
    # No new ladder battle while this many already wait in the queue (slow workers).
    "LADDER_MAX_QUEUED": env_int("GAMEARENA_LADDER_MAX_QUEUED", 8, minimum=1),
    # Ladder battles a new version plays first (its placement), before close-rating pairing.
    "LADDER_PLACEMENT_BATTLES": env_int("GAMEARENA_LADDER_PLACEMENT_BATTLES", 4, minimum=0),
    "LADDER_TICK_SECONDS": env_int("GAMEARENA_LADDER_TICK_SECONDS", 10, minimum=1),
    # The most games one A/B duel of two versions may play (its cap when none is asked).
    "DUEL_MAX_GAMES": env_int("GAMEARENA_DUEL_MAX_GAMES", 400, minimum=2),
    # Ratings (docs/ratings.md): the leaderboard's rank intervals are recomputed at most this
    # often, in the background, after rated battles (0: right after each one).
    "RANK_REFRESH_SECONDS": env_int("GAMEARENA_RANK_REFRESH_SECONDS", 10, minimum=0),
    # /metrics (Prometheus): staff users, or `Authorization: Bearer <token>` when a token is
    # set, or everybody when METRICS_PUBLIC is on.
    "METRICS_PUBLIC": env_bool("GAMEARENA_METRICS_PUBLIC", default=False),
    "METRICS_TOKEN": env_str("GAMEARENA_METRICS_TOKEN"),
}

# Celery runs battles (gamearena/celery.py). Production: Redis (REDIS_URL, or CELERY_BROKER_URL
# for a broker of its own). The embedded default needs no server: kombu's filesystem transport,
# a folder of message files under var/ shared by the web and worker processes. Either way the
# sweep (battles/tasks.py) re-queues what a broker loses, so no broker is trusted alone.
_REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or _REDIS_URL or "filesystem://"
_BATTLE_SECONDS = GAMEARENA["BATTLE_TIME_LIMIT_SECONDS"]
if CELERY_BROKER_URL.startswith("filesystem://"):
    _BROKER_DIR = Path(env_str("GAMEARENA_BROKER_DIR") or VAR_DIR / "broker")
    _BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        # Its exchange tables too, or kombu writes them to a "control" folder in the cwd.
        "control_folder": str(_BROKER_DIR / "control"),
        "polling_interval": 0.02,  # an idle worker looks 50 times a second: ~0.5% of a core
    }
else:
    # Redis redelivers an unacknowledged message after the visibility timeout: it must be
    # longer than any battle, or a second worker would start one that is still being played.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * _BATTLE_SECONDS}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str("GAMEARENA_BATTLE_QUEUE", "battles")
CELERY_TASK_ACKS_LATE = True  # a battle's message is acknowledged once it has been recorded
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker takes one battle at a time
CELERY_TASK_IGNORE_RESULT = True  # results live in the database, not in a result backend
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Time limits, here only: the soft limit lets a battle end as a platform fault and be retried;
# the hard one kills a pool process that ignores it (its lease then runs out).
CELERY_TASK_SOFT_TIME_LIMIT = _BATTLE_SECONDS
CELERY_TASK_TIME_LIMIT = _BATTLE_SECONDS + 30
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep-battles": {
        "task": "battles.sweep",
        "schedule": float(GAMEARENA["BATTLE_SWEEP_SECONDS"]),
    },
    # Runs whatever LADDER_BATTLES_PER_MINUTE says, 0 included (then it schedules nothing).
    "ladder-tick": {
        "task": "stats.ladder_tick",
        "schedule": float(GAMEARENA["LADDER_TICK_SECONDS"]),
    },
    # Live entries past their TTL (the SQL backend keeps them until then; Redis forgets them).
    "prune-live-battles": {"task": "battles.prune_live", "schedule": 300.0},
}
# Live battles wait for people: their own queue and worker (-P threads), never the ladder's.
CELERY_TASK_ROUTES = {
    "battles.play_live": {"queue": GAMEARENA["LIVE_QUEUE"]},
}
# A live battle may last 200 turns of a person's deadline: the ladder's limits would cut it.
_LIVE_SECONDS = 201 * GAMEARENA["LIVE_TURN_SECONDS"] + _BATTLE_SECONDS
CELERY_TASK_ANNOTATIONS = {
    "battles.play_live": {"soft_time_limit": _LIVE_SECONDS, "time_limit": _LIVE_SECONDS + 30},
}

# Authentication and rate limits (README: "Users and tokens"); GAMEARENA_TRUSTED_PROXIES is
# read above REST_FRAMEWORK, which passes it on to DRF's own throttles as NUM_PROXIES.
# 0: API tokens never expire; else their age in seconds when they stop authenticating.
GAMEARENA_TOKEN_LIFETIME_SECONDS = env_int("GAMEARENA_TOKEN_LIFETIME_SECONDS", 0, minimum=0)
# Throttle and failed-login counts, shared by every worker (gamearena/throttling.py).
CACHES["throttle"] = throttle_cache_config()
# The live battles' Redis (battles/live_store.py), under its own key prefix, when there is one.
if _REDIS_URL:
    CACHES["live"] = {**cache_config(), "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "gamearena")}
# Every login path (admin, browsable API, token) counts failures per account and address.
AUTHENTICATION_BACKENDS = ["gamearena.auth.backends.LoginLimitedModelBackend"]
MIDDLEWARE.append("gamearena.auth.middleware.LoginLockoutMiddleware")

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
