"""The referee's side of the line protocol against real, misbehaving bots
(docs/sandbox.md §7; catalogue §2.3, T and O).

Every fault is a status, never an exception; after a fault the bot is stopped. No assertion
here depends on how fast the machine is: deadlines are generous where a bot must make them and
tiny where it must miss them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from battles.sandbox import AnswerStatus, BotProcess, Limits, SandboxMode

pytestmark = pytest.mark.bwrap

StartBot = Callable[..., BotProcess]
FIRST = 5000  # a first-turn deadline no healthy bot misses, even on a loaded CI machine


def test_a_multi_file_bot_answers_each_line_and_records_its_time(start_bot: StartBot) -> None:
    bot = start_bot("echo.py")
    first = bot.exchange("hello", FIRST)
    second = bot.exchange("world\n", FIRST)
    assert (first.status, first.line) == (AnswerStatus.OK, "echo hello")
    assert (second.status, second.line) == (AnswerStatus.OK, "echo world")
    assert first.elapsed_ms > 0
    assert second.elapsed_ms > 0


def test_the_mode_and_level_of_a_process_are_explicit(start_bot: StartBot) -> None:
    bot = start_bot("echo.py")
    assert bot.level.mode is SandboxMode.BWRAP
    assert str(bot.level).startswith("bwrap+seccomp+rlimits")


def test_a_flood_without_newline_is_output_too_long(start_bot: StartBot) -> None:
    answer = start_bot("flood_no_newline.py").exchange("go", FIRST)
    assert answer.status is AnswerStatus.OUTPUT_TOO_LONG
    assert answer.line is None


def test_a_ten_megabyte_line_is_output_too_long(start_bot: StartBot) -> None:
    answer = start_bot("long_line.py").exchange("go", FIRST)
    assert answer.status is AnswerStatus.OUTPUT_TOO_LONG


def test_a_line_at_the_cap_is_accepted_and_one_byte_more_is_not(start_bot: StartBot) -> None:
    limits = Limits(max_line_bytes=10)
    bot = start_bot("echo.py", limits=limits)
    assert bot.exchange("abcde", FIRST).line == "echo abcde"  # exactly 10 bytes
    assert bot.exchange("abcdef", FIRST).status is AnswerStatus.OUTPUT_TOO_LONG


def test_binary_output_is_not_utf8(start_bot: StartBot) -> None:
    answer = start_bot("binary.py").exchange("go", FIRST)
    assert answer.status is AnswerStatus.NOT_UTF8


def test_nul_bytes_and_escapes_are_passed_through_verbatim_for_the_referee_to_judge(
    start_bot: StartBot,
) -> None:
    answer = start_bot("nul_and_escapes.py").exchange("go", FIRST)
    assert answer.status is AnswerStatus.OK
    assert answer.line == "MOVE 0 1 2\x00\x1b[31mred\x1b[0m"  # the CR before the newline is gone


def test_a_bot_that_closes_stdout_and_keeps_running_times_out(start_bot: StartBot) -> None:
    bot = start_bot("close_stdout.py")
    answer = bot.exchange("go", 300)
    assert answer.status is AnswerStatus.TIMEOUT


def test_a_bot_that_never_reads_its_input_times_out_without_hanging_the_referee(
    start_bot: StartBot,
) -> None:
    bot = start_bot("never_reads.py", limits=Limits(write_timeout_ms=300))
    answer = bot.exchange("x" * (1 << 20), 50)  # 1 MiB: far more than a pipe holds
    assert answer.status is AnswerStatus.TIMEOUT
    assert "input not read" in answer.detail


def test_a_stderr_flood_is_drained_and_capped_per_turn(start_bot: StartBot) -> None:
    limits = Limits(stderr_bytes_per_turn=1000)
    bot = start_bot("stderr_flood.py", limits=limits)
    for _ in range(2):
        answer = bot.exchange("go", FIRST)
        assert (answer.status, answer.line) == (AnswerStatus.OK, "done")
        assert answer.stderr.startswith("e" * 1000)
        assert "more bytes of stderr dropped" in answer.stderr


def test_a_sleeping_bot_times_out_and_is_stopped(start_bot: StartBot) -> None:
    bot = start_bot("sleeper.py")
    assert bot.exchange("one", FIRST).line == "first"
    answer = bot.exchange("two", 50)
    assert answer.status is AnswerStatus.TIMEOUT
    assert answer.elapsed_ms >= 50
    later = bot.exchange("three", FIRST)
    assert later.status is AnswerStatus.TIMEOUT
    assert "already stopped" in later.detail


def test_a_busy_loop_times_out(start_bot: StartBot) -> None:
    answer = start_bot("busy.py").exchange("go", 50)
    assert answer.status is AnswerStatus.TIMEOUT


def test_a_bot_ignoring_sigterm_is_still_killed_by_close(start_bot: StartBot) -> None:
    bot = start_bot("ignore_sigterm.py")
    assert bot.exchange("go", FIRST).line == "ready"
    bot.close()  # the start_bot fixture then checks that no process of it is left


def test_many_lines_at_once_are_answers_for_the_following_turns(start_bot: StartBot) -> None:
    bot = start_bot("many_lines.py")
    lines = [bot.exchange(f"turn {n}", FIRST).line for n in range(3)]
    assert lines == ["a", "b", "c"]
    assert bot.exchange("turn 3", 50).status is AnswerStatus.TIMEOUT


def test_the_first_deadline_counts_from_the_written_input_not_from_the_launch(
    start_bot: StartBot,
) -> None:
    on_time = start_bot("slow_start.py").exchange('{"sleep": 0.2}', FIRST)
    # A sleeping bot uses no CPU: the wall-clock backstop (2 x 300 ms here) ends its turn.
    late = start_bot("slow_start.py", limits=Limits(wall_backstop_factor=2)).exchange(
        '{"sleep": 2}', 300
    )
    assert on_time.status is AnswerStatus.OK
    assert on_time.elapsed_ms >= 200
    assert late.status is AnswerStatus.TIMEOUT


def test_a_bot_that_never_flushes_still_answers(start_bot: StartBot) -> None:
    answer = start_bot("no_flush.py").exchange("ping", FIRST)
    assert answer.line == "got ping"


def test_an_exit_is_a_crash_with_its_exit_code_and_stderr(start_bot: StartBot) -> None:
    answer = start_bot("exit_code.py").exchange("go", FIRST)
    assert answer.status is AnswerStatus.CRASHED
    assert answer.exit_code == 3
    assert answer.signal is None
    assert "giving up" in answer.stderr


def test_the_wall_clock_cap_ends_a_process_at_its_next_exchange(start_bot: StartBot) -> None:
    bot = start_bot("echo.py", limits=Limits(wall_seconds=0.001))
    bot.exchange("wait", FIRST)  # whatever this one gives, the cap has passed by the next
    answer = bot.exchange("late", FIRST)
    assert answer.status is AnswerStatus.TIMEOUT
    assert "wall-clock" in answer.detail


def test_close_is_idempotent_and_exchange_after_close_reports_a_stopped_bot(
    start_bot: StartBot,
) -> None:
    bot = start_bot("echo.py")
    bot.close()
    bot.close()
    assert bot.exchange("x", FIRST).status is not AnswerStatus.OK


def test_none_mode_runs_the_same_protocol_and_says_it_is_unsafe(start_bot: StartBot) -> None:
    bot = start_bot("echo.py", mode=SandboxMode.NONE)
    assert bot.exchange("hi", FIRST).line == "echo hi"
    assert bot.level.mode is SandboxMode.NONE
    assert "UNSAFE" in str(bot.level)
