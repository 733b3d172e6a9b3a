"""Real Celery workers: a battle requested over the API is played by a worker process and
stored; a worker killed with SIGKILL in the middle of a battle loses nothing and records
nothing twice.

The workers run the README's way (`celery -A gamearena worker -B`) on the suite's database
(its SQLite file, or PostgreSQL in the PostgreSQL pass) and on the configured broker: kombu's
filesystem transport on the embedded default, Redis when REDIS_URL is set (CI's second pass).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from celery._state import _register_app
from django.db import connection
from rest_framework.test import APIClient

from battles.models import Battle, BattleReplay
from bots.models import Bot
from bots.services import bot_submit
from gamearena.celery import app as celery_app
from stats.models import AgentStats
from tests.battles.conftest import STILL
from tests.cast import api_client_for, make_user
from tests.conftest import service_missing, tcp_reachable

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
# Stands still and takes ~15 ms a turn: a 200-turn game lasts a few seconds, long enough to
# kill its worker in the middle.
SLOW_STILL = STILL.replace(
    "    print(f'MOVE", "    __import__('time').sleep(0.015)\n    print(f'MOVE"
)

pytestmark = pytest.mark.django_db(transaction=True)


def database_environment() -> dict[str, str]:
    """How a worker process reaches the database this test uses (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"USE_SQLITE": "1", "BATTLE_DB_PATH": str(db["NAME"])}
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    url = f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
    return {"USE_SQLITE": "0", "DATABASE_URL": url}


@dataclass
class Workers:
    env: dict[str, str]
    log_dir: Path
    started: list[subprocess.Popen[bytes]]

    def start(self) -> subprocess.Popen[bytes]:
        """A worker process with the periodic sweep, the README's way; waits until it is ready."""
        log = self.log_dir / f"worker-{len(self.started)}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "gamearena", "worker", "-B",
            "--concurrency", "1", "--loglevel", "INFO",
            "--queues", self.env["GAMEARENA_BATTLE_QUEUE"],
            "--hostname", f"{uuid.uuid4().hex[:8]}@localhost",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--schedule", str(self.log_dir / f"beat-{len(self.started)}"),
        ]  # fmt: skip
        with log.open("wb") as out:
            worker = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.started.append(worker)
        wait_for(
            lambda: b"ready." in log.read_bytes(),
            60,
            lambda: f"worker never ready: {log.read_text(errors='replace')}",
        )
        return worker

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL for the worker and its pool: no clean-up of any kind runs."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.log_dir.glob("*.log"))


def wait_for(condition: Callable[[], bool], seconds: float, what: Callable[[], str]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(what())


@dataclass(frozen=True)
class Broker:
    queue: str
    environment: dict[str, str]  # what a worker needs to read the same queue


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """One broker queue for this module's worker tests, and this process's Celery app sending to
    it (the suite runs tasks eagerly otherwise). Once per module: Celery caches its routes."""
    queue = f"test-battles-{uuid.uuid4().hex[:8]}"
    redis_url = os.environ.get("REDIS_URL", "")
    options: dict[str, Any]
    environment = {"GAMEARENA_BATTLE_QUEUE": queue}
    if redis_url:
        if not tcp_reachable(redis_url, 6379):
            service_missing(f"Redis is not reachable at {redis_url}")
        broker_url, options = redis_url, {"visibility_timeout": 3600}
    else:
        folder = tmp_path_factory.mktemp("broker")
        environment |= {"CELERY_BROKER_URL": "filesystem://", "GAMEARENA_BROKER_DIR": str(folder)}
        broker_url = "filesystem://"
        # The worker's own folders (gamearena/settings.py), exchange tables included.
        options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
        }
    keys = ("task_always_eager", "broker_url", "broker_transport_options", "task_default_queue")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        broker_transport_options=options,
        task_default_queue=queue,
    )
    forget_broker()
    try:
        yield Broker(queue=queue, environment=environment)
    finally:
        celery_app.conf.update(saved)
        forget_broker()


def forget_broker() -> None:
    """Makes this process's Celery app build its broker connections and routes anew.

    Eager tasks earlier in the session still made a producer, so the app holds pools for the
    old broker and a router whose default queue is the old one: close() drops the pools, and
    the `amqp` object, a cached property of the app, holds the routes. close() also unregisters
    the app, and a task module imported afterwards (battles.tasks, first imported when a live
    battle starts) would then never reach its registry: the app is registered again.
    """
    celery_app.close()
    _register_app(celery_app)
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def workers(tmp_path: Path, broker: Broker, unsafe_sandbox: None) -> Iterator[Workers]:
    env = {
        **os.environ,
        **database_environment(),
        **broker.environment,
        "DJANGO_SETTINGS_MODULE": "gamearena.settings",
        "DEBUG": "1",
        "SECRET_KEY": "tests-only-worker-secret-key-0123456789abcdef",
        "GAMEARENA_SANDBOX": "none",
        "GAMEARENA_VAR_DIR": str(tmp_path),
        "GAMEARENA_BATTLE_LEASE_SECONDS": str(LEASE_SECONDS),
        "GAMEARENA_BATTLE_SWEEP_SECONDS": "1",
        # The workers' beat would otherwise pair the suite's bots on the ladder meanwhile.
        "LADDER_BATTLES_PER_MINUTE": "0",
    }
    found = Workers(env=env, log_dir=tmp_path, started=[])
    try:
        yield found
    finally:
        for worker in found.started:
            if worker.poll() is None:
                found.kill(worker)


def status_of(battle_id: str) -> str:
    return str(Battle.objects.values_list("status", flat=True).get(public_id=battle_id))


def test_a_battle_requested_over_the_api_is_played_by_a_worker_and_stored(
    workers: Workers,
) -> None:
    owner = make_user("owner")
    bot = bot_submit(owner=owner, name="still", code=STILL).bot
    workers.start()

    answer = api_client_for(owner).post(
        "/api/battles", {"bots": [bot.pk, "house:greedy"], "seed": 8}, format="json"
    )

    assert answer.status_code == 202, answer.json()
    battle_id = answer.json()["battle"]["id"]
    wait_for(
        lambda: status_of(battle_id) == "finished", 90, lambda: f"not played:\n{workers.logs()}"
    )
    shown = APIClient().get(f"/api/battles/{battle_id}").json()["battle"]
    assert shown["attempts"] == 1
    assert shown["result"]["turns"] >= 1
    assert APIClient().get(f"/api/battles/{battle_id}/replay").status_code == 200
    assert AgentStats.objects.get(agent_name="owner/still").total_battles == 1
    assert AgentStats.objects.get(agent_name="house:greedy").total_battles == 1


def test_a_worker_killed_mid_battle_loses_nothing_and_records_nothing_twice(
    workers: Workers,
) -> None:
    owner = make_user("owner")
    first = bot_submit(owner=owner, name="slow-a", code=SLOW_STILL).bot
    second = bot_submit(owner=owner, name="slow-b", code=SLOW_STILL).bot
    doomed = workers.start()
    answer = api_client_for(owner).post(
        "/api/battles", {"bots": [first.pk, second.pk], "seed": 21}, format="json"
    )
    battle_id = answer.json()["battle"]["id"]
    wait_for(
        lambda: status_of(battle_id) == "running", 60, lambda: f"never started:\n{workers.logs()}"
    )
    time.sleep(1.0)  # well into the game

    workers.kill(doomed)

    battle = Battle.objects.get(public_id=battle_id)
    assert battle.status == Battle.Status.RUNNING  # nothing was recorded by the dead attempt
    assert not BattleReplay.objects.filter(battle=battle).exists()
    assert not AgentStats.objects.exists()
    workers.start()  # its sweep re-queues the battle once the dead worker's lease runs out
    wait_for(
        lambda: status_of(battle_id) == "finished",
        120,
        lambda: f"not replayed after the kill:\n{workers.logs()}",
    )
    battle.refresh_from_db()
    assert battle.attempts == 2
    assert BattleReplay.objects.filter(battle=battle).count() == 1
    assert {row.agent_name: row.total_battles for row in AgentStats.objects.all()} == {
        "owner/slow-a": 1,
        "owner/slow-b": 1,
    }
    assert [Bot.objects.get(pk=pk).match_count for pk in (first.pk, second.pk)] == [1, 1]
