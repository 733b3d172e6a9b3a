"""The live store: the storage seed's ``BattleStorage``, where running live battles are kept.

Three backends, in the seed's order (``live_store()`` picks one from the settings):

- Redis (django-redis's connection, the ``live`` cache) when REDIS_URL is set: entries expire
  by themselves, a waiting worker blocks on a list (BLPOP) instead of polling;
- the SQL database otherwise (table ``battles_livebattleentry``, the seed's ``battles`` table):
  works across the web and worker processes with no server at all; waits poll it;
- local memory only when chosen explicitly (GAMEARENA_LIVE_STORE=memory): one process only.

Every TTL decision reads the movable clock of battles/live_keys.py, on every backend (Redis'
own expiry only reclaims memory later), so a test that moves the clock expires an entry
everywhere. A backend that does not answer raises ``LiveStoreUnavailableError`` (503
``live_store_unavailable``): never a silent fallback, since web and workers must agree.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction

from battles import live_keys as keys
from battles.live_keys import live_clock
from gamearena.env import arena_settings
from gamearena.errors import DomainError

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.005  # the SQL backend's first wait step: well under a turn's overhead
MAX_POLL_SECONDS = 0.25
BLOCK_SECONDS = 1.0  # Redis' longest block: below the client's socket timeout (2 s)

Data = dict[str, Any]
Clock = Callable[[], float]


class LiveStoreUnavailableError(DomainError):
    code = "live_store_unavailable"
    status_code = 503
    default_message = "The live battle store is not answering; try again shortly."


def _encode(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _decode(raw: bytes | memoryview) -> Any:
    return json.loads(bytes(raw))


class BattleStorage(ABC):
    """save/get/delete/prune of live battles (the seed's API), plus what a remote seat needs:
    a command written once per turn and waited for, and each battle's stream of events."""

    name: str

    def __init__(self, *, ttl_seconds: int, clock: Clock = live_clock) -> None:
        self.ttl = ttl_seconds
        self.clock = clock

    # -- the seed's API -------------------------------------------------------------------

    @abstractmethod
    def save_battle(self, battle_id: str, battle: Data) -> None:
        """Stores the entry; its TTL starts again now."""

    @abstractmethod
    def get_battle(self, battle_id: str) -> Data | None:
        """The entry, or None when there is none or its TTL has lapsed."""

    @abstractmethod
    def delete_battle(self, battle_id: str) -> None:
        """The entry and its commands. Its events and turn notices stay until their TTL: a
        late viewer still reads the stream, a request waiting on the last turn still wakes."""

    @abstractmethod
    def prune_expired(self, *, dry_run: bool = False) -> list[str]:
        """Removes whatever outlived its TTL; returns the ids of the battles whose entry it was."""

    @abstractmethod
    def count(self) -> int:
        """How many live entries there are now."""

    @abstractmethod
    def ping(self) -> None:
        """Raises LiveStoreUnavailableError unless the backend answers."""

    # -- turns ----------------------------------------------------------------------------

    @abstractmethod
    def put_once(self, battle_id: str, name: str, value: str) -> bool:
        """Writes the part `name` unless it exists; True for the one write that won."""

    @abstractmethod
    def get_part(self, battle_id: str, name: str) -> str | None: ...

    def wait_for(
        self, battle_id: str, name: str, timeout: float, *, tick: Callable[[], None] | None = None
    ) -> str | None:
        """The part `name` as soon as it exists, or None after `timeout` seconds. `tick` is
        called about every second (a worker renews its lease there)."""
        started = last_tick = time.monotonic()
        deadline = started + timeout
        while True:
            value = self.get_part(battle_id, name)
            if value is not None:
                return value
            now = time.monotonic()
            if now >= deadline:
                return None
            self._block(battle_id, name, min(deadline - now, BLOCK_SECONDS), now - started)
            if tick is not None and time.monotonic() - last_tick >= 1.0:
                tick()
                last_tick = time.monotonic()

    def _block(self, battle_id: str, name: str, seconds: float, waited: float) -> None:
        # Polling: quick for the first second (a program answers within milliseconds), then
        # slower: a person thinking for a minute costs a query every quarter second.
        step = POLL_SECONDS if waited < 1 else 0.05 if waited < 5 else MAX_POLL_SECONDS
        time.sleep(min(seconds, step))

    # -- events ---------------------------------------------------------------------------

    @abstractmethod
    def append_event(self, battle_id: str, event: Data) -> int:
        """Adds an event to the battle's stream; returns its id (1, 2, ...)."""

    @abstractmethod
    def read_events(self, battle_id: str, *, after: int = 0) -> list[tuple[int, Data]]:
        """The events with an id above `after`, oldest first."""

    def info(self) -> dict[str, Any]:
        return {"backend": self.name}

    def _expires_at(self) -> float:
        return self.clock() + self.ttl


# -- Redis --------------------------------------------------------------------------------


class RedisBattleStorage(BattleStorage):
    name = "redis"

    def __init__(self, client: Any, *, prefix: str, ttl_seconds: int, clock: Clock = live_clock):
        super().__init__(ttl_seconds=ttl_seconds, clock=clock)
        self.client = client
        self.prefix = prefix

    def _k(self, key: str) -> str:
        return f"{self.prefix}:{key}" if self.prefix else key

    @contextmanager
    def _answering(self) -> Iterator[None]:
        from redis.exceptions import RedisError

        try:
            yield
        except RedisError as error:
            logger.error("live store: Redis is not answering: %r", error)
            raise LiveStoreUnavailableError(details={"backend": "redis"}) from error

    def _ex(self) -> int:
        # Redis' own expiry, a little after the clock's: it only reclaims memory.
        return self.ttl + 60

    def save_battle(self, battle_id: str, battle: Data) -> None:
        expires_at = self._expires_at()
        with self._answering():
            pipe = self.client.pipeline()
            pipe.set(
                self._k(keys.battle_key(battle_id)), _encode([expires_at, battle]), ex=self._ex()
            )
            pipe.zadd(self._k(keys.INDEX_KEY), {battle_id: expires_at})
            pipe.execute()

    def get_battle(self, battle_id: str) -> Data | None:
        with self._answering():
            raw = self.client.get(self._k(keys.battle_key(battle_id)))
        if raw is None:
            return None
        expires_at, battle = _decode(raw)
        return battle if expires_at > self.clock() else None

    def delete_battle(self, battle_id: str) -> None:
        with self._answering():
            parts = list(self.client.scan_iter(self._k(keys.part_key(battle_id, "command:*"))))
            self.client.delete(self._k(keys.battle_key(battle_id)), *parts)
            self.client.zrem(self._k(keys.INDEX_KEY), battle_id)

    def prune_expired(self, *, dry_run: bool = False) -> list[str]:
        with self._answering():
            index = self._k(keys.INDEX_KEY)
            expired = [
                raw.decode() for raw in self.client.zrangebyscore(index, "-inf", self.clock())
            ]
            if not dry_run:
                for battle_id in expired:
                    self.delete_battle(battle_id)
                    parts = self.client.scan_iter(self._k(keys.part_key(battle_id, "*")))
                    self.client.delete(self._k(keys.events_key(battle_id)), *parts)
        return expired

    def count(self) -> int:
        with self._answering():
            return int(self.client.zcount(self._k(keys.INDEX_KEY), f"({self.clock()}", "+inf"))

    def ping(self) -> None:
        with self._answering():
            self.client.ping()

    def put_once(self, battle_id: str, name: str, value: str) -> bool:
        key = self._k(keys.part_key(battle_id, name))
        with self._answering():
            won = bool(
                self.client.set(key, _encode([self._expires_at(), value]), nx=True, ex=self._ex())
            )
            if won:
                wake = f"{key}:wake"
                self.client.rpush(wake, 1)
                self.client.expire(wake, self._ex())
        return won

    def get_part(self, battle_id: str, name: str) -> str | None:
        with self._answering():
            raw = self.client.get(self._k(keys.part_key(battle_id, name)))
        if raw is None:
            return None
        expires_at, value = _decode(raw)
        return value if expires_at > self.clock() else None

    def _block(self, battle_id: str, name: str, seconds: float, waited: float) -> None:
        # Woken by put_once's push at once; no CPU spent while a person thinks.
        with self._answering():
            self.client.blpop([self._k(keys.part_key(battle_id, name)) + ":wake"], seconds)

    def append_event(self, battle_id: str, event: Data) -> int:
        key = self._k(keys.events_key(battle_id))
        with self._answering():
            number = int(self.client.rpush(key, _encode([self._expires_at(), event])))
            self.client.expire(key, self._ex())
        return number

    def read_events(self, battle_id: str, *, after: int = 0) -> list[tuple[int, Data]]:
        with self._answering():
            raws = self.client.lrange(self._k(keys.events_key(battle_id)), after, -1)
        now = self.clock()
        events = []
        for number, raw in enumerate(raws, start=after + 1):
            expires_at, event = _decode(raw)
            if expires_at > now:
                events.append((number, event))
        return events


# -- SQL ----------------------------------------------------------------------------------


class SqlBattleStorage(BattleStorage):
    name = "database"

    @contextmanager
    def _answering(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError:
            raise
        except DatabaseError as error:
            logger.error("live store: the database is not answering: %r", error)
            raise LiveStoreUnavailableError(details={"backend": "database"}) from error

    @staticmethod
    def _rows() -> Any:
        from battles.models import LiveBattleEntry

        return LiveBattleEntry.objects

    def _write(self, key: str, value: object) -> None:
        now = self.clock()
        with self._answering():
            self._rows().update_or_create(
                battle_id=key,
                defaults={"data": _encode(value), "updated_at": now, "expires_at": now + self.ttl},
                create_defaults={
                    "data": _encode(value),
                    "created_at": now,
                    "updated_at": now,
                    "expires_at": now + self.ttl,
                },
            )

    def _read(self, key: str) -> Any:
        with self._answering():
            raw = (
                self._rows()
                .filter(battle_id=key, expires_at__gt=self.clock())
                .values_list("data", flat=True)
                .first()
            )
        return None if raw is None else _decode(raw)

    def save_battle(self, battle_id: str, battle: Data) -> None:
        self._write(keys.battle_key(battle_id), battle)

    def get_battle(self, battle_id: str) -> Data | None:
        return self._read(keys.battle_key(battle_id))  # type: ignore[no-any-return]

    def delete_battle(self, battle_id: str) -> None:
        entry = keys.battle_key(battle_id)
        with self._answering():
            self._rows().filter(battle_id=entry).delete()
            commands = keys.part_key(battle_id, "command:")
            self._rows().filter(battle_id__startswith=commands).delete()

    def prune_expired(self, *, dry_run: bool = False) -> list[str]:
        with self._answering():
            expired = self._rows().filter(expires_at__lte=self.clock())
            found = [keys.battle_id_of(key) for key in expired.values_list("battle_id", flat=True)]
            if not dry_run:
                expired.delete()
        return [battle_id for battle_id in found if battle_id is not None]

    def count(self) -> int:
        with self._answering():
            live = self._rows().filter(expires_at__gt=self.clock(), battle_id__startswith="battle:")
            return sum(
                1 for key in live.values_list("battle_id", flat=True) if keys.battle_id_of(key)
            )

    def ping(self) -> None:
        with self._answering():
            self._rows().exists()

    def put_once(self, battle_id: str, name: str, value: str) -> bool:
        key = keys.part_key(battle_id, name)
        now = self.clock()
        try:
            # A primary key admits one row: the database decides which of two writes won.
            with self._answering(), transaction.atomic():
                self._rows().filter(battle_id=key, expires_at__lte=now).delete()
                self._rows().create(
                    battle_id=key,
                    data=_encode(value),
                    created_at=now,
                    updated_at=now,
                    expires_at=now + self.ttl,
                )
        except IntegrityError:
            return False
        return True

    def get_part(self, battle_id: str, name: str) -> str | None:
        return self._read(keys.part_key(battle_id, name))  # type: ignore[no-any-return]

    def append_event(self, battle_id: str, event: Data) -> int:
        # One writer per battle (the worker playing it); a collision only retries.
        for _ in range(5):
            number = self._event_count(battle_id) + 1
            try:
                with transaction.atomic():
                    self._write_new(keys.event_key(battle_id, number), event)
                return number
            except IntegrityError:
                continue
        raise LiveStoreUnavailableError("Could not append an event.")

    def _write_new(self, key: str, value: object) -> None:
        now = self.clock()
        with self._answering():
            self._rows().create(
                battle_id=key,
                data=_encode(value),
                created_at=now,
                updated_at=now,
                expires_at=now + self.ttl,
            )

    def _event_count(self, battle_id: str) -> int:
        with self._answering():
            events = self._rows().filter(battle_id__startswith=keys.part_key(battle_id, "event:"))
            return int(events.count())

    def read_events(self, battle_id: str, *, after: int = 0) -> list[tuple[int, Data]]:
        with self._answering():
            rows = (
                self._rows()
                .filter(
                    battle_id__startswith=keys.part_key(battle_id, "event:"),
                    battle_id__gt=keys.event_key(battle_id, after),
                    expires_at__gt=self.clock(),
                )
                .order_by("battle_id")
                .values_list("battle_id", "data")
            )
            return [(int(key.rsplit(":", 1)[1]), _decode(data)) for key, data in rows]


# -- local memory -------------------------------------------------------------------------


class _Space:
    """One process's memory store: key -> (expires_at, value), under a lock."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.items: dict[str, tuple[float, Any]] = {}


_PROCESS_SPACE = _Space()


class MemoryBattleStorage(BattleStorage):
    name = "local memory"

    def __init__(
        self, *, ttl_seconds: int, clock: Clock = live_clock, space: _Space | None = None
    ) -> None:
        super().__init__(ttl_seconds=ttl_seconds, clock=clock)
        self.space = space or _PROCESS_SPACE

    def _get(self, key: str) -> Any:
        found = self.space.items.get(key)
        if found is None or found[0] <= self.clock():
            return None
        return json.loads(json.dumps(found[1]))  # a copy, as the other backends give

    def _set(self, key: str, value: object) -> None:
        with self.space.lock:
            self.space.items[key] = (self._expires_at(), json.loads(json.dumps(value)))
            self.space.lock.notify_all()

    def save_battle(self, battle_id: str, battle: Data) -> None:
        self._set(keys.battle_key(battle_id), battle)

    def get_battle(self, battle_id: str) -> Data | None:
        with self.space.lock:
            return self._get(keys.battle_key(battle_id))  # type: ignore[no-any-return]

    def delete_battle(self, battle_id: str) -> None:
        entry = keys.battle_key(battle_id)
        commands = keys.part_key(battle_id, "command:")
        with self.space.lock:
            for key in list(self.space.items):
                if key == entry or key.startswith(commands):
                    del self.space.items[key]

    def prune_expired(self, *, dry_run: bool = False) -> list[str]:
        now = self.clock()
        with self.space.lock:
            expired = [key for key, (at, _) in self.space.items.items() if at <= now]
            if not dry_run:
                for key in expired:
                    del self.space.items[key]
        return [battle_id for key in expired if (battle_id := keys.battle_id_of(key))]

    def count(self) -> int:
        now = self.clock()
        with self.space.lock:
            return sum(
                1
                for key, (at, _) in self.space.items.items()
                if at > now and keys.battle_id_of(key)
            )

    def ping(self) -> None:
        return None

    def put_once(self, battle_id: str, name: str, value: str) -> bool:
        key = keys.part_key(battle_id, name)
        with self.space.lock:
            if self._get(key) is not None:
                return False
            self._set(key, value)
        return True

    def get_part(self, battle_id: str, name: str) -> str | None:
        with self.space.lock:
            return self._get(keys.part_key(battle_id, name))  # type: ignore[no-any-return]

    def _block(self, battle_id: str, name: str, seconds: float, waited: float) -> None:
        with self.space.lock:
            self.space.lock.wait(seconds)

    def append_event(self, battle_id: str, event: Data) -> int:
        with self.space.lock:
            number = len(self._numbers(battle_id)) + 1
            self._set(keys.event_key(battle_id, number), event)
        return number

    def _numbers(self, battle_id: str) -> list[int]:
        prefix = keys.part_key(battle_id, "event:")
        return [int(key.rsplit(":", 1)[1]) for key in self.space.items if key.startswith(prefix)]

    def read_events(self, battle_id: str, *, after: int = 0) -> list[tuple[int, Data]]:
        with self.space.lock:
            numbers = sorted(n for n in self._numbers(battle_id) if n > after)
            found = [(n, self._get(keys.event_key(battle_id, n))) for n in numbers]
        return [(n, event) for n, event in found if event is not None]


# -- which one ----------------------------------------------------------------------------


def live_store_choice() -> tuple[str, str]:
    """The backend the settings ask for, and why when it is not the first choice (Redis)."""
    wanted = arena_settings()["LIVE_STORE"]
    has_redis = "live" in settings.CACHES
    if wanted == "auto":
        if has_redis:
            return "redis", ""
        return "database", "REDIS_URL is not set: live battles are kept in the SQL database"
    if wanted == "redis" and not has_redis:
        return "database", "GAMEARENA_LIVE_STORE=redis but REDIS_URL is not set"
    if wanted == "memory":
        return "memory", "GAMEARENA_LIVE_STORE=memory: one process only (tests, experiments)"
    return wanted, ""


def live_store() -> BattleStorage:
    """The live store the settings choose (cheap: the connections are pooled elsewhere)."""
    ttl = arena_settings()["BATTLE_TTL_SECONDS"]
    backend, _ = live_store_choice()
    if backend == "redis":
        from django_redis import get_redis_connection

        prefix = f"{settings.CACHES['live'].get('KEY_PREFIX', '')}"
        return RedisBattleStorage(get_redis_connection("live"), prefix=prefix, ttl_seconds=ttl)
    if backend == "memory":
        return MemoryBattleStorage(ttl_seconds=ttl)
    return SqlBattleStorage(ttl_seconds=ttl)


def live_store_startup_check(process: str) -> bool:
    """Says at start-up which live store this process uses, and loudly when a configured Redis
    does not answer (the web server and the workers call it): never a silent fallback."""
    backend, fallback = live_store_choice()
    if backend != "redis":
        logger.info("%s: live battles are kept in %s (%s)", process, backend, fallback)
        return True
    try:
        live_store().ping()
    except LiveStoreUnavailableError:
        logger.error(
            "%s: the live store (Redis, REDIS_URL) is not answering: live battles answer 503 "
            "live_store_unavailable and /health 503 until it does",
            process,
        )
        return False
    logger.info("%s: live battles are kept in Redis", process)
    return True
