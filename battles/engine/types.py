"""Value types shared by the engine and its callers (the match runner, replays, tests)."""

from __future__ import annotations

import enum

from battles.engine.records import Record


class OutputPolicy(enum.Enum):
    """How a bot's output line is read.

    ARENA adds GameArena's amendments of docs/rules.md §5.4 (short ``MOVE x y`` form, empty output
    is a fault); STRICT is the referee grammar of §5.3 alone, used to compare against the referee.
    """

    ARENA = "arena"
    STRICT = "strict"


class FaultKind(enum.Enum):
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    INVALID = "invalid"


class Fault(Record):
    """A bot fault reported by the runner in place of an output line."""

    __match_args__ = ("kind", "reason")
    kind: FaultKind
    reason: str

    def __init__(self, kind: FaultKind, reason: str) -> None:
        self._init(kind=kind, reason=reason)


class Termination(enum.Enum):
    """Why a game ended."""

    TURN_LIMIT = "turn_limit"  # the last normal turn was played
    NO_IMPROVEMENT = "no_improvement"  # docs/rules.md §8.1: no active player can improve its rank
    ONE_PLAYER_LEFT = "one_player_left"  # the other player was deactivated (fault or all pacs dead)
    ALL_INACTIVE = "all_inactive"  # both players deactivated in the same turn


class PlayerResult(Record):
    __match_args__ = ("status", "reason", "turn")
    status: str  # "ok" | "timeout" | "invalid" | "crashed" | "dead" (all pacs eaten)
    reason: str  # human-readable, "" when ok
    turn: int | None  # turn at which it was deactivated, None when ok

    def __init__(self, status: str, reason: str, turn: int | None) -> None:
        self._init(status=status, reason=reason, turn=turn)


class Outcome(Record):
    __match_args__ = ("scores", "winner", "termination", "turns", "players")
    scores: tuple[int, int]
    winner: int | None  # None = draw
    termination: Termination
    turns: int  # normal turns played
    players: tuple[PlayerResult, PlayerResult]

    def __init__(
        self,
        scores: tuple[int, int],
        winner: int | None,
        termination: Termination,
        turns: int,
        players: tuple[PlayerResult, PlayerResult],
    ) -> None:
        self._init(
            scores=scores, winner=winner, termination=termination, turns=turns, players=players
        )


class PacType(enum.IntEnum):
    """Internal type ids of the referee; the protocol prints the names."""

    NEUTRAL = -1
    ROCK = 0
    PAPER = 1
    SCISSORS = 2


class Rules(Record):
    """League level switches (docs/rules.md §1); the defaults are the final rules."""

    __match_args__ = ("level", "turn_limit", "body_block")
    level: int
    turn_limit: int
    body_block: bool

    def __init__(self, level: int = 4, turn_limit: int = 200, body_block: bool = True) -> None:
        self._init(level=level, turn_limit=turn_limit, body_block=body_block)

    @property
    def fog(self) -> bool:
        return self.level >= 3

    @property
    def abilities(self) -> bool:
        return self.level >= 3

    @property
    def dead_in_input(self) -> bool:
        return self.level >= 4


FINAL_RULES = Rules()
