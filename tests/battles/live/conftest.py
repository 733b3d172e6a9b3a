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


def greedy_command(text: str) -> str:
    """A valid bot's logic on the input text alone: each of my pacs goes to the nearest pellet
    it knows of (docs/rules.md §5.2), or stays where it is."""
    lines = text.split("\n")
    at = 0
    first = lines[0].split()
    if len(first) == 2 and len(lines) > 1 and set(lines[1]) <= {"#", " "} and lines[1]:
        at = 1 + int(first[1])
    count = int(lines[at + 1])
    mine = [line.split() for line in lines[at + 2 : at + 2 + count]]
    mine = [pac for pac in mine if pac[1] == "1" and pac[4] != "DEAD"]
    pellets_at = at + 2 + count
    pellets = [tuple(map(int, line.split()[:2])) for line in
               lines[pellets_at + 1 : pellets_at + 1 + int(lines[pellets_at])]]  # fmt: skip
    orders = []
    for pac in mine:
        x, y = int(pac[2]), int(pac[3])
        target = min(pellets, key=lambda p: abs(p[0] - x) + abs(p[1] - y), default=(x, y))
        orders.append(f"MOVE {pac[0]} {target[0]} {target[1]}")
    return " | ".join(orders) or "MOVE 0 0 0"


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


@pytest.fixture(autouse=True)
def fresh_live_clock() -> Iterator[None]:
    live_clock.reset()
    yield
    live_clock.reset()
