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
