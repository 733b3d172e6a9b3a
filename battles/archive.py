"""Housekeeping of stored battles (manage.py prune_battles, and the periodic prune task):

- live entries past their TTL are removed and their battles marked expired;
- replays of battles finished more than BATTLE_ARCHIVE_DAYS ago move out of the database into
  files (the storage seed's "battle archiving for completed games"): the stored bytes as they
  are, one file per battle under GAMEARENA_ARCHIVE_DIR (var/archive), read back by the replay
  endpoint as if nothing happened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from battles.live import live_battles_expire
from battles.live_store import live_store
from battles.models import Battle, BattleReplay
from gamearena.env import arena_settings

ARCHIVE_BATCH = 200


def archive_dir() -> Path:
    return Path(os.environ.get("GAMEARENA_ARCHIVE_DIR") or Path(settings.VAR_DIR) / "archive")


def archived_replay_path(public_id: object) -> Path:
    return archive_dir() / "replays" / f"{public_id}.json.zlib"


@dataclass(frozen=True)
class PruneReport:
    expired_entries: list[str]  # battle ids whose live entry outlived its TTL
    battles_expired: int  # ... of them still open, now marked expired
    replays_archived: list[str]  # battle ids whose replay moved to a file


def live_entries_prune(*, dry_run: bool) -> tuple[list[str], int]:
    expired = live_store().prune_expired(dry_run=dry_run)
    if dry_run:
        open_ids = Battle.objects.filter(
            public_id__in=expired, reason=Battle.Reason.LIVE, status__in=Battle.OPEN_STATUSES
        ).count()
        return expired, open_ids
    return expired, live_battles_expire(public_ids=expired) if expired else 0


def replays_archive(*, dry_run: bool) -> list[str]:
    days = arena_settings()["BATTLE_ARCHIVE_DAYS"]
    if days <= 0:
        return []
    cutoff = timezone.now() - timedelta(days=days)
    done: list[str] = []
    old = BattleReplay.objects.filter(
        battle__status=Battle.Status.FINISHED, battle__finished_at__lt=cutoff
    ).select_related("battle")
    for replay in old.order_by("pk")[:ARCHIVE_BATCH]:
        public_id = str(replay.battle.public_id)
        if not dry_run:
            _archive_one(replay, public_id)
        done.append(public_id)
    return done


def _archive_one(replay: BattleReplay, public_id: str) -> None:
    path = archived_replay_path(public_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(bytes(replay.data))
    os.replace(partial, path)  # the file is whole before the row goes
    with transaction.atomic():
        BattleReplay.objects.filter(pk=replay.pk).delete()


def battles_prune(*, dry_run: bool) -> PruneReport:
    expired, battles_expired = live_entries_prune(dry_run=dry_run)
    return PruneReport(expired, battles_expired, replays_archive(dry_run=dry_run))
