"""The output grammar (docs/rules.md §5.3) and GameArena's output policy (§5.4)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from battles.engine import (
    EmptyOutputError,
    InvalidOutputError,
    MalformedCommandError,
    Move,
    OutputPolicy,
    PacCommandedTwiceError,
    PacType,
    Speed,
    Switch,
    TargetOutsideGridError,
    UnknownCommandError,
    UnknownPacError,
    Wait,
    parse_output,
)
from battles.engine.commands import (
    _JAVA_TRIM,
    WAIT,
    Order,
    ParsedOutput,
    _as_command,
    _parse_segment,
    _plain_line,
)

# Pacs 0 and 2 alive, pac 1 dead; a 7 x 5 grid.
PACS = {0: True, 1: False, 2: True}


def strict(line: str) -> ParsedOutput:
    return parse_output(line, pacs=PACS, width=7, height=5, policy=OutputPolicy.STRICT)


def arena(line: str) -> ParsedOutput:
    return parse_output(line, pacs=PACS, width=7, height=5, policy=OutputPolicy.ARENA)


def test_every_command_form_is_read_with_its_message() -> None:
    parsed = strict("MOVE 0 3 4 go | SPEED 2 zoom")
    assert parsed == ParsedOutput((Move(0, 3, 4, "go"), Speed(2, "zoom")), None)
    parsed = strict("SWITCH 0 paper hi there|WAIT 2")
    assert parsed == ParsedOutput((Switch(0, PacType.PAPER, "hi there"), Wait(2)), None)


def test_keywords_are_case_insensitive_and_empty_segments_ignored() -> None:
    assert strict(" | move 0 2 1 msg text |").commands == (Move(0, 2, 1, "msg text"),)
    assert strict("").commands == ()
    assert strict("  |  | ").error is None


def test_wait_does_not_count_as_the_pacs_command() -> None:
    assert strict("WAIT 0 | MOVE 0 5 4").error is None


def test_a_missing_separator_turns_the_rest_into_a_message() -> None:
    assert strict("MOVE 0 1 1 MOVE 2 2 2").commands == (Move(0, 1, 1, "MOVE 2 2 2"),)


def test_commands_for_dead_pacs_are_ignored_whatever_follows() -> None:
    parsed = strict("MOVE 1 9 9 | MSG 1 | MOVE 1 x | MOVE 0 1 1")
    assert parsed == ParsedOutput((Move(0, 1, 1),), None)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("STAY 0", UnknownCommandError),
        ("MOVE", UnknownCommandError),
        ("MOVE x 1 1", UnknownCommandError),
        ("MOVE -0 1 1", UnknownCommandError),
        ("MOVE0 1 1", UnknownCommandError),
        ("MOVE 3 1 1", UnknownPacError),
        ("MOVE 99999999999 1 1", UnknownPacError),
        ("MOVE 0 1 1 | MOVE 0 2 2", PacCommandedTwiceError),
        ("SWITCH 0 ROCK | SPEED 0", PacCommandedTwiceError),
        ("SPEED 0 | WAIT 0", PacCommandedTwiceError),
        ("MSG 0 hello", MalformedCommandError),
        ("MOVE 0 3", MalformedCommandError),
        ("MOVE 0 1 1x", MalformedCommandError),
        ("SWITCH 0 LIZARD", MalformedCommandError),
        ("SWITCH 0", MalformedCommandError),
        ("MOVE 0 7 1", TargetOutsideGridError),
        ("MOVE 0 -1 1", TargetOutsideGridError),
        ("MOVE 0 1 5", TargetOutsideGridError),
        ("MOVE 0 1 99999999999", TargetOutsideGridError),
    ],
)
def test_invalid_segments_raise_their_own_error_type(line: str, error: type) -> None:
    parsed = strict(line)
    assert type(parsed.error) is error
    assert isinstance(parsed.error, InvalidOutputError)


def test_commands_before_the_invalid_segment_are_kept_and_the_rest_is_not_read() -> None:
    parsed = strict("MOVE 0 3 1 | SPEED 3 | MOVE 2 1 1")
    assert parsed.commands == (Move(0, 3, 1),)
    assert isinstance(parsed.error, UnknownPacError)


def test_java_whitespace_and_digits_only() -> None:
    assert strict("MOVE\t0\t1\t1").commands == (Move(0, 1, 1),)
    assert isinstance(strict("MOVE 0 \u0661 1").error, MalformedCommandError)  # Arabic digit
    assert isinstance(strict("MOVE\u00a00 1 1").error, UnknownCommandError)  # no-break space


def test_arena_reads_the_short_move_form_for_the_lowest_alive_pac() -> None:
    assert arena("MOVE 3 4").commands == (Move(0, 3, 4),)
    assert arena("MOVE 3 4 going home").commands == (Move(0, 3, 4, "going home"),)
    only_pac_2 = parse_output("MOVE 1 2", pacs={0: False, 2: True}, width=7, height=5)
    assert only_pac_2.commands == (Move(2, 1, 2),)


def test_arena_short_form_follows_the_usual_rules() -> None:
    assert isinstance(arena("MOVE 0 1 1 | MOVE 3 4").error, PacCommandedTwiceError)
    assert isinstance(arena("MOVE 9 4").error, TargetOutsideGridError)
    assert isinstance(arena("MOVE 2 4 -5x").error, MalformedCommandError)


def test_strict_grammar_rejects_the_short_form() -> None:
    assert isinstance(strict("MOVE 2 4").error, MalformedCommandError)
    assert isinstance(strict("MOVE 3 4").error, UnknownPacError)


def test_valid_referee_lines_mean_the_same_under_both_policies() -> None:
    for line in ("MOVE 0 1 2", "MOVE 2 3 4 hi", "SPEED 0 | SWITCH 2 ROCK", "WAIT 0"):
        assert arena(line) == strict(line)


@pytest.mark.parametrize("line", ["", "   ", " | |", "\t|"])
def test_arena_treats_output_without_any_command_as_a_fault(line: str) -> None:
    assert isinstance(arena(line).error, EmptyOutputError)
    assert strict(line).error is None


def test_stay_is_not_a_command_under_either_policy() -> None:
    assert isinstance(arena("STAY 0").error, UnknownCommandError)


def _full_parser_only(line: str, policy: OutputPolicy) -> ParsedOutput:
    """``parse_output`` without its fast paths: every segment through the full grammar."""
    segments = [segment.strip(_JAVA_TRIM) for segment in line.split("|")]
    if policy is OutputPolicy.ARENA and not any(segments):
        return ParsedOutput((), EmptyOutputError("empty output: no command given"))
    accepted: list[Order] = []
    commanded: set[int] = set()
    for segment in segments:
        if not segment:
            continue
        try:
            order = _parse_segment(segment, PACS, commanded, 7, 5, policy)
        except InvalidOutputError as error:
            return ParsedOutput(tuple(map(_as_command, accepted)), error)
        if order is not None:
            accepted.append(order)
            if order[0] != WAIT:
                commanded.add(order[1])
    return ParsedOutput(tuple(map(_as_command, accepted)), None)


_WORDS = ["MOVE", "move", "SPEED", "0", "1", "2", "3", "6", "7", "04", "-1", "99999999999", "x"]
_WORDS += ["\u0663", "|", "", "MOVE 0 1 1", "MOVE 2 6 4", "MOVE 1 3 3", "hi"]
_SEPARATORS = [" ", " ", " ", " | ", "|", "  ", "\t", "\n", "\u00a0"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS)), max_size=12))
def test_fast_paths_read_every_line_as_the_full_grammar_does(
    words: list[tuple[str, str]],
) -> None:
    line = "".join(word + separator for word, separator in words).rstrip(" ")
    for policy in OutputPolicy:
        fast = parse_output(line, pacs=PACS, width=7, height=5, policy=policy)
        full = _full_parser_only(line, policy)
        assert fast.commands == full.commands
        assert type(fast.error) is type(full.error)
        assert str(fast.error) == str(full.error)


def test_plain_lines_take_the_fast_path_and_match_the_full_grammar() -> None:
    for line in ["MOVE 0 1 1", "MOVE 0 1 1 | MOVE 2 6 4"]:
        assert _plain_line(line, PACS, 7, 5) is not None
        assert strict(line) == _full_parser_only(line, OutputPolicy.STRICT)
    # Valid, but numbers not written plainly: the full parser reads them, with the same result.
    for line in ["MOVE 2 0 0 | MOVE 0 06 4", "MOVE 00 1 1"]:
        assert _plain_line(line, PACS, 7, 5) is None
        assert strict(line) == _full_parser_only(line, OutputPolicy.STRICT)
        assert strict(line).error is None
    for line in [
        "MOVE 0 1 1 | MOVE 0 2 2",
        "MOVE 1 1 1",
        "MOVE 0 7 1",
        "MOVE 0 1 1 ",
        "MOVE  0 1 1",
    ]:
        assert _plain_line(line, PACS, 7, 5) is None
