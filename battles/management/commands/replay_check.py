"""manage.py replay_check BATTLE_ID… : proves stored replays honest by playing them again.

Each replay's seed and recorded answers are re-simulated and every turn's state, the final
state and the outcome compared with what was stored; the battle's recorded result is held
against the replay's outcome too. Exit 0 when all match, 1 when any does not.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from battles.errors import BattleNotFoundError
from battles.models import Battle
from battles.replay import ReplayOutcome, replay_check
from battles.selectors import battle_get, battle_replay_get


class Command(BaseCommand):
    help = "Re-simulate stored battles' replays and compare them with what was stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("battle_ids", nargs="*", metavar="BATTLE_ID")
        parser.add_argument(
            "--latest", type=int, metavar="N", help="check the N most recent finished battles"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(options["battle_ids"])
        if options["latest"]:
            ids += [
                str(public_id)
                for public_id in Battle.objects.filter(status=Battle.Status.FINISHED)
                .order_by("-finished_at")
                .values_list("public_id", flat=True)[: options["latest"]]
            ]
        if not ids:
            raise CommandError("name at least one battle id, or --latest N")
        failures = sum(not self.check_one(battle_id) for battle_id in ids)
        if failures:
            raise CommandError(f"{failures} of {len(ids)} replays do not match")

    def check_one(self, battle_id: str) -> bool:
        try:
            battle = battle_get(public_id=battle_id)
            replay = battle_replay_get(battle=battle, owner_seats=(0, 1))
        except (BattleNotFoundError, ValueError) as error:
            self.stdout.write(f"{battle_id}: {getattr(error, 'message', error)}")
            return False
        honest = replay_check(replay)
        outcome: ReplayOutcome | None = replay["outcome"]
        recorded = (
            outcome is not None
            and outcome["winner"] == battle.winner_seat
            and list(outcome["scores"]) == battle.scores
        )
        verdict = "ok" if honest and recorded else "MISMATCH"
        detail = "" if recorded else " (the battle's recorded result differs from its replay)"
        self.stdout.write(f"{battle.public_id}: {verdict}, {battle.turns} turns{detail}")
        return honest and recorded
