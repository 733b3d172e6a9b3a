"""Failed-login counters per account and per client address, for every login path.

The admin login, the browsable API's login and POST /api/auth/token all end in Django's
`authenticate`, so the limit lives in the authentication backend (backends.py): a locked
account or address is refused before any password is hashed, which also keeps a flood of
wrong passwords from costing a full hash per request.

Counting per account stops guessing one password from many addresses; counting per
address stops one client spraying many accounts. A locked account also locks out its
owner until the window ends: that is the price of not letting anyone guess freely, and
the window is short. Counts live in the shared throttle cache (gamearena/throttling.py).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from gamearena.throttling import counter_lock, throttle_cache

ACCOUNT_FAILURE_LIMIT = 10
ADDRESS_FAILURE_LIMIT = 30
FAILURE_WINDOW_SECONDS = 15 * 60

# Replaced by tests to move time on.
clock: Callable[[], float] = time.time


def _keys(*, username: str, address: str) -> list[tuple[str, int]]:
    # Hashed: usernames are user input of any length and alphabet, cache keys are not.
    account = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
    client = hashlib.sha256(address.encode()).hexdigest()[:32]
    return [
        (f"login-failures:v1:account:{account}", ACCOUNT_FAILURE_LIMIT),
        (f"login-failures:v1:address:{client}", ADDRESS_FAILURE_LIMIT),
    ]


def login_lockout_seconds(*, username: str, address: str) -> int:
    """0 while this login may be tried; else how many seconds until it may be."""
    now = clock()
    waits = [0.0]
    for key, limit in _keys(username=username, address=address):
        entry = throttle_cache().get(key)
        if entry is not None and entry[0] >= limit:
            waits.append(entry[1] + FAILURE_WINDOW_SECONDS - now)
    return max(0, math.ceil(max(waits)))


def login_failure_record(*, username: str, address: str) -> None:
    """Count one failed login against the account and the address.

    Logins checked while others are still hashing their password are not refused yet, so
    a flood passes the limit by at most the number of its requests in flight.
    """
    cache = throttle_cache()
    for key, _ in _keys(username=username, address=address):
        with counter_lock(key):
            now = clock()
            entry = cache.get(key)
            count, started = (0, now) if entry is None else entry
            if now - started >= FAILURE_WINDOW_SECONDS:
                count, started = 0, now
            remaining = math.ceil(started + FAILURE_WINDOW_SECONDS - now)
            cache.set(key, (count + 1, started), timeout=max(1, remaining))


def login_failures_clear(*, username: str) -> None:
    """A successful login forgets the account's failures (never the address's)."""
    key, _ = _keys(username=username, address="")[0]
    throttle_cache().delete(key)
