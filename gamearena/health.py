"""GET /health: is the database answering, is the cache answering.

Answers 503 and names the failing part when one is down, so a load balancer or a
person can tell which service to look at. Error details stay in the log: the page is
public and a driver's message can carry host names.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gamearena.backends import cache_backend_name, database_engine_name

logger = logging.getLogger(__name__)


def probe_database() -> dict[str, Any]:
    engine = database_engine_name(settings.DATABASES["default"])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("health: database %s is not answering: %r", engine, error)
        return {"ok": False, "engine": engine, "error": type(error).__name__}
    return {"ok": True, "engine": engine}


def probe_cache() -> dict[str, Any]:
    backend = cache_backend_name(settings.CACHES["default"])
    key = f"health:v1:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key) == "ok"
        cache.delete(key)
    except Exception as error:
        logger.warning("health: cache %s is not answering: %r", backend, error)
        return {"ok": False, "backend": backend, "error": type(error).__name__}
    if not answered:
        return {"ok": False, "backend": backend, "error": "value not read back"}
    return {"ok": True, "backend": backend}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    from battles.live import live_store_health  # the apps' modules load after the settings

    parts = {
        "database": probe_database(),
        "cache": probe_cache(),
        "live_store": live_store_health(),
    }
    failing = [name for name, part in parts.items() if not part["ok"]]
    body = {"status": "unavailable" if failing else "ok", "failing": failing, **parts}
    return JsonResponse(body, status=503 if failing else 200)
