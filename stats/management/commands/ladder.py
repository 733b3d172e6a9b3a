"""`manage.py ladder [--battles N]`: plays N ladder battles here and now, then the leaderboard.

The battles are the ones the periodic matchmaker would schedule (stats/ladder.py: placement
first, then coverage and close ratings, seat-swapped pairs on one seed), played one after
the other in this process instead of by the workers, with a progress line per battle.
Qualification battles still waiting in the queue are played first, here too, so that a
fresh instance without a worker has versions to pair.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from battles.models import Battle
from battles.services import battle_play
from stats.ladder import ladder_schedule
from stats.selectors import leaderboard_get

DEFAULT_BATTLES = 10
LEADERBOARD_ROWS = 20


class Command(BaseCommand):
    help = "Play N ladder battles in this process, then print the leaderboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--battles",
            type=int,
            default=DEFAULT_BATTLES,
            help=f"ladder battles to play, in seat-swapped pairs (default {DEFAULT_BATTLES})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.announced: set[str] = set()
        wanted = options["battles"]
        if wanted < 1:
            raise CommandError("--battles must be at least 1")
        self.play_waiting_qualifications()
        battles = ladder_schedule(battles=wanted, enqueue=False)
        if not battles:
            raise CommandError(
                "the ladder needs at least two active bots with a qualified active version"
            )
        for number, battle in enumerate(battles, start=1):
            played = battle_play(battle_id=battle.pk, announce=self.announce)
            self.progress(number, len(battles), played or battle)
        self.print_leaderboard()

    def play_waiting_qualifications(self) -> None:
        waiting = list(
            Battle.objects.filter(
                reason=Battle.Reason.QUALIFICATION, status=Battle.Status.QUEUED
            ).values_list("pk", flat=True)
        )
        for number, battle_id in enumerate(waiting, start=1):
            played = battle_play(battle_id=battle_id, announce=self.announce)
            self.progress(number, len(waiting), played or Battle.objects.get(pk=battle_id))

    def announce(self, message: str) -> None:
        # The sandbox gate speaks before every battle; once per command is enough.
        if message not in self.announced:
            self.announced.add(message)
            self.stderr.write(self.style.WARNING(message))

    def progress(self, number: int, total: int, battle: Battle) -> None:
        width = 30
        done = width * number // total
        bar = "#" * done + "." * (width - done)
        line = f"[{bar}] {number}/{total}  {_describe(battle)}"
        # On a terminal, one rewritten line; in a log, where "\r" rewrites nothing, a line each.
        if self.stderr.isatty():
            end = "\n" if number == total else ""
            self.stderr.write(f"\r\033[K{line}", style_func=_plain, ending=end)
            self.stderr.flush()
        else:
            self.stderr.write(line, style_func=_plain)

    def print_leaderboard(self) -> None:
        page = leaderboard_get(limit=LEADERBOARD_ROWS)
        self.stdout.write(f"{'rank':>4}  {'bot':<40} {'rating':>8} {'battles':>8} {'wins':>6}")
        for rank, bot in enumerate(page.bots, start=1):
            label = f"{bot.owner.get_username()}/{bot.name} v{bot.version_number}"
            self.stdout.write(
                f"{rank:>4}  {label:<40} {bot.elo_rating:>8.1f} {bot.match_count:>8} "
                f"{bot.win_count:>6}"
            )


def _plain(text: str) -> str:
    return text  # progress is not an error: not in the error style stderr gets by default


def _describe(battle: Battle) -> str:
    battle.refresh_from_db()
    names = " vs ".join(seat.display_name for seat in battle.seats.order_by("seat"))
    if battle.status != Battle.Status.FINISHED:
        return f"{names}: {battle.status} {battle.failure_reason}".rstrip()
    outcome = "draw" if battle.winner_seat is None else f"seat {battle.winner_seat} won"
    return f"{names} ({battle.schedule_reason}): {outcome}"
