"""manage.py repair_versions [--dry-run]: realign bots with their version history.

Each bot is checked and repaired in its own transaction under its row lock, so the
command is safe to run on a live server and an interrupted run leaves every bot either
repaired or untouched. See `bot_versions_repair` for what counts as out of sync.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bots.models import Bot
from bots.services import bot_versions_repair


class Command(BaseCommand):
    help = (
        "Set each bot's version_number to its highest version, give version 1 to bots "
        "without versions, and record code changed outside versioning. Reports each change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        bot_ids = list(Bot.objects.order_by("pk").values_list("pk", flat=True))
        changed = 0
        for bot_id in bot_ids:
            changes = bot_versions_repair(bot_id=bot_id, dry_run=dry_run)
            for change in changes:
                self.stdout.write(("would fix " if dry_run else "fixed ") + change.description)
            changed += bool(changes)
        verdict = "would change" if dry_run else "changed"
        summary = f"{len(bot_ids)} bot(s) checked, {changed} {verdict}."
        if dry_run:
            summary += " Dry run: nothing was written."
        self.stdout.write(self.style.SUCCESS(summary))
