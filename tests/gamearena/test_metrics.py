"""GET /metrics: Prometheus' text format from the database's numbers; not public by default."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from battles.models import Battle
from bots.services import bot_submit
from stats.services import worker_heartbeat_record
from stats.workers import on_task_postrun
from tests.battles.conftest import CRASHER
from tests.cast import make_user
from tests.stats.ladder import record_finished

pytestmark = pytest.mark.django_db


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def public_metrics(settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "METRICS_PUBLIC": True}


@pytest.mark.usefixtures("public_metrics")
def test_metrics_count_battles_by_status_faults_durations_and_heartbeats(
    client: Client, owner: Any, opponent: Any
) -> None:
    owner_bot = bot_submit(owner=owner, name="pacman", code=CRASHER).bot
    opponent_bot = bot_submit(owner=opponent, name="ghost", code=CRASHER).bot
    record_finished(owner_bot, opponent_bot, winner=0, faults=("ok", "crashed"))
    record_finished(owner_bot, "greedy", winner=None, faults=("timeout", "ok"))
    Battle.objects.update(started_at=Battle.objects.values("created_at")[:1])
    Battle.objects.create(seed=1, reason=Battle.Reason.LADDER)  # queued
    worker_heartbeat_record(hostname="celery@box")

    answer = client.get("/metrics")

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    found = samples(answer.content.decode())
    assert found[("gamearena_battles", (("status", "finished"),))] == 2
    assert found[("gamearena_battles", (("status", "queued"),))] == 1
    assert found[("gamearena_battles", (("status", "failed"),))] == 0
    assert found[("gamearena_battle_queue_depth", ())] == 1
    assert found[("gamearena_bot_faults", (("kind", "crashed"),))] == 1
    assert found[("gamearena_bot_faults", (("kind", "timeout"),))] == 1
    assert found[("gamearena_bot_faults", (("kind", "invalid"),))] == 0
    assert found[("gamearena_battle_duration_seconds_count", ())] == 2
    assert found[("gamearena_battle_duration_seconds_bucket", (("le", "+Inf"),))] == 2
    assert ("gamearena_worker_last_seen_timestamp_seconds", (("worker", "celery@box"),)) in found


@pytest.mark.usefixtures("public_metrics")
def test_request_latency_is_observed_by_route_pattern_not_by_path(client: Client) -> None:
    client.get("/api/bots/12345/stats")

    text = client.get("/metrics").content.decode()

    assert 'route="api/bots/<db_id:bot_id>/stats"' in text
    assert "12345" not in text


def test_metrics_are_refused_to_anonymous_and_ordinary_users(client: Client) -> None:
    assert client.get("/metrics").status_code == 403
    client.force_login(make_user("someone"))
    answer = client.get("/metrics")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "metrics_forbidden"


def test_staff_and_a_scraper_with_the_token_may_read_metrics(client: Client, settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "METRICS_TOKEN": "s3cret-token"}
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403

    staff = make_user("operator")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/metrics").status_code == 200


def test_an_eager_task_notes_no_heartbeat_and_a_workers_task_does() -> None:
    from stats.models import WorkerHeartbeat

    class Request:
        is_eager = True
        hostname = "celery@box"

    class Task:
        request = Request()

    on_task_postrun(sender=Task())
    assert not WorkerHeartbeat.objects.exists()
    Request.is_eager = False
    on_task_postrun(sender=Task())
    assert WorkerHeartbeat.objects.get().hostname == "celery@box"
