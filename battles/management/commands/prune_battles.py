"""manage.py prune_battles [--dry-run]: expired live entries out, their battles marked expired,
old replays archived to files (battles/archive.py); prints what it did (or would do)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from battles.archive import archive_dir, battles_prune
from gamearena.env import arena_settings


class Command(BaseCommand):
    help = "Remove expired live battles and archive the replays of old finished battles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="say what would be done")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        report = battles_prune(dry_run=dry_run)
        verb = "would be " if dry_run else ""
        days = arena_settings()["BATTLE_ARCHIVE_DAYS"]
        self.stdout.write(
            f"live entries past their TTL: {len(report.expired_entries)} {verb}removed; "
            f"{report.battles_expired} open battles {verb}marked expired"
        )
        for battle_id in report.expired_entries:
            self.stdout.write(f"  expired {battle_id}")
        where = archive_dir() / "replays"
        when = f"finished over {days} days ago" if days else "(BATTLE_ARCHIVE_DAYS=0: never)"
        self.stdout.write(
            f"replays {when}: {len(report.replays_archived)} {verb}archived to {where}"
        )
        for battle_id in report.replays_archived:
            self.stdout.write(f"  archived {battle_id}")
