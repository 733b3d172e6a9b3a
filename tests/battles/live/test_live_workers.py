"""Live battles played by a real live worker (`celery worker -P threads`, the README's way),
over HTTP from the state text alone: on the embedded default (SQLite, the SQL live store, the
filesystem broker) and on PostgreSQL + Redis (the live store and the broker in Redis).

A live worker killed mid-battle never loses the battle silently: the next attempt ends it as a
platform failure that says at which turn the worker stopped.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from battles.models import Battle, BattleReplay
from battles.services import battle_sweep
from tests.battles.live.players import greedy_command
from tests.battles.test_workers import ROOT, Broker, Workers, broker, wait_for, workers
from tests.cast import api_client_for, make_user

__all__ = ["broker", "workers"]  # the worker tests' fixtures, shared

pytestmark = pytest.mark.django_db(transaction=True)
SEED = 3


def start_live_worker(workers: Workers, queue: str) -> subprocess.Popen[bytes]:
    log = workers.log_dir / f"live-worker-{len(workers.started)}.log"
    command = [
        sys.executable, "-m", "celery", "-A", "gamearena", "worker", "-P", "threads", "-c", "2",
        "--loglevel", "INFO", "--queues", f"{queue},{workers.env['GAMEARENA_BATTLE_QUEUE']}",
        "--hostname", f"{uuid.uuid4().hex[:8]}@localhost",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log.open("wb") as out:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=workers.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    workers.started.append(worker)
    wait_for(lambda: b"ready." in log.read_bytes(), 60, lambda: f"never ready: {log.read_text()}")
    return worker


@pytest.fixture
def live_queue(workers: Workers, broker: Broker, settings: Any) -> str:
    queue = f"{broker.queue}-live"
    settings.GAMEARENA = {**settings.GAMEARENA, "LIVE_QUEUE": queue}
    workers.env["GAMEARENA_LIVE_QUEUE"] = queue
    return queue


@pytest.fixture
def embedded_store(settings: Any, workers: Workers) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "LIVE_STORE": "database"}
    workers.env["GAMEARENA_LIVE_STORE"] = "database"


@pytest.fixture
def redis_store(settings: Any, workers: Workers, redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    live = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }
    settings.CACHES = {**settings.CACHES, "live": live}
    settings.GAMEARENA = {**settings.GAMEARENA, "LIVE_STORE": "redis"}
    workers.env |= {
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "GAMEARENA_LIVE_STORE": "redis",
    }


def play_to_the_end(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    turn, text = body["turn"], body["text"]
    while True:
        answer = api.post(
            f"/api/battles/{body['id']}/turn",
            {"turn": turn, "command": greedy_command(text)},
            format="json",
        )
        assert answer.status_code == 200, answer.json()
        played = answer.json()
        if played["status"] != "running":
            return dict(played["summary"])
        assert played["played"], played
        turn, text = played["turn"], played["text"]


def a_whole_battle_is_played_by_a_live_worker(workers: Workers, queue: str) -> None:
    start_live_worker(workers, queue)
    api = api_client_for(make_user("player"))
    answer = api.post(
        "/api/battles/live", {"opponent": "house:greedy", "seed": SEED}, format="json"
    )
    assert answer.status_code == 201, answer.json()

    summary = play_to_the_end(api, answer.json())

    assert summary["status"] == "finished", workers.logs()
    assert APIClient().get(f"/api/battles/{answer.json()['id']}/summary").json() == summary
    battle = Battle.objects.get(public_id=answer.json()["id"])
    assert battle.attempts == 1
    assert BattleReplay.objects.filter(battle=battle).count() == 1


def test_a_live_worker_plays_a_whole_battle_over_http_on_the_embedded_default(
    workers: Workers, live_queue: str, embedded_store: None
) -> None:
    a_whole_battle_is_played_by_a_live_worker(workers, live_queue)


@pytest.mark.postgres
def test_a_live_worker_plays_a_whole_battle_over_http_on_postgresql_and_redis(
    workers: Workers, live_queue: str, redis_store: None
) -> None:
    assert "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
    a_whole_battle_is_played_by_a_live_worker(workers, live_queue)


def test_a_live_worker_killed_mid_battle_ends_it_as_a_platform_failure_that_says_so(
    workers: Workers, live_queue: str, embedded_store: None
) -> None:
    doomed = start_live_worker(workers, live_queue)
    api = api_client_for(make_user("player"))
    body = api.post(
        "/api/battles/live", {"opponent": "house:greedy", "seed": SEED}, format="json"
    ).json()
    played = api.post(
        f"/api/battles/{body['id']}/turn",
        {"turn": 1, "command": greedy_command(body["text"])},
        format="json",
    ).json()
    assert played["turn"] == 2, played

    workers.kill(doomed)
    start_live_worker(workers, live_queue)
    # The sweep, run here rather than by a beat beside the worker: on the filesystem broker a
    # beat's messages written while the worker reads them are a race of the broker's own.
    wait_for(lambda: battle_sweep().requeued == 1, 30, lambda: "its lease never ran out")

    def ended() -> bool:
        return Battle.objects.get(public_id=body["id"]).status == Battle.Status.FAILED

    wait_for(ended, 60, lambda: f"never ended:\n{workers.logs()}")
    battle = Battle.objects.get(public_id=body["id"])
    assert "stopped at turn 2" in battle.failure_reason
    assert not BattleReplay.objects.filter(battle=battle).exists()
    summary = APIClient().get(f"/api/battles/{body['id']}/summary").json()
    assert summary["status"] == "failed"
    assert "stopped at turn 2" in summary["failure_reason"]
