"""The Pac game rules (CodinGame Spring Challenge 2020, final league): pure, typed, no Django.

Typical referee loop::

    game = Game.from_seed(seed)
    while not game.over:
        answers = {p: run_bot(p, game.input_for(p)) for p in game.players_to_ask()}
        game.play_turn(answers)
    game.outcome
"""

from __future__ import annotations

from battles.engine import native

# First of all: the compiled build, when one matches these sources (see native.py). The
# imports below come after it on purpose (E402 is off for this file).
native.activate(__path__)

from battles.engine.commands import (
    Command,
    EmptyOutputError,
    InvalidOutputError,
    MalformedCommandError,
    Move,
    PacCommandedTwiceError,
    ParsedOutput,
    Speed,
    Switch,
    TargetOutsideGridError,
    UnknownCommandError,
    UnknownPacError,
    Wait,
    parse_output,
)
from battles.engine.game import Game, replay_game
from battles.engine.grid import Grid
from battles.engine.mapgen import Layout, PacSpawn, generate
from battles.engine.rng import JavaRandom
from battles.engine.types import (
    FINAL_RULES,
    Fault,
    FaultKind,
    Outcome,
    OutputPolicy,
    PacType,
    PlayerResult,
    Rules,
    Termination,
)

__all__ = [
    "FINAL_RULES",
    "Command",
    "EmptyOutputError",
    "Fault",
    "FaultKind",
    "Game",
    "Grid",
    "InvalidOutputError",
    "JavaRandom",
    "Layout",
    "MalformedCommandError",
    "Move",
    "Outcome",
    "OutputPolicy",
    "PacCommandedTwiceError",
    "PacSpawn",
    "PacType",
    "ParsedOutput",
    "PlayerResult",
    "Rules",
    "Speed",
    "Switch",
    "TargetOutsideGridError",
    "Termination",
    "UnknownCommandError",
    "UnknownPacError",
    "Wait",
    "generate",
    "parse_output",
    "replay_game",
]
