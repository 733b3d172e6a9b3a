"""Reads about battles and where they are kept.

Battles and the public parts of their replays are public, as on every arena: anyone may watch
any game. What a bot printed on stderr is its owner's alone (it may explain its strategy):
`battle_replay_get` blanks every other seat's stderr, and the API shows a seat's last stderr
line only to that seat's owner.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from battles.errors import BattleNotFoundError
from battles.models import Battle, BattleReplay, BattleSeat
from battles.replay import Replay, replay_for_viewer
from gamearena.backends import cache_backend_name, database_engine_name
from gamearena.env import arena_settings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

BATTLE_LIST_DEFAULT_LIMIT = 20
BATTLE_LIST_MAX_LIMIT = 100


def _with_seats(battles: QuerySet[Battle]) -> QuerySet[Battle]:
    seats = BattleSeat.objects.select_related("bot__owner", "bot_version").order_by("seat")
    return battles.select_related("requested_by").prefetch_related(Prefetch("seats", seats))


@dataclass(frozen=True)
class BattlePage:
    battles: list[Battle]
    count: int
    limit: int
    offset: int


def battle_list(
    *,
    bot_id: int | None = None,
    version_number: int | None = None,
    status: str | None = None,
    limit: int = BATTLE_LIST_DEFAULT_LIMIT,
    offset: int = 0,
) -> BattlePage:
    """Battles newest first, optionally of one bot, of a version number (of that bot), or in
    one status."""
    battles = Battle.objects.all()
    if bot_id is not None or version_number is not None:
        seats = BattleSeat.objects.all()
        if bot_id is not None:
            seats = seats.filter(bot_id=bot_id)
        if version_number is not None:
            seats = seats.filter(bot_version__version_number=version_number)
        # A subquery rather than a join: a bot playing itself holds both seats of one battle.
        battles = battles.filter(pk__in=seats.values("battle_id"))
    if status is not None:
        battles = battles.filter(status=status)
    page = list(_with_seats(battles).order_by("-created_at", "-id")[offset : offset + limit])
    return BattlePage(battles=page, count=battles.count(), limit=limit, offset=offset)


def battle_get(*, public_id: UUID | str) -> Battle:
    battle = _with_seats(Battle.objects.filter(public_id=public_id)).first()
    if battle is None:
        raise BattleNotFoundError()
    return battle


def owned_seats(*, battle: Battle, user: User | AnonymousUser) -> set[int]:
    """The seats of `battle` that `user` owns the bot of (none for anonymous viewers)."""
    if not user.is_authenticated:
        return set()
    return {seat.seat for seat in battle.seats.all() if seat.owner_id == user.pk}


def battle_replay_get(*, battle: Battle, owner_seats: Collection[int]) -> Replay:
    """The stored replay, with stderr kept only for `owner_seats`."""
    stored = BattleReplay.objects.filter(battle=battle).first()
    if stored is None:
        from battles.archive import archived_replay_path  # archived by manage.py prune_battles

        path = archived_replay_path(battle.public_id)
        if path.is_file():
            stored = BattleReplay(battle=battle, data=path.read_bytes(), raw_bytes=0)
    if stored is None:
        raise BattleNotFoundError(
            f"This battle has no replay (it is {battle.status}).", code="replay_not_found"
        )
    return replay_for_viewer(stored.unpack(), owner_seats)


class StorageInfo(TypedDict):
    database: dict[str, str]
    cache: dict[str, str]
    live_battles: dict[str, str | int | bool | None]
    finished_battles: dict[str, str | int]


def storage_info_get() -> StorageInfo:
    """Which backends are really in use, read from the live settings (never from a guess)."""
    database = database_engine_name(settings.DATABASES["default"])
    cache = cache_backend_name(settings.CACHES["default"])
    return {
        "database": {"engine": database},
        "cache": {"backend": cache},
        "live_battles": live_store_info(),
        "finished_battles": {
            "store": f"database ({database})",
            "replays": "zlib-compressed JSON, one row per battle",
            "broker": settings.CELERY_BROKER_URL.split("://", 1)[0],
            "stored": Battle.objects.filter(status=Battle.Status.FINISHED).count(),
        },
    }


def live_store_info() -> dict[str, str | int | bool | None]:
    """The live store really in use: its backend, TTL, how many live battles it holds now,
    and the fallback from the first choice (Redis) with its reason, if any."""
    from battles.live_store import LiveStoreUnavailableError, live_store, live_store_choice

    store = live_store()
    _, fallback = live_store_choice()
    info: dict[str, str | int | bool | None] = {
        "store": store.name,
        "ttl_seconds": arena_settings()["BATTLE_TTL_SECONDS"],
        "fallback": fallback or None,
        "queue": arena_settings()["LIVE_QUEUE"],
        "turn_seconds": arena_settings()["LIVE_TURN_SECONDS"],
    }
    try:
        info |= {"available": True, "live": store.count()}
    except LiveStoreUnavailableError:
        info |= {"available": False, "live": None}
    info["running"] = Battle.objects.filter(
        reason=Battle.Reason.LIVE, status__in=Battle.OPEN_STATUSES
    ).count()
    return info
