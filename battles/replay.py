"""The replay of a match: a JSON-serialisable record that re-simulates to the same outcome.

A replay holds the seed, the output policy and, per turn, what each asked player answered (its
line, its fault, or both when the engine judged the line a fault), the wall and CPU time it used,
the sandbox status, a capped excerpt of its stderr, and the game state after the turn. The seed
and the answers alone determine the game (the engine is deterministic), so :func:`replay_check`
can prove a stored replay honest by playing it again.

Bot stderr is private to the bot's owner (it may print its strategy); every such field is named
``..._owner_only`` and :func:`replay_for_viewer` blanks the ones a viewer may not see. Bot output is
attacker-controlled text: pages must escape it (Django templates do by default).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, TypedDict, cast

from battles.engine import Fault, FaultKind, Game, Outcome, OutputPolicy, replay_game

if TYPE_CHECKING:
    from battles.sandbox import Answer

REPLAY_FORMAT = 1
STDERR_EXCERPT_CHARS = 2000  # per player and turn; the sandbox's own buffer is larger
TRUNCATION_MARK = "[…]"


class ReplaySandbox(TypedDict):
    mode: str  # "bwrap" | "none"
    level: str  # what the sandbox actually enforced, e.g. "bwrap+seccomp, no cgroup"


class ReplayFault(TypedDict):
    kind: str  # FaultKind value: "timeout" | "crashed" | "invalid"
    reason: str


class ReplayPlayerTurn(TypedDict):
    status: str  # the sandbox's AnswerStatus value: "ok", "timeout", "crashed", ...
    output: str | None  # the line read (None when no line was read); what the engine was given
    # The seat's fault this turn: given to the engine instead of a line (output None), or found
    # by the engine in the line (output set: an invalid command), so the turn a seat is
    # eliminated always shows why.
    fault: ReplayFault | None
    time_ms: float  # wall time from the write of its input to its answer (or to the fault)
    cpu_ms: float | None  # CPU time its process tree used over the same span; None: unmeasured
    stderr_owner_only: str  # capped excerpt of what it printed on stderr this turn


class ReplayTurn(TypedDict):
    turn: int
    players: list[ReplayPlayerTurn | None]  # by seat; None = not asked (already deactivated)
    state: dict[str, Any]  # engine snapshot after the turn (its speed sub-step included)


class ReplayPlayerResult(TypedDict):
    status: str
    reason: str
    turn: int | None


class ReplayOutcome(TypedDict):
    scores: list[int]
    winner: int | None
    termination: str
    turns: int
    players: list[ReplayPlayerResult]


class Replay(TypedDict):
    format: int
    seed: int
    policy: str  # OutputPolicy value
    sandbox: ReplaySandbox
    initial_state: dict[str, Any]
    turns: list[ReplayTurn]
    outcome: ReplayOutcome | None  # None only while the match is being played


def new_replay(*, seed: int, policy: OutputPolicy, mode: str, level: str, game: Game) -> Replay:
    return {
        "format": REPLAY_FORMAT,
        "seed": seed,
        "policy": policy.value,
        "sandbox": {"mode": mode, "level": level},
        "initial_state": game_state(game),
        "turns": [],
        "outcome": None,
    }


def game_state(game: Game) -> dict[str, Any]:
    """The engine's snapshot (fresh, JSON-ready lists and numbers), stored as is.

    Not round-tripped through JSON here: that costs four times the snapshot itself, on every
    turn of every match. :func:`replay_check` normalises both sides instead.
    """
    return dict(game.snapshot())


def as_json(value: object) -> object:
    """`value` as it reads back from JSON (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value))


def player_turn_entry(answer: Answer, given: str | Fault) -> ReplayPlayerTurn:
    fault: ReplayFault | None = None
    if isinstance(given, Fault):
        fault = {"kind": given.kind.value, "reason": given.reason}
    return {
        "status": answer.status.value,
        "output": answer.line,
        "fault": fault,
        "time_ms": round(answer.elapsed_ms, 3),
        "cpu_ms": None if answer.cpu_ms is None else round(answer.cpu_ms, 3),
        "stderr_owner_only": stderr_excerpt(answer.stderr),
    }


def record_engine_faults(players: list[ReplayPlayerTurn | None], game: Game) -> None:
    """Marks, in a just played turn's entries, the seats the engine deactivated on that turn
    for what their line said (an invalid command): the line stays as what the engine got.

    Deactivation ends the game, so the engine's outcome names those seats and their reasons.
    """
    outcome = game.outcome
    if outcome is None:
        return
    faults = {kind.value for kind in FaultKind}
    for seat, entry in enumerate(players):
        result = outcome.players[seat]
        if (
            entry is not None
            and entry["fault"] is None
            and result.turn == game.turn
            and result.status in faults
        ):
            entry["fault"] = {"kind": result.status, "reason": result.reason}


def stderr_excerpt(text: str, limit: int = STDERR_EXCERPT_CHARS) -> str:
    """The end of `text` when too long: the last lines (an exception, say) say the most."""
    if len(text) <= limit:
        return text
    return TRUNCATION_MARK + text[len(text) - limit + len(TRUNCATION_MARK) :]


def outcome_json(outcome: Outcome) -> ReplayOutcome:
    return {
        "scores": list(outcome.scores),
        "winner": outcome.winner,
        "termination": outcome.termination.value,
        "turns": outcome.turns,
        "players": [
            {"status": p.status, "reason": p.reason, "turn": p.turn} for p in outcome.players
        ],
    }


class MalformedReplayError(ValueError):
    """A replay that does not have the shape of this module's replays."""


def recorded_answers(replay: Replay) -> list[dict[int, str | Fault]]:
    """Per turn, what the engine was given for each asked seat: the line if one was given (a
    fault beside it is the engine's own verdict on it), else the fault."""
    answers: list[dict[int, str | Fault]] = []
    for turn in replay["turns"]:
        given: dict[int, str | Fault] = {}
        for seat, entry in enumerate(turn["players"]):
            if entry is None:
                continue
            fault, output = entry["fault"], entry["output"]
            if isinstance(output, str):
                given[seat] = output
            elif fault is not None:
                given[seat] = Fault(FaultKind(fault["kind"]), fault["reason"])
            else:
                raise MalformedReplayError(f"turn {turn['turn']}: seat {seat} has no answer")
        answers.append(given)
    return answers


def replay_check(replay: Replay, *, every_turn: bool = True) -> bool:
    """True when the seed and the recorded answers re-simulate to the recorded game.

    Always checked: the outcome and the final state. With ``every_turn`` (the default) the state
    after each turn too, so that no recorded turn can differ from what was played; without it,
    only the engine's ``replay_game`` runs (about twice as fast). A malformed replay is False.
    """
    try:
        answers = recorded_answers(replay)
        policy = OutputPolicy(replay["policy"])
        if every_turn:
            game = _replay_turn_by_turn(replay, answers, policy)
            if game is None:
                return False
        else:
            game = replay_game(replay["seed"], answers, policy=policy)
    except (KeyError, TypeError, ValueError):
        return False
    if not game.over or game.outcome is None:
        return False
    final_state = replay["turns"][-1]["state"] if replay["turns"] else replay["initial_state"]
    same_outcome = as_json(outcome_json(game.outcome)) == as_json(replay["outcome"])
    return same_outcome and as_json(game.snapshot()) == as_json(final_state)


def _replay_turn_by_turn(
    replay: Replay, answers: list[dict[int, str | Fault]], policy: OutputPolicy
) -> Game | None:
    """The re-played game, or None as soon as a recorded state differs from the re-played one."""
    game = Game.from_seed(replay["seed"], policy=policy)
    if as_json(game.snapshot()) != as_json(replay["initial_state"]):
        return None
    for turn, given in zip(replay["turns"], answers, strict=True):
        game.play_turn(given)
        if game.turn != turn["turn"] or as_json(game.snapshot()) != as_json(turn["state"]):
            return None
    return game


def replay_for_viewer(replay: Replay, owner_seats: Collection[int] = ()) -> Replay:
    """A copy of `replay` fit for a viewer who owns the bots in `owner_seats` (maybe none)."""
    shown = copy.deepcopy(replay)
    for turn in shown["turns"]:
        for seat, entry in enumerate(turn["players"]):
            if entry is not None and seat not in owner_seats:
                entry["stderr_owner_only"] = ""
    return shown


STORED_FORM = "states-as-changes"


def compact_states(replay: Replay) -> dict[str, Any]:
    """The replay as it is stored: each turn's state keeps only the parts that changed.

    A turn's state repeats most of the one before (the pellets no pac ate, the flags), and
    encoding those repeats was most of the cost of recording a battle. Parts are compared
    whole (list equality runs in C): cheap, and exact, since `expand_states` copies back what
    was left out. The replay's meaning is unchanged; only its stored shape.
    """
    previous = replay["initial_state"]
    turns: list[dict[str, Any]] = []
    for turn in replay["turns"]:
        state = turn["state"]
        changed = {key: value for key, value in state.items() if previous.get(key) != value}
        kept = [key for key in previous if key not in state]
        entry: dict[str, Any] = {**turn, "state": changed}
        if kept:
            entry["state_removed"] = kept
        turns.append(entry)
        previous = state
    return {**replay, "stored_as": STORED_FORM, "turns": turns}


def expand_states(stored: dict[str, Any]) -> Replay:
    """The replay `compact_states` stored, whole again (older, whole replays pass through)."""
    if stored.pop("stored_as", None) != STORED_FORM:
        return cast("Replay", stored)
    previous = stored["initial_state"]
    for turn in stored["turns"]:
        state = {**previous, **turn["state"]}
        for key in turn.pop("state_removed", ()):
            state.pop(key, None)
        turn["state"] = state
        previous = state
    return cast("Replay", stored)
