"""manage.py play BOT_A BOT_B: one full game between two bots, in the sandbox.

The exit code is 0 whenever a game was played, whatever the bots did (a bot's fault is a
result, not an error); bad arguments, unknown bots and a sandbox that refuses to run give
a message and a non-zero code.
"""

from __future__ import annotations

import json
import secrets
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from battles.bot_sources import BotSourceError, ResolvedBot, resolve_bot
from battles.engine import Outcome, OutputPolicy
from battles.match import MatchResult, play_match
from battles.runner import (
    UNSAFE_WARNING,
    SandboxRefusedError,
    bot_interpreter,
    ensure_sandbox_ready,
    match_limits,
    sandbox_mode,
)
from battles.sandbox import SandboxError, SandboxMode

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
        "Play one game between two bots. A bot is a path to a Python file, house:<name>, "
        "or a stored bot <owner>/<name>[@<version>]. BOT_A takes seat 0."
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
            help="the referee's output grammar (spec 5.3), no 5.4 amendments",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"] if options["seed"] is not None else secrets.randbits(64) - 2**63
        if options["replay"] is not None and not options["replay"].parent.is_dir():
            raise CommandError(f"--replay: directory {options['replay'].parent} does not exist")
        try:
            mode = sandbox_mode()
            ensure_sandbox_ready(mode)
        except SandboxRefusedError as error:
            raise CommandError(str(error)) from None
        if mode is SandboxMode.NONE:
            self.stderr.write(self.style.WARNING(UNSAFE_WARNING))
        with ExitStack() as stack:
            bots = self.resolve_bots(stack, options["bot_a"], options["bot_b"])
            result = self.play(bots, seed=seed, mode=mode, options=options)
        if options["replay"] is not None:
            options["replay"].write_text(json.dumps(result.replay, separators=(",", ":")))
        if options["json"]:
            self.stdout.write(json.dumps(summary_json(result, seed, bots)))
        else:
            self.stdout.write(summary_text(result, seed, bots, options["replay"]))

    def resolve_bots(self, stack: ExitStack, *specs: str) -> tuple[ResolvedBot, ResolvedBot]:
        try:
            first, second = (
                stack.enter_context(resolve_bot(spec, interpreter=bot_interpreter()))
                for spec in specs
            )
        except BotSourceError as error:
            raise CommandError(str(error)) from None
        return first, second

    def play(
        self,
        bots: tuple[ResolvedBot, ResolvedBot],
        *,
        seed: int,
        mode: SandboxMode,
        options: dict[str, Any],
    ) -> MatchResult:
        limits = match_limits(
            first_turn_timeout_ms=options["first_turn_timeout"],
            turn_timeout_ms=options["turn_timeout"],
        )
        policy = OutputPolicy.STRICT if options["strict"] else OutputPolicy.ARENA
        show_progress = not options["json"]
        try:
            result = play_match(
                (bots[0].program, bots[1].program),
                seed=seed,
                limits=limits,
                mode=mode,
                policy=policy,
                on_turn=self.progress if show_progress else None,
            )
        except SandboxError as error:
            raise CommandError(f"the sandbox could not start a bot: {error}") from None
        if show_progress and sys.stderr.isatty():
            sys.stderr.write("\n")
        return result

    def progress(self, turn: int) -> None:
        # On a terminal, one rewritten line: the game visibly advances without a screenful of
        # output. In a log, where "\r" does not rewrite anything, a line every 50 turns.
        if sys.stderr.isatty():
            sys.stderr.write(f"\rturn {turn:3d}/200")
            sys.stderr.flush()
        elif turn % PROGRESS_EVERY_TURNS == 0:
            sys.stderr.write(f"turn {turn}/200\n")


def summary_json(
    result: MatchResult, seed: int, bots: tuple[ResolvedBot, ResolvedBot]
) -> dict[str, Any]:
    outcome = result.outcome
    return {
        "seed": seed,
        "turns": outcome.turns,
        "scores": list(outcome.scores),
        "winner": outcome.winner,
        "termination": outcome.termination.value,
        "players": [
            {
                "status": player.status,
                "reason": player.reason,
                "turn": player.turn,
                "bot": bot.label,
            }
            for player, bot in zip(outcome.players, bots, strict=True)
        ],
        "sandbox": result.level,
        "sandbox_mode": result.mode.value,
        "policy": result.replay["policy"],
    }


def summary_text(
    result: MatchResult, seed: int, bots: tuple[ResolvedBot, ResolvedBot], replay: Path | None
) -> str:
    outcome = result.outcome
    lines = [
        f"{bots[0].label} vs {bots[1].label}  seed {seed}",
        f"{outcome.turns} turns, ended by {outcome.termination.value}",
        *(player_line(seat, bot.label, outcome) for seat, bot in enumerate(bots)),
        winner_line(outcome, bots),
        f"sandbox: {result.level}",
    ]
    if replay is not None:
        lines.append(f"replay written to {replay}")
    return "\n".join(lines)


def player_line(seat: int, label: str, outcome: Outcome) -> str:
    player = outcome.players[seat]
    line = f"  seat {seat} {label}: {outcome.scores[seat]} points, {player.status}"
    if player.status != "ok":
        line += f" on turn {player.turn}: {player.reason}"
    return line


def winner_line(outcome: Outcome, bots: tuple[ResolvedBot, ResolvedBot]) -> str:
    if outcome.winner is None:
        return "draw"
    return f"winner: seat {outcome.winner} ({bots[outcome.winner].label})"
