"""manage.py play BOT_A BOT_B: one full game between two bots, in the sandbox.

The exit code is 0 whenever a game was played, whatever the bots did (a bot's fault is a
result, not an error); bad arguments, unknown bots and a sandbox that refuses to run give
a message and a non-zero code.
"""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from battles.bot_sources import BotSourceError, ResolvedBot, resolve_bot
from battles.engine import OutputPolicy
from battles.match import MatchResult
from battles.models import Battle
from battles.replay import Replay, ReplayOutcome
from battles.sandbox import SandboxError, SandboxMode
from battles.sandbox_policy import (
    SandboxRefusedError,
    bot_interpreter,
    ensure_sandbox_ready,
    match_limits,
    sandbox_mode,
)
from battles.selectors import battle_replay_get
from battles.services import SeatSpec, battle_create, battle_play, match_play

SIGNED_64 = (-(2**63), 2**63 - 1)
PROGRESS_EVERY_TURNS = 50


def seed_value(text: str) -> int:
    value = int(text)
    if not SIGNED_64[0] <= value <= SIGNED_64[1]:
        raise ValueError("a seed is a signed 64-bit integer")
    return value


def positive_ms(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError("must be a positive number of milliseconds")
    return value


class Command(BaseCommand):
    help = (
        "Play one game between two bots. A bot is a path to a Python file (staged alone), a "
        "directory (staged whole, entry main.py), house:<name>, or a stored bot "
        "<owner>/<name>[@<version>]. BOT_A takes seat 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bot_a", metavar="BOT_A")
        parser.add_argument("bot_b", metavar="BOT_B")
        parser.add_argument(
            "--seed", type=seed_value, help="signed 64-bit map seed (default: random)"
        )
        parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
        parser.add_argument("--replay", type=Path, metavar="FILE", help="write the replay here")
        parser.add_argument("--first-turn-timeout", type=positive_ms, metavar="MS")
        parser.add_argument("--turn-timeout", type=positive_ms, metavar="MS")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="the official referee's output grammar, without the arena's amendments",
        )
        parser.add_argument(
            "--save",
            action="store_true",
            help="store the battle with its replay and count it in the stats "
            "(both bots stored or house bots; the arena's own time limits)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"] if options["seed"] is not None else secrets.randbits(64) - 2**63
        if options["replay"] is not None and not options["replay"].parent.is_dir():
            raise CommandError(f"--replay: directory {options['replay'].parent} does not exist")
        if options["save"] and (options["first_turn_timeout"] or options["turn_timeout"]):
            raise CommandError("--save plays with the arena's own time limits: drop the timeouts")
        try:
            # Refused before anything is created; the unsafe mode's warning is logged by the
            # match itself (once per match, as in the workers).
            mode = sandbox_mode()
            if mode is SandboxMode.BWRAP:
                ensure_sandbox_ready(mode)
        except SandboxRefusedError as error:
            raise CommandError(str(error)) from None
        bots = self.resolve_bots(options["bot_a"], options["bot_b"])
        policy = OutputPolicy.STRICT if options["strict"] else OutputPolicy.ARENA
        battle: Battle | None = None
        if options["save"]:
            battle = self.play_saved(bots, seed=seed, policy=policy, options=options)
            replay = battle_replay_get(battle=battle, owner_seats=(0, 1))
            level = battle.sandbox_level
        else:
            result = self.play(bots, seed=seed, policy=policy, options=options)
            replay, level = result.replay, result.level
        if options["replay"] is not None:
            options["replay"].write_text(json.dumps(replay, separators=(",", ":")))
        assert replay["outcome"] is not None
        summary = Summary(seed, replay, level, bots, battle)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json()))
        else:
            self.stdout.write(summary.as_text(options["replay"]))

    def resolve_bots(self, *specs: str) -> tuple[ResolvedBot, ResolvedBot]:
        try:
            first, second = (resolve_bot(spec, interpreter=bot_interpreter()) for spec in specs)
        except BotSourceError as error:
            raise CommandError(str(error)) from None
        return first, second

    def play(
        self,
        bots: tuple[ResolvedBot, ResolvedBot],
        *,
        seed: int,
        policy: OutputPolicy,
        options: dict[str, Any],
    ) -> MatchResult:
        limits = match_limits(
            first_turn_timeout_ms=options["first_turn_timeout"],
            turn_timeout_ms=options["turn_timeout"],
        )
        try:
            result = match_play(
                (bots[0].program, bots[1].program),
                seed=seed,
                limits=limits,
                policy=policy,
                on_turn=self.progress_for(options),
                announce=self.announce,
            )
        except SandboxError as error:
            raise CommandError(f"the sandbox could not start a bot: {error}") from None
        self.end_progress(options)
        return result

    def play_saved(
        self,
        bots: tuple[ResolvedBot, ResolvedBot],
        *,
        seed: int,
        policy: OutputPolicy,
        options: dict[str, Any],
    ) -> Battle:
        unstorable = [bot.label for bot in bots if not bot.storable]
        if unstorable:
            raise CommandError(
                f"--save needs stored bots or house bots; {', '.join(unstorable)} is a file"
            )
        seats = (
            SeatSpec(version=bots[0].version, house_bot=bots[0].house_bot),
            SeatSpec(version=bots[1].version, house_bot=bots[1].house_bot),
        )
        created = battle_create(
            seats=seats, reason=Battle.Reason.COMMAND, seed=seed, policy=policy, enqueue=False
        )
        battle = battle_play(
            battle_id=created.pk, on_turn=self.progress_for(options), announce=self.announce
        )
        self.end_progress(options)
        if battle is None or battle.status != Battle.Status.FINISHED:
            created.refresh_from_db()
            raise CommandError(
                f"battle {created.public_id} was not played: {created.status} "
                f"({created.failure_reason or 'no reason recorded'})"
            )
        return battle

    def announce(self, message: str) -> None:
        self.stderr.write(self.style.WARNING(message))

    def progress_for(self, options: dict[str, Any]) -> Callable[[int], None] | None:
        return None if options["json"] else self.progress

    def end_progress(self, options: dict[str, Any]) -> None:
        if not options["json"] and sys.stderr.isatty():
            sys.stderr.write("\n")

    def progress(self, turn: int) -> None:
        # On a terminal, one rewritten line: the game visibly advances without a screenful of
        # output. In a log, where "\r" does not rewrite anything, a line every 50 turns.
        if sys.stderr.isatty():
            sys.stderr.write(f"\rturn {turn:3d}/200")
            sys.stderr.flush()
        elif turn % PROGRESS_EVERY_TURNS == 0:
            sys.stderr.write(f"turn {turn}/200\n")


@dataclass(frozen=True)
class Summary:
    """What the command prints, read from the replay (the same for a stored battle)."""

    seed: int
    replay: Replay
    level: str
    bots: tuple[ResolvedBot, ResolvedBot]
    battle: Battle | None

    @property
    def outcome(self) -> ReplayOutcome:
        assert self.replay["outcome"] is not None  # a played game has an outcome
        return self.replay["outcome"]

    def as_json(self) -> dict[str, Any]:
        outcome = self.outcome
        body: dict[str, Any] = {
            "seed": self.seed,
            "turns": outcome["turns"],
            "scores": list(outcome["scores"]),
            "winner": outcome["winner"],
            "termination": outcome["termination"],
            "players": [
                {**player, "bot": bot.label}
                for player, bot in zip(outcome["players"], self.bots, strict=True)
            ],
            "sandbox": self.level,
            "sandbox_mode": self.replay["sandbox"]["mode"],
            "policy": self.replay["policy"],
        }
        if self.battle is not None:
            body["battle"] = str(self.battle.public_id)
        return body

    def as_text(self, replay_file: Path | None) -> str:
        outcome = self.outcome
        lines = [
            f"{self.bots[0].label} vs {self.bots[1].label}  seed {self.seed}",
            f"{outcome['turns']} turns, ended by {outcome['termination']}",
            *(self.player_line(seat, bot.label) for seat, bot in enumerate(self.bots)),
            self.winner_line(),
            f"sandbox: {self.level}",
        ]
        if self.battle is not None:
            lines.append(f"stored as battle {self.battle.public_id}")
        if replay_file is not None:
            lines.append(f"replay written to {replay_file}")
        return "\n".join(lines)

    def player_line(self, seat: int, label: str) -> str:
        player = self.outcome["players"][seat]
        line = f"  seat {seat} {label}: {self.outcome['scores'][seat]} points, {player['status']}"
        if player["status"] != "ok":
            line += f" on turn {player['turn']}: {player['reason']}"
        return line

    def winner_line(self) -> str:
        winner = self.outcome["winner"]
        if winner is None:
            return "draw"
        return f"winner: seat {winner} ({self.bots[winner].label})"
