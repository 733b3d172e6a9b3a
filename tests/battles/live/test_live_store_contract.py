"""The live store's contract (battles/live_store.py), unchanged on every backend: Redis, the
SQL database and local memory. Expiry is tested by moving the store's clock, not by waiting."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from battles.live_keys import LiveClock
from battles.live_store import (
    BattleStorage,
    MemoryBattleStorage,
    RedisBattleStorage,
    SqlBattleStorage,
    _Space,
)

# The SQL backend's rows need the test database; its concurrent writers need real commits.
pytestmark = pytest.mark.django_db(transaction=True)

TTL = 60
BACKENDS = ["redis", "database", "memory"]


@pytest.fixture
def clock() -> LiveClock:
    return LiveClock()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, clock: LiveClock) -> Iterator[BattleStorage]:
    if request.param == "redis":
        import redis

        url = request.getfixturevalue("redis_url")
        client = redis.Redis.from_url(url, socket_timeout=2)
        prefix = f"test-{uuid.uuid4().hex[:12]}"
        yield RedisBattleStorage(client, prefix=prefix, ttl_seconds=TTL, clock=clock)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    elif request.param == "database":
        yield SqlBattleStorage(ttl_seconds=TTL, clock=clock)
    else:
        yield MemoryBattleStorage(ttl_seconds=TTL, clock=clock, space=_Space())


def battle_id() -> str:
    return str(uuid.uuid4())


def test_a_saved_battle_reads_back_as_it_was_saved(store: BattleStorage) -> None:
    key = battle_id()
    store.save_battle(key, {"turn": 3, "text": "35 16\n#  #\n", "scores": [1, 2]})
    assert store.get_battle(key) == {"turn": 3, "text": "35 16\n#  #\n", "scores": [1, 2]}


def test_an_unknown_battle_reads_as_none(store: BattleStorage) -> None:
    assert store.get_battle(battle_id()) is None


def test_a_battle_is_gone_once_its_ttl_has_passed_on_the_moved_clock(
    store: BattleStorage, clock: LiveClock
) -> None:
    key = battle_id()
    store.save_battle(key, {"turn": 1})
    clock.move(TTL - 1)
    assert store.get_battle(key) == {"turn": 1}
    clock.move(2)
    assert store.get_battle(key) is None


def test_saving_again_renews_the_ttl(store: BattleStorage, clock: LiveClock) -> None:
    key = battle_id()
    store.save_battle(key, {"turn": 1})
    clock.move(TTL - 1)
    store.save_battle(key, {"turn": 2})
    clock.move(TTL - 1)
    assert store.get_battle(key) == {"turn": 2}


def test_deleting_a_battle_removes_its_entry_and_its_commands(store: BattleStorage) -> None:
    key = battle_id()
    store.save_battle(key, {"turn": 1})
    store.put_once(key, "command:1", "MOVE 0 1 1")
    store.delete_battle(key)
    assert store.get_battle(key) is None
    assert store.get_part(key, "command:1") is None


def test_prune_expired_returns_the_expired_battles_and_removes_them(
    store: BattleStorage, clock: LiveClock
) -> None:
    old, fresh = battle_id(), battle_id()
    store.save_battle(old, {"turn": 1})
    store.append_event(old, {"type": "turn"})
    clock.move(TTL / 2)
    store.save_battle(fresh, {"turn": 1})
    clock.move(TTL / 2 + 1)

    assert store.prune_expired(dry_run=True) == [old]
    assert store.prune_expired() == [old]
    assert store.prune_expired() == []
    assert store.get_battle(fresh) == {"turn": 1}
    assert store.count() == 1


def test_count_is_the_number_of_live_battles(store: BattleStorage, clock: LiveClock) -> None:
    first, second = battle_id(), battle_id()
    store.save_battle(first, {})
    store.save_battle(second, {})
    store.put_once(first, "command:1", "WAIT")
    store.append_event(first, {"type": "turn"})
    assert store.count() == 2
    clock.move(TTL + 1)
    assert store.count() == 0


def test_only_the_first_of_two_writes_of_a_part_wins(store: BattleStorage) -> None:
    key = battle_id()
    assert store.put_once(key, "command:1", "MOVE 0 1 1") is True
    assert store.put_once(key, "command:1", "MOVE 0 2 2") is False
    assert store.get_part(key, "command:1") == "MOVE 0 1 1"


def test_of_many_concurrent_writes_of_a_part_exactly_one_wins(store: BattleStorage) -> None:
    key = battle_id()
    wins: list[bool] = []

    def write(number: int) -> None:
        from django.db import connection

        try:
            wins.append(store.put_once(key, "command:7", f"MOVE 0 {number} 0"))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(wins) == [False] * 5 + [True]


def test_a_waiter_gets_a_part_written_while_it_waits(store: BattleStorage) -> None:
    key = battle_id()
    threading.Timer(0.2, lambda: store.put_once(key, "played:4", "1")).start()
    started = time.monotonic()
    assert store.wait_for(key, "played:4", 5) == "1"
    assert time.monotonic() - started < 2


def test_a_waiter_gives_up_after_its_timeout(store: BattleStorage) -> None:
    ticks: list[int] = []
    started = time.monotonic()
    assert store.wait_for(battle_id(), "command:1", 1.2, tick=lambda: ticks.append(1)) is None
    assert 1.1 < time.monotonic() - started < 2.5
    assert ticks == [1]


def test_events_are_numbered_and_read_after_an_id(store: BattleStorage) -> None:
    key = battle_id()
    numbers = [store.append_event(key, {"type": "turn", "turn": turn}) for turn in (1, 2, 3)]
    assert numbers == [1, 2, 3]
    assert store.read_events(key) == [(n, {"type": "turn", "turn": n}) for n in (1, 2, 3)]
    assert store.read_events(key, after=2) == [(3, {"type": "turn", "turn": 3})]
    assert store.read_events(key, after=3) == []


def test_events_outlive_the_deleted_entry_until_their_ttl(
    store: BattleStorage, clock: LiveClock
) -> None:
    key = battle_id()
    store.save_battle(key, {})
    store.append_event(key, {"type": "turn", "turn": 1})
    store.delete_battle(key)
    assert [n for n, _ in store.read_events(key)] == [1]
    clock.move(TTL + 1)
    assert store.read_events(key) == []


def test_the_store_answers_a_ping(store: BattleStorage) -> None:
    store.ping()


def test_info_names_the_backend(store: BattleStorage, request: Any) -> None:
    assert store.info()["backend"] in {"redis", "database", "local memory"}
