"""Playing one full match: the referee loop between the engine and two sandboxed bots.

No Django here: callers (``manage.py play``, the match tasks, the benchmark) pass plain values in
and get a :class:`MatchResult` back.

Faults and failures are kept apart (STYLE #7, #8): whatever a bot does (time out, crash, flood,
print garbage, run out of memory) becomes a :class:`~battles.engine.Fault` for the engine and a
status in the replay, never an exception. Only infrastructure failures escape: ``SandboxError``
when a sandbox cannot be started, so that a task can retry the match.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

from battles.engine import Fault, FaultKind, Game, Outcome, OutputPolicy
from battles.replay import (
    Replay,
    ReplayPlayerTurn,
    ReplayTurn,
    game_state,
    new_replay,
    outcome_json,
    player_turn_entry,
    record_engine_faults,
)
from battles.sandbox import (
    Answer,
    AnswerStatus,
    BotProcess,
    BotProgram,
    Limits,
    SandboxMode,
    Transport,
    sandbox_level,
)

__all__ = [
    "Exchange",
    "MatchResult",
    "answer_to_engine",
    "ask_players",
    "play_match",
    "referee",
]


@dataclass(frozen=True)
class MatchResult:
    outcome: Outcome
    mode: SandboxMode
    level: str  # the sandbox level reached; stored and shown with the match
    replay: Replay


@dataclass(frozen=True)
class Exchange:
    """One player's part of a turn: what the sandbox returned and the deadline it had."""

    seat: int
    answer: Answer
    timeout_ms: int


def play_match(
    bots: tuple[BotProgram, BotProgram],
    *,
    seed: int,
    limits: Limits,
    mode: SandboxMode,
    policy: OutputPolicy = OutputPolicy.ARENA,
    on_turn: Callable[[int], None] | None = None,
    on_record: Callable[[ReplayTurn], None] | None = None,
) -> MatchResult:
    """Plays one game between ``bots`` (seat 0, seat 1) in the sandbox; returns the outcome.

    Raises ``SandboxError`` only when a bot process cannot be started (an infrastructure fault,
    worth a retry); everything a bot does wrong ends up in the outcome instead.
    """
    level = str(sandbox_level(mode))
    with ExitStack() as stack:
        # ExitStack closes (kills and reaps) whatever was started, even when the second start
        # fails or the engine raises: no bot process outlives its match.
        transports = [
            stack.enter_context(BotProcess.start(program, limits=limits, mode=mode))
            for program in bots
        ]
        return referee(
            transports,
            seed=seed,
            limits=limits,
            mode=mode,
            level=level,
            policy=policy,
            on_turn=on_turn,
            on_record=on_record,
        )


def referee(
    transports: Sequence[Transport],
    *,
    seed: int,
    limits: Limits,
    mode: SandboxMode,
    level: str,
    policy: OutputPolicy = OutputPolicy.ARENA,
    on_turn: Callable[[int], None] | None = None,
    on_record: Callable[[ReplayTurn], None] | None = None,
) -> MatchResult:
    """The referee loop over two started transports (bot processes, or scripted fakes in tests).

    It does not close them: whoever started them does (``play_match`` does, always).
    ``on_record`` gets each turn's replay record as it is made (the live event stream).
    """
    game = Game.from_seed(seed, policy=policy)
    replay = new_replay(seed=seed, policy=policy, mode=mode.value, level=level, game=game)
    answered: set[int] = set()
    while not game.over:
        exchanges = ask_players(game, transports, limits=limits, answered=answered)
        given = {x.seat: answer_to_engine(x.answer, x.timeout_ms, limits) for x in exchanges}
        game.play_turn(given)
        turn = game.turn  # the number of the turn just played: 1, 2, ...
        players: list[ReplayPlayerTurn | None] = [None, None]
        for x in exchanges:
            players[x.seat] = player_turn_entry(x.answer, given[x.seat])
        record_engine_faults(players, game)
        record: ReplayTurn = {"turn": turn, "players": players, "state": game_state(game)}
        replay["turns"].append(record)
        if on_record is not None:
            on_record(record)
        if on_turn is not None:
            on_turn(turn)
    outcome = game.outcome
    assert outcome is not None  # the loop only ends once the game is over
    replay["outcome"] = outcome_json(outcome)
    return MatchResult(outcome=outcome, mode=mode, level=level, replay=replay)


def ask_players(
    game: Game, transports: Sequence[Transport], *, limits: Limits, answered: set[int]
) -> list[Exchange]:
    """Asks every active player for its line of this turn, one bot after the other.

    Why one after the other rather than "write to both, then wait for both": each bot's deadline
    runs from the moment its own input was written, so a slow opponent cannot eat into it, and
    only one bot computes while it is being timed. Two bots computing at once on a loaded 2-core
    machine compete for CPU with each other and with the referee: the main cause of unfair
    timeouts (docs/sandbox.md §8). The price is wall time per turn
    (A + B instead of max(A, B)), which the benchmark shows to be small for real bots.
    """
    exchanges = []
    for seat in game.players_to_ask():
        # docs/rules.md §8.3: 1000 ms for a bot's first answer (it also reads the map), 50 ms
        # afterwards.
        timeout_ms = limits.answer_ms if seat in answered else limits.first_answer_ms
        # A remote seat (battles/live.py) has a person's deadline of its own.
        timeout_ms = getattr(transports[seat], "own_deadline_ms", None) or timeout_ms
        answer = transports[seat].exchange(game.input_for(seat), timeout_ms)
        answered.add(seat)
        exchanges.append(Exchange(seat, answer, timeout_ms))
    return exchanges


def answer_to_engine(answer: Answer, timeout_ms: int, limits: Limits) -> str | Fault:
    """The engine's view of one sandbox answer: the line itself, or the fault it amounts to."""
    status = answer.status
    if status is AnswerStatus.OK and answer.line is not None:
        return answer.line
    if status is AnswerStatus.TIMEOUT:
        # The detail says which clock ran out: the bot's own CPU time, or the wall-clock
        # backstop that ends the turn of a bot that sleeps or blocks.
        return Fault(FaultKind.TIMEOUT, _with_detail(f"no answer within {timeout_ms} ms", answer))
    if status is AnswerStatus.OUTPUT_TOO_LONG:
        return Fault(FaultKind.INVALID, f"output line longer than {limits.max_line_bytes} bytes")
    if status is AnswerStatus.NOT_UTF8:
        return Fault(FaultKind.INVALID, "output line is not valid UTF-8")
    if status is AnswerStatus.MEMORY_LIMIT:
        return Fault(FaultKind.CRASHED, _with_detail("memory limit exceeded", answer))
    # CRASHED, or an OK without a line (cannot happen; treated as the bot's fault, not ours).
    return Fault(FaultKind.CRASHED, _with_detail(_ended(answer), answer))


def _ended(answer: Answer) -> str:
    if answer.signal is not None:
        try:
            name = signal.Signals(answer.signal).name
        except ValueError:
            name = f"signal {answer.signal}"
        return f"bot process killed by {name}"
    if answer.exit_code is not None:
        return f"bot process exited with code {answer.exit_code}"
    return "bot process ended"


def _with_detail(reason: str, answer: Answer) -> str:
    # The sandbox's detail says how it knows (e.g. "OOM kill in memory.events"): worth showing.
    return f"{reason} ({answer.detail})" if answer.detail else reason
