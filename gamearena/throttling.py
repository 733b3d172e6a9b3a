"""Who a request comes from, and the rate limits' shared store.

Every limiter (DRF throttles and the failed-login counters) identifies a client by
`client_address` and keeps its counts in the "throttle" cache alias, which is shared
between processes on every backend: Redis when REDIS_URL is set, else a database table.
A per-process memory cache would let N workers through N times the limit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

THROTTLE_CACHE_ALIAS = "throttle"


def throttle_cache() -> BaseCache:
    # Looked up on each use, not bound at import: tests swap CACHES per test.
    return caches[THROTTLE_CACHE_ALIAS]


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
