"""Live battles in tests: a player's client that plays from the state text alone, and a
runner that plays each started battle in a thread of this process, as a live worker's
thread would (the suite runs Celery eagerly, which would play it inside the request)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from battles import live
from battles.live_keys import live_clock
from battles.models import Battle
from tests.battles.live.players import greedy_command

__all__ = ["ThreadRunner", "greedy_command"]


class ThreadRunner:
    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def enqueue(self, *, battle_id: int, countdown: float = 0) -> None:
        thread = threading.Thread(target=self._play, args=(battle_id,), daemon=True)
        self.threads.append(thread)
        thread.start()

    def _play(self, battle_id: int) -> None:
        try:
            live.live_battle_play(battle_id=battle_id)
        except BaseException as error:  # shown by the fixture, not lost in a thread
            self.errors.append(error)
        finally:
            connection.close()


@pytest.fixture
def live_runner(
    monkeypatch: pytest.MonkeyPatch, unsafe_sandbox: None, settings: Any
) -> Iterator[ThreadRunner]:
    runner = ThreadRunner()
    monkeypatch.setattr(live, "live_enqueue", runner.enqueue)
    settings.GAMEARENA = {**settings.GAMEARENA, "BATTLE_LEASE_SECONDS": 5}
    try:
        yield runner
    finally:
        # Battles still waiting for a player end at their worker's next beat (within 1 s).
        Battle.objects.filter(status__in=Battle.OPEN_STATUSES).update(
            status=Battle.Status.CANCELLED
        )
        for thread in runner.threads:
            thread.join(10)
        live_clock.reset()
    assert not runner.errors, runner.errors


@pytest.fixture
def no_live_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nobody plays the live battles started: they wait, and their entries outlive the TTL."""
    monkeypatch.setattr(live, "live_enqueue", lambda **_: None)


@pytest.fixture(autouse=True)
def fresh_live_clock() -> Iterator[None]:
    live_clock.reset()
    yield
    live_clock.reset()
