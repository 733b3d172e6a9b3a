"""The referee loop: engine and bots, every bot fault a status, a replay that re-simulates.

Most tests drive the loop (``battles.match.referee``) with the sandbox's scripted
``FakeTransport``; the last ones play real games between house bots through the real sandbox.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from battles.engine import Game, OutputPolicy, Termination
from battles.housebots import house_bot_program
from battles.match import MatchResult, play_match, referee
from battles.replay import (
    STDERR_EXCERPT_CHARS,
    Replay,
    replay_check,
    replay_for_viewer,
)
from battles.sandbox import (
    Answer,
    AnswerStatus,
    BotProcess,
    BotProgram,
    FakeTransport,
    Limits,
    SandboxError,
    SandboxMode,
)

Step = Answer | str | Callable[[str, int], Answer]
SEED = 42  # 4 pacs per player (docs/rules.md §12)
LIMITS = Limits()


def idle_forever(_text: str, _timeout_ms: int) -> Answer:
    """A valid answer every turn that changes nothing: the game runs to the turn limit."""
    return Answer(AnswerStatus.OK, "WAIT 0", elapsed_ms=0.4)


def fake(*steps: Step, then_idle: bool = True) -> FakeTransport:
    """A scripted bot: `steps` first, then (unless told otherwise) WAIT 0 for ever."""
    if then_idle:
        return FakeTransport(itertools.chain(steps, itertools.repeat(idle_forever)))
    return FakeTransport(steps)


def run(seat0: FakeTransport, seat1: FakeTransport, **kwargs: object) -> MatchResult:
    options: dict[str, object] = {
        "seed": SEED,
        "limits": LIMITS,
        "mode": SandboxMode.NONE,
        "level": "fake",
    }
    options.update(kwargs)
    return referee([seat0, seat1], **options)  # type: ignore[arg-type]


# -- the loop ---------------------------------------------------------------------------------


def test_two_idle_bots_play_until_the_turn_limit_and_every_turn_is_in_the_replay() -> None:
    seen: list[int] = []
    result = run(fake(), fake(), on_turn=seen.append)

    assert result.outcome.turns == 200
    assert result.outcome.termination is Termination.TURN_LIMIT
    assert result.outcome.winner is None
    assert [p.status for p in result.outcome.players] == ["ok", "ok"]
    assert seen == list(range(1, 201))
    turns = result.replay["turns"]
    assert [t["turn"] for t in turns] == list(range(1, 201))
    assert all(t["players"][seat]["output"] == "WAIT 0" for t in turns for seat in (0, 1))  # type: ignore[index]
    assert turns[-1]["state"]["turn"] == 200


def test_the_first_answer_gets_the_first_answer_deadline_and_later_ones_the_turn_deadline() -> None:
    seat0, seat1 = fake(), fake()
    run(seat0, seat1, limits=Limits(first_answer_ms=700, answer_ms=30))

    for transport in (seat0, seat1):
        timeouts = [timeout for _text, timeout in transport.inputs]
        assert timeouts[0] == 700
        assert set(timeouts[1:]) == {30}


def test_each_bot_gets_the_map_once_then_the_engine_input_of_every_turn() -> None:
    seat0, seat1 = fake(), fake()
    run(seat0, seat1)

    game = Game.from_seed(SEED)
    assert seat0.inputs[0][0] == game.input_for(0)
    assert seat1.inputs[0][0] == game.input_for(1)
    assert seat0.inputs[0][0].startswith("33 15\n")
    assert not seat0.inputs[1][0].startswith("33 15\n")
    assert len(seat0.inputs) == len(seat1.inputs) == 200


def test_a_bot_line_is_given_to_the_engine_as_is() -> None:
    # Under the arena policy an empty line is invalid output (docs/rules.md §5.4) ...
    result = run(fake("WAIT 0", ""), fake())
    assert result.outcome.players[0].status == "invalid"
    assert result.outcome.players[0].turn == 2
    # ... while the referee grammar accepts it (docs/rules.md §5.3).
    strict = run(fake("WAIT 0", ""), fake(), policy=OutputPolicy.STRICT)
    assert strict.outcome.players[0].status == "ok"


FAULTS = [
    (Answer(AnswerStatus.TIMEOUT, elapsed_ms=50.2), "timeout", "no answer within 50 ms"),
    (
        Answer(AnswerStatus.CRASHED, elapsed_ms=3.0, exit_code=1, detail="exit status 1"),
        "crashed",
        "exited with code 1",
    ),
    (Answer(AnswerStatus.CRASHED, signal=9), "crashed", "killed by SIGKILL"),
    (Answer(AnswerStatus.OUTPUT_TOO_LONG), "invalid", "longer than 65536 bytes"),
    (Answer(AnswerStatus.NOT_UTF8), "invalid", "not valid UTF-8"),
    (
        Answer(AnswerStatus.MEMORY_LIMIT, detail="oom_kill in memory.events"),
        "crashed",
        "memory limit exceeded (oom_kill in memory.events)",
    ),
]


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    FAULTS,
    ids=["timeout", "exit-code", "signal", "too-long", "not-utf8", "memory"],
)
def test_every_sandbox_fault_becomes_an_engine_fault_with_a_precise_reason(
    answer: Answer, status: str, reason: str
) -> None:
    seat1 = fake("WAIT 0", answer)
    result = run(fake(), seat1)

    player = result.outcome.players[1]
    assert player.status == status
    assert reason in player.reason
    assert player.turn == 2
    assert result.outcome.termination is Termination.ONE_PLAYER_LEFT
    assert len(seat1.inputs) == 2, "a deactivated bot is never asked again"
    entry = result.replay["turns"][1]["players"][1]
    assert entry is not None
    assert entry["status"] == answer.status.value
    assert entry["fault"] == {"kind": status, "reason": player.reason}
    assert len(result.replay["turns"]) == 2, "the other player is left alone: game over"


def test_the_turn_a_seat_is_eliminated_for_an_invalid_line_shows_its_fault() -> None:
    result = run(fake(), fake("WAIT 0", "MOVE 9 1 1"))

    player = result.outcome.players[1]
    assert (player.status, player.turn) == ("invalid", 2)
    entry = result.replay["turns"][1]["players"][1]
    assert entry is not None
    assert entry["status"] == "ok"
    assert entry["output"] == "MOVE 9 1 1", "the engine got the line: the replay keeps it"
    assert entry["fault"] == {"kind": "invalid", "reason": player.reason}
    survivor = result.replay["turns"][1]["players"][0]
    assert survivor is not None
    assert survivor["fault"] is None
    assert replay_check(json.loads(json.dumps(result.replay)))


def test_a_timeout_reason_says_which_clock_ran_out() -> None:
    cpu = Answer(AnswerStatus.TIMEOUT, detail="CPU budget ran out: 51 ms of CPU in 88 ms")
    result = run(fake("WAIT 0", cpu), fake())
    assert result.outcome.players[0].reason == (
        "no answer within 50 ms (CPU budget ran out: 51 ms of CPU in 88 ms)"
    )


def test_a_timeout_on_the_first_turn_names_the_first_answer_deadline() -> None:
    result = run(fake(Answer(AnswerStatus.TIMEOUT, elapsed_ms=1000.4)), fake())
    assert result.outcome.players[0].reason == "no answer within 1000 ms"


def test_both_bots_faulting_in_the_same_turn_ends_the_game_at_once() -> None:
    result = run(fake(Answer(AnswerStatus.CRASHED)), fake(Answer(AnswerStatus.NOT_UTF8)))
    assert result.outcome.termination is Termination.ALL_INACTIVE
    assert [p.status for p in result.outcome.players] == ["crashed", "invalid"]
    assert len(result.replay["turns"]) == 1


def test_time_used_and_a_capped_stderr_excerpt_are_recorded_per_turn() -> None:
    noisy = Answer(
        AnswerStatus.OK, "WAIT 0", elapsed_ms=12.3456, stderr="x" * 10_000 + "END", cpu_ms=3.21
    )
    result = run(fake(noisy), fake())

    entry = result.replay["turns"][0]["players"][0]
    assert entry is not None
    assert entry["time_ms"] == 12.346
    assert entry["cpu_ms"] == 3.21
    other = result.replay["turns"][0]["players"][1]
    assert other is not None
    assert other["cpu_ms"] is None, "a scripted answer has no CPU figure"
    assert len(entry["stderr_owner_only"]) == STDERR_EXCERPT_CHARS
    assert entry["stderr_owner_only"].endswith("END")


def test_a_viewer_sees_the_stderr_of_their_own_bots_only() -> None:
    talk = Answer(AnswerStatus.OK, "WAIT 0", stderr="my secret plan")
    result = run(fake(talk), fake(talk))

    def first_stderr(replay: Replay) -> list[str]:
        return [p["stderr_owner_only"] for p in replay["turns"][0]["players"] if p is not None]

    assert first_stderr(replay_for_viewer(result.replay, owner_seats={1})) == ["", "my secret plan"]
    assert first_stderr(replay_for_viewer(result.replay)) == ["", ""]
    assert first_stderr(result.replay) == ["my secret plan", "my secret plan"], "copy, not edit"


# -- the replay -------------------------------------------------------------------------------


def scripted_game() -> Replay:
    """A short eventful game: moves, an invalid line, a timeout; JSON round-tripped."""
    seat0 = fake("MOVE 0 25 11 | SPEED 1", "MOVE 0 25 9", "MOVE 1 20 5", "STAY")
    seat1 = fake("MOVE 7 12", "SWITCH 0 PAPER", Answer(AnswerStatus.TIMEOUT), then_idle=False)
    replay: Replay = json.loads(json.dumps(run(seat0, seat1).replay))
    return replay


def test_a_replay_is_json_and_re_simulates_to_the_same_outcome() -> None:
    replay = scripted_game()
    assert replay["format"] == 1
    assert replay["seed"] == SEED
    assert replay["policy"] == "arena"
    assert replay["sandbox"] == {"mode": "none", "level": "fake"}
    assert replay["outcome"] is not None
    assert replay["outcome"]["players"][1]["status"] == "timeout"
    assert replay_check(replay)


def test_a_replay_with_a_tampered_output_does_not_check() -> None:
    replay = scripted_game()
    entry = replay["turns"][0]["players"][0]
    assert entry is not None
    entry["output"] = "MOVE 0 25 13"
    assert not replay_check(replay)


def test_a_replay_with_another_seed_does_not_check() -> None:
    replay = scripted_game()
    replay["seed"] = 43
    assert not replay_check(replay)


def test_a_full_game_replay_re_simulates() -> None:
    assert replay_check(json.loads(json.dumps(run(fake(), fake()).replay)))


# -- play_match: starting and always closing the processes ------------------------------------


@contextmanager
def fake_starts(monkeypatch: pytest.MonkeyPatch, transports: list[object]) -> Iterator[None]:
    """Makes BotProcess.start hand out `transports` in order (a SandboxError is raised)."""
    queue = list(transports)

    def start(_program: BotProgram, *, limits: Limits, mode: SandboxMode) -> object:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    monkeypatch.setattr(BotProcess, "start", staticmethod(start))
    yield


PROGRAM = house_bot_program("greedy")


def test_play_match_closes_the_first_bot_when_the_second_cannot_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = fake()
    failure = SandboxError("bwrap: setting up uid map")
    with fake_starts(monkeypatch, [first, failure]), pytest.raises(SandboxError, match="uid map"):
        play_match((PROGRAM, PROGRAM), seed=SEED, limits=LIMITS, mode=SandboxMode.NONE)
    assert first.closed


def test_play_match_closes_both_bots_when_the_engine_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seats = [fake(), fake()]

    def broken(self: Game, answers: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(Game, "play_turn", broken)
    with fake_starts(monkeypatch, list(seats)), pytest.raises(RuntimeError, match="engine bug"):
        play_match((PROGRAM, PROGRAM), seed=SEED, limits=LIMITS, mode=SandboxMode.NONE)
    assert all(seat.closed for seat in seats)


def test_play_match_closes_both_bots_after_a_game(monkeypatch: pytest.MonkeyPatch) -> None:
    seats = [fake(), fake(Answer(AnswerStatus.CRASHED))]
    with fake_starts(monkeypatch, list(seats)):
        result = play_match((PROGRAM, PROGRAM), seed=SEED, limits=LIMITS, mode=SandboxMode.NONE)
    assert result.outcome.players[1].status == "crashed"
    assert result.mode is SandboxMode.NONE
    assert "none" in result.level
    assert all(seat.closed for seat in seats)


# -- real games through the sandbox -----------------------------------------------------------

# Deadlines far above a house bot's needs: these tests check the plumbing, not the timing, on
# machines that may be loaded by other test processes.
RELAXED = Limits(first_answer_ms=10_000, answer_ms=2_000)


def assert_played_cleanly(result: MatchResult) -> None:
    for player in result.outcome.players:
        assert player.status in {"ok", "dead"}, player
    assert replay_check(json.loads(json.dumps(result.replay)))


def test_greedy_and_random_mover_play_a_real_game_without_a_sandbox() -> None:
    result = play_match(
        (house_bot_program("greedy"), house_bot_program("random_mover")),
        seed=7,
        limits=RELAXED,
        mode=SandboxMode.NONE,
    )
    assert_played_cleanly(result)
    assert result.replay["sandbox"]["mode"] == "none"
    assert result.outcome.scores[0] > 0


@pytest.mark.bwrap
def test_hunter_and_greedy_play_a_real_game_in_bubblewrap() -> None:
    result = play_match(
        (house_bot_program("hunter"), house_bot_program("greedy")),
        seed=11,
        limits=RELAXED,
        mode=SandboxMode.BWRAP,
    )
    assert_played_cleanly(result)
    assert result.level.startswith("bwrap")
    assert result.replay["sandbox"]["level"] == result.level


# Both answer the first turn as soon as its score line arrives, and misbehave on the second.
CRASHES_ON_TURN_TWO = """\
import sys
turns = 0
for line in sys.stdin:
    if line.strip() == "0 0":  # a score line: a new turn starts
        turns += 1
        if turns == 2:
            print("about to fail", file=sys.stderr, flush=True)
            1 / 0
        print("WAIT 0", flush=True)
"""

SLEEPS_ON_TURN_TWO = CRASHES_ON_TURN_TWO.replace("1 / 0", "__import__('time').sleep(30)")


def test_real_bot_faults_reach_the_outcome_and_the_replay(tmp_path: Path) -> None:
    programs = []
    for name, code in (("crash", CRASHES_ON_TURN_TWO), ("sleep", SLEEPS_ON_TURN_TWO)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.py").write_text(code)
        programs.append(BotProgram(code_dir=tmp_path / name))
    limits = Limits(first_answer_ms=10_000, answer_ms=300, wall_backstop_factor=2)

    result = play_match((programs[0], programs[1]), seed=SEED, limits=limits, mode=SandboxMode.NONE)

    crashed, slept = result.outcome.players
    assert (crashed.status, crashed.turn) == ("crashed", 2)
    assert "exited with code 1" in crashed.reason
    assert (slept.status, slept.turn) == ("timeout", 2)
    assert slept.reason.startswith("no answer within 300 ms")
    assert "wall-clock backstop of 600 ms ran out" in slept.reason, "it slept: no CPU used"
    assert result.outcome.termination is Termination.ALL_INACTIVE
    last = result.replay["turns"][-1]["players"]
    assert last[0] is not None
    assert "ZeroDivisionError" in last[0]["stderr_owner_only"]
    assert replay_check(result.replay)


def test_a_replay_with_a_tampered_intermediate_state_does_not_check() -> None:
    replay = scripted_game()
    replay["turns"][0]["state"]["scores"] = [99, 0]
    assert not replay_check(replay)
    assert replay_check(replay, every_turn=False), "only the final state is checked then"


def test_a_malformed_replay_does_not_check() -> None:
    replay = scripted_game()
    entry = replay["turns"][1]["players"][0]
    assert entry is not None
    entry["output"] = None
    assert not replay_check(replay)
