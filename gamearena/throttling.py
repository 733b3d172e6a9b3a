"""Who a request comes from, and the rate limits' shared store.

Every limiter (DRF throttles and the failed-login counters) identifies a client by
`client_address` and keeps its counts in the "throttle" cache alias, which is shared
between processes on every backend: Redis when REDIS_URL is set, else a database table.
A per-process memory cache would let N workers through N times the limit.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

THROTTLE_CACHE_ALIAS = "throttle"
# A count's read-modify-write holds its lock for milliseconds; these bound a stuck holder.
LOCK_HOLD_SECONDS = 2
LOCK_WAIT_SECONDS = 2.0


def throttle_cache() -> BaseCache:
    # Looked up on each use, not bound at import: tests swap CACHES per test.
    return caches[THROTTLE_CACHE_ALIAS]


@contextmanager
def counter_lock(name: str) -> Iterator[None]:
    """Serialise one counter's read-modify-write across threads and processes.

    No cache backend offers an atomic update of a stored list or pair (the database cache
    has no atomic increment at all), and without one, concurrent requests read the same
    count and all write it back plus one: a flood of 4 clients passed a limit of 20 by
    half. `add` is atomic on every backend (SET NX on Redis, a unique key in the database
    table), so it makes a lock. A holder that died frees it after LOCK_HOLD_SECONDS; a
    waiter gives up after LOCK_WAIT_SECONDS and counts unlocked rather than hang.
    """
    cache = throttle_cache()
    key = f"throttle-lock:v1:{name}"
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    held = cache.add(key, 1, timeout=LOCK_HOLD_SECONDS)
    while not held and time.monotonic() < deadline:
        time.sleep(0.002)
        held = cache.add(key, 1, timeout=LOCK_HOLD_SECONDS)
    try:
        yield
    finally:
        if held:
            cache.delete(key)


def client_address(request: HttpRequest | Request) -> str:
    """The client's address: the socket's peer unless trusted proxies say otherwise.

    X-Forwarded-For is written by the client first and by each proxy after, so only the
    entry added by the outermost trusted proxy can be believed: with N trusted proxies,
    that is the N-th entry from the right. With none trusted (the default) the header is
    ignored, so a client cannot pick a new address for itself on each request.
    """
    meta = request.META
    remote = str(meta.get("REMOTE_ADDR") or "")
    trusted: int = getattr(settings, "GAMEARENA_TRUSTED_PROXIES", 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if trusted == 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in str(forwarded).split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(trusted, len(hops))]


class SharedScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, keyed by `client_address`, counting in the shared cache."""

    def __init__(self) -> None:
        super().__init__()
        # DRF makes a throttle per request, so this follows CACHES as tests change it.
        self.cache = throttle_cache()

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def allow_request(self, request: Any, view: Any) -> bool:
        # ScopedRateThrottle.allow_request and SimpleRateThrottle.allow_request in one,
        # with the history's read-modify-write under the counter lock.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None or self.num_requests is None or self.duration is None:
            return True
        # Refused without the lock while the window is full: entries are only added under
        # it, so a full window read unlocked is full, and a flood of refused requests
        # costs one cache read each instead of three writes.
        limit, duration = self.num_requests, self.duration
        if self._window_is_full(limit, duration):
            return self.throttle_failure()
        with counter_lock(self.key):
            if self._window_is_full(limit, duration):
                return self.throttle_failure()
            return self.throttle_success()

    def _window_is_full(self, limit: int, duration: int) -> bool:
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - duration:
            self.history.pop()
        return len(self.history) >= limit
