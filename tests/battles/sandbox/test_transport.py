"""The scripted FakeTransport, the Transport protocol, and exchange details that need no sandbox.

The exchange tests here run in NONE mode (a plain process), so they also run on machines without
bubblewrap; the same code path serves BWRAP mode, whose own tests are in test_protocol.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from battles.sandbox import (
    Answer,
    AnswerStatus,
    BotProcess,
    BotProgram,
    FakeTransport,
    Limits,
    SandboxMode,
    Transport,
)

ATTACKS = Path(__file__).parent / "attacks"


def plain_bot(entry: str, limits: Limits | None = None) -> BotProcess:
    return BotProcess.start(BotProgram(ATTACKS, entry), limits=limits, mode=SandboxMode.NONE)


@pytest.fixture
def echo() -> Iterator[BotProcess]:
    with plain_bot("echo.py") as bot:
        yield bot


def test_both_the_real_process_and_the_fake_are_transports(echo: BotProcess) -> None:
    transports: list[Transport] = [echo, FakeTransport(["x"])]
    assert all(hasattr(t, "exchange") and hasattr(t, "close") for t in transports)


def test_the_fake_answers_lines_from_its_script_and_records_inputs() -> None:
    fake = FakeTransport(["MOVE 0 1 1", "MOVE 0 2 2"])
    assert fake.exchange("turn 1", 1000) == Answer(AnswerStatus.OK, "MOVE 0 1 1")
    assert fake.exchange("turn 2", 50).line == "MOVE 0 2 2"
    assert fake.inputs == [("turn 1", 1000), ("turn 2", 50)]


def test_the_fake_repeats_a_fault_like_a_stopped_bot() -> None:
    timeout = Answer(AnswerStatus.TIMEOUT, elapsed_ms=50.0, detail="no answer within 50 ms")
    fake = FakeTransport(["MOVE 0 1 1", timeout, "never reached"])
    fake.exchange("1", 1000)
    assert fake.exchange("2", 50) is timeout
    assert fake.exchange("3", 50) is timeout


def test_the_fake_crashes_when_its_script_runs_out() -> None:
    fake = FakeTransport([])
    assert fake.exchange("1", 1000).status is AnswerStatus.CRASHED


def test_the_fake_can_compute_an_answer_from_the_input() -> None:
    fake = FakeTransport([lambda text, ms: Answer(AnswerStatus.OK, f"{text} in {ms}")])
    assert fake.exchange("turn", 50).line == "turn in 50"


def test_the_fake_is_a_context_manager_that_closes() -> None:
    with FakeTransport(["x"]) as fake:
        pass
    assert fake.closed
    with pytest.raises(RuntimeError):
        fake.exchange("after close", 50)


def test_a_line_arriving_in_pieces_is_assembled_and_its_cr_dropped() -> None:
    with plain_bot("pieces.py") as bot:
        answer = bot.exchange("go", 5000)
    assert (answer.status, answer.line) == (AnswerStatus.OK, "MOVE 0 1 2")


def test_input_without_a_newline_gets_one(echo: BotProcess) -> None:
    assert echo.exchange("no newline", 5000).line == "echo no newline"
    assert echo.exchange("one newline\n", 5000).line == "echo one newline"


def test_multi_line_input_is_written_whole_and_answered_line_by_line(echo: BotProcess) -> None:
    assert echo.exchange("a\nb", 5000).line == "echo a"
    assert echo.exchange("c", 5000).line == "echo b"  # the bot is one line behind, as written


def test_a_crash_reports_exit_code_and_stderr_in_none_mode_too() -> None:
    with plain_bot("exit_code.py") as bot:
        answer = bot.exchange("go", 5000)
    assert (answer.status, answer.exit_code) == (AnswerStatus.CRASHED, 3)
    assert "giving up" in answer.stderr


def test_a_flood_is_output_too_long_in_none_mode_too() -> None:
    with plain_bot("flood_no_newline.py", Limits(max_line_bytes=1000)) as bot:
        assert bot.exchange("go", 5000).status is AnswerStatus.OUTPUT_TOO_LONG
