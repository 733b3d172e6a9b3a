"""manage.py prune_battles [--dry-run]: expired live entries out and their battles marked
expired; replays of battles finished over BATTLE_ARCHIVE_DAYS ago moved to files, still served."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from battles.live_keys import live_clock
from battles.models import Battle, BattleReplay
from bots.models import Bot

pytestmark = pytest.mark.django_db(transaction=True)


def prune(*args: str) -> str:
    out = StringIO()
    call_command("prune_battles", *args, stdout=out)
    return out.getvalue()


def test_prune_removes_expired_live_entries_and_marks_their_battles_expired(
    owner_api: APIClient, settings: Any, no_live_worker: None
) -> None:
    answer = owner_api.post("/api/battles/live", {"opponent": "house:greedy"}, format="json")
    battle_id = answer.json()["id"]
    live_clock.move(settings.GAMEARENA["BATTLE_TTL_SECONDS"] + 1)

    dry = prune("--dry-run")
    assert "1 would be removed; 1 open battles would be marked expired" in dry
    assert f"expired {battle_id}" in dry
    assert Battle.objects.get(public_id=battle_id).status == Battle.Status.QUEUED
    done = prune()

    assert "1 open battles marked expired" in done
    assert Battle.objects.get(public_id=battle_id).status == Battle.Status.EXPIRED
    assert "live entries past their TTL: 0" in prune()


def test_prune_archives_old_replays_to_files_and_the_replay_is_still_served(
    owner_api: APIClient,
    owner_bot: Bot,
    opponent_bot: Bot,
    unsafe_sandbox: None,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GAMEARENA_ARCHIVE_DIR", str(tmp_path))
    settings.GAMEARENA = {**settings.GAMEARENA, "BATTLE_ARCHIVE_DAYS": 30}
    answer = owner_api.post(
        "/api/battles", {"bots": [owner_bot.pk, opponent_bot.pk]}, format="json"
    )
    battle_id = answer.json()["battle"]["id"]
    before = APIClient().get(f"/api/battles/{battle_id}/replay").json()
    assert "replays finished over 30 days ago: 0" in prune()
    Battle.objects.filter(public_id=battle_id).update(
        finished_at=timezone.now() - timedelta(days=31)
    )

    assert f"archived {battle_id}" in prune("--dry-run")
    assert BattleReplay.objects.count() == 1
    assert f"archived {battle_id}" in prune()

    assert BattleReplay.objects.count() == 0
    assert (tmp_path / "replays" / f"{battle_id}.json.zlib").is_file()
    assert APIClient().get(f"/api/battles/{battle_id}/replay").json() == before
