"""Settings for the test suite: the real settings plus what makes tests fast and hermetic.

A fixed SECRET_KEY is supplied only when none is given, so that pytest works on a fresh
checkout without DEBUG; nothing here weakens what the tests check.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789abcdef")

from gamearena.settings import *  # noqa: F403

# A fast hasher: the suite creates many users; PBKDF2's cost proves nothing here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run eagerly in the test process (STYLE #12); tests with a real worker process
# (tests/battles/test_workers.py) point their own Celery app and worker at a real broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"

# The embedded SQLite test database lives in a file rather than in memory, so that a worker
# process started by a test can open the same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }

# A new version is activated at once here, so that the many tests that submit code do not each
# play a qualification game; the product default is on, and the qualification tests turn it on
# (the `qualification_on` fixture, tests/conftest.py).
# The ladder's pace is 0 for the same reason: the tests of the ladder set the pace they test.
GAMEARENA = {**GAMEARENA, "QUALIFICATION": False, "LADDER_BATTLES_PER_MINUTE": 0}  # noqa: F405
