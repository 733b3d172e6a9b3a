"""GET /metrics: Prometheus' text format (prometheus_client), for the operators.

What a scrape reads, and why from where:

- battles by status, the queue's depth and its oldest battle's age, battle durations and bot
  faults by kind: from the database at scrape time. Web processes and workers are separate
  processes (several of each); the database is the one place that is true for all of them,
  so these numbers never depend on which process answers the scrape.
- workers' heartbeats: the last time each worker started or finished a task, which the
  workers write to the database (stats.models.WorkerHeartbeat).
- request latency: a histogram observed by RequestLatencyMiddleware in each web process. With
  PROMETHEUS_MULTIPROC_DIR set (prometheus_client's multiprocess mode: an empty directory
  shared by the web processes, set before they start), a scrape adds up every process;
  without it, it shows the process that answered.

Not public unless GAMEARENA_METRICS_PUBLIC is on: else staff users, or a scraper sending
``Authorization: Bearer <GAMEARENA_METRICS_TOKEN>`` when a token is set.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from gamearena.env import arena_settings

DURATION_BUCKETS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0)
FAULT_KINDS = ("timeout", "crashed", "invalid")

REQUEST_LATENCY = Histogram(
    "gamearena_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route pattern and status class.",
    ["method", "route", "status"],
)


class RequestLatencyMiddleware:
    """Observes every request's latency. The label is the route's pattern (bots/<id>), never
    the path, so ids do not multiply the series."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        route = str(match.route) if match is not None and match.route else "unmatched"
        REQUEST_LATENCY.labels(
            request.method or "", route, f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


class ArenaCollector(Collector):
    """The database's numbers, read at each scrape."""

    def collect(self) -> Iterator[Metric]:
        yield from battle_counts()
        yield battle_durations()
        yield fault_counts()
        yield worker_heartbeats()


def battle_counts() -> Iterator[Metric]:
    from battles.models import Battle

    by_status = GaugeMetricFamily(
        "gamearena_battles", "Battles stored, by status.", labels=["status"]
    )
    counts = dict(Battle.objects.order_by().values_list("status").annotate(n=Count("pk")))
    for status in Battle.Status.values:
        by_status.add_metric([status], counts.get(status, 0))
    yield by_status
    yield GaugeMetricFamily(
        "gamearena_battle_queue_depth",
        "Battles waiting for a worker.",
        value=counts.get(Battle.Status.QUEUED, 0),
    )
    oldest = Battle.objects.filter(status=Battle.Status.QUEUED).aggregate(at=Min("created_at"))
    age = (timezone.now() - oldest["at"]).total_seconds() if oldest["at"] else 0.0
    yield GaugeMetricFamily(
        "gamearena_battle_queue_oldest_age_seconds",
        "How long the oldest queued battle has waited (0 when none waits).",
        value=age,
    )


def battle_durations() -> Metric:
    """Started-to-finished time of every finished battle, as a histogram."""
    from battles.models import Battle

    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    buckets = {
        f"le_{index}": Count("pk", filter=Q(duration__lte=timedelta(seconds=bound)))
        for index, bound in enumerate(DURATION_BUCKETS)
    }
    found = (
        Battle.objects.filter(status=Battle.Status.FINISHED, started_at__isnull=False)
        .annotate(duration=duration)
        .aggregate(total=Count("pk"), seconds=Sum("duration"), **buckets)
    )
    seconds = found["seconds"]
    histogram = HistogramMetricFamily(
        "gamearena_battle_duration_seconds", "Time from a battle's start to its result."
    )
    histogram.add_metric(
        [],
        [(str(bound), found[f"le_{i}"]) for i, bound in enumerate(DURATION_BUCKETS)]
        + [("+Inf", found["total"])],
        sum_value=seconds.total_seconds() if seconds else 0.0,
    )
    return histogram


def fault_counts() -> Metric:
    from battles.models import BattleSeat

    faults = GaugeMetricFamily(
        "gamearena_bot_faults", "Seats of finished battles lost to a bot fault, by kind.",
        labels=["kind"],
    )  # fmt: skip
    counts = dict(
        BattleSeat.objects.filter(status__in=FAULT_KINDS)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    for kind in FAULT_KINDS:
        faults.add_metric([kind], counts.get(kind, 0))
    return faults


def worker_heartbeats() -> Metric:
    from stats.models import WorkerHeartbeat

    seen = GaugeMetricFamily(
        "gamearena_worker_last_seen_timestamp_seconds",
        "When each worker last started or finished a task (Unix time).",
        labels=["worker"],
    )
    for hostname, at in WorkerHeartbeat.objects.values_list("hostname", "seen_at"):
        seen.add_metric([hostname], at.timestamp())
    return seen


def metrics_allowed(request: HttpRequest) -> bool:
    arena = arena_settings()
    if arena["METRICS_PUBLIC"]:
        return True
    user: Any = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        return True
    token = arena["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def scrape() -> bytes:
    registry = CollectorRegistry()
    registry.register(ArenaCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(registry) + generate_latest(REGISTRY)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return JsonResponse(
            {
                "error": {
                    "code": "metrics_forbidden",
                    "message": "Metrics are for staff or a scraper with the metrics token.",
                    "details": {},
                }
            },
            status=403,
        )
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
