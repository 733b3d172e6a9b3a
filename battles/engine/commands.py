"""Reading a bot's output line (spec 5.3, with GameArena's amendments of 5.4).

The referee processes the ``|``-separated segments left to right and stops at the first invalid
one; commands accepted before it stay in force. ``parse_output`` therefore returns both the
accepted commands and the error, if any. Each kind of invalid output has its own error type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from battles.engine.types import OutputPolicy, PacType


@dataclass(frozen=True)
class Move:
    pac: int
    x: int
    y: int
    message: str = ""


@dataclass(frozen=True)
class Speed:
    pac: int
    message: str = ""


@dataclass(frozen=True)
class Switch:
    pac: int
    type: PacType
    message: str = ""


@dataclass(frozen=True)
class Wait:
    """Undocumented but accepted by the referee; it does not count as the pac's command."""

    pac: int
    message: str = ""


Command = Move | Speed | Switch | Wait


class InvalidOutputError(ValueError):
    """A bot's output line breaks the grammar; the player is deactivated (spec 8.3)."""


class UnknownCommandError(InvalidOutputError):
    """The segment does not start with a keyword, whitespace and a pac number."""


class UnknownPacError(InvalidOutputError):
    """The pac number does not name a pac of this player."""


class PacCommandedTwiceError(InvalidOutputError):
    """A MOVE, SPEED or SWITCH for a pac that already has one in this line."""


class MalformedCommandError(InvalidOutputError):
    """The segment does not match the form of its command (including every ``MSG``)."""


class TargetOutsideGridError(InvalidOutputError):
    """MOVE coordinates outside the grid (or beyond a 32-bit int)."""


class EmptyOutputError(InvalidOutputError):
    """GameArena policy (5.4): a line without any command is a fault."""


@dataclass(frozen=True)
class ParsedOutput:
    commands: tuple[Command, ...]  # accepted before the first invalid segment, if any
    error: InvalidOutputError | None


# Java's regex classes, not Python's Unicode ones: \s, \d and '.' as the referee sees them.
_WS = r"[ \t\n\x0b\f\r]+"
_TAIL = rf"(?:{_WS}([^\n\r\x85\u2028\u2029]+))?"
_FLAGS = re.IGNORECASE | re.ASCII
_PREFIX = re.compile(rf"(WAIT|MOVE|SWITCH|SPEED|MSG){_WS}([0-9]+)", _FLAGS)
_MOVE = re.compile(rf"MOVE{_WS}([0-9]+){_WS}(-?[0-9]+){_WS}(-?[0-9]+){_TAIL}", _FLAGS)
_SPEED = re.compile(rf"SPEED{_WS}[0-9]+{_TAIL}", _FLAGS)
_SWITCH = re.compile(rf"SWITCH{_WS}[0-9]+{_WS}(ROCK|PAPER|SCISSORS){_TAIL}", _FLAGS)
_WAIT = re.compile(rf"WAIT{_WS}[0-9]+{_TAIL}", _FLAGS)
_SHORT_MOVE = re.compile(
    rf"MOVE{_WS}(-?[0-9]+){_WS}(-?[0-9]+)(?:{_WS}([^0-9\-\n\r\x85\u2028\u2029]"
    rf"[^\n\r\x85\u2028\u2029]*))?",
    _FLAGS,
)
_JAVA_TRIM = "".join(chr(code) for code in range(33))  # String.trim() strips every char <= ' '
_INT_MAX = 2**31 - 1


def parse_output(
    line: str,
    *,
    pacs: Mapping[int, bool],
    width: int,
    height: int,
    policy: OutputPolicy = OutputPolicy.ARENA,
) -> ParsedOutput:
    """Parse one output line for a player whose pacs are ``pacs`` (number -> alive)."""
    segments = [segment.strip(_JAVA_TRIM) for segment in line.split("|")]
    if policy is OutputPolicy.ARENA and not any(segments):
        return ParsedOutput((), EmptyOutputError("empty output: no command given"))
    accepted: list[Command] = []
    commanded: set[int] = set()
    for segment in segments:
        if not segment:
            continue
        try:
            command = _parse_segment(segment, pacs, commanded, width, height, policy)
        except InvalidOutputError as error:
            return ParsedOutput(tuple(accepted), error)
        if command is not None:
            accepted.append(command)
            if not isinstance(command, Wait):
                commanded.add(command.pac)
    return ParsedOutput(tuple(accepted), None)


def _parse_segment(segment: str, pacs: Mapping[int, bool], commanded: set[int],
                   width: int, height: int, policy: OutputPolicy) -> Command | None:
    """One command, None for an ignored segment (a dead pac), or an InvalidOutputError."""
    move = _MOVE.fullmatch(segment)  # the common case, matched once
    if move is not None:
        keyword, digits = "MOVE", move.group(1)
    else:
        if policy is OutputPolicy.ARENA and (short := _SHORT_MOVE.fullmatch(segment)):
            return _short_move(segment, short, pacs, commanded, width, height)
        prefix = _PREFIX.match(segment)
        if prefix is None:
            raise UnknownCommandError(f"expected a command and a pac number in {segment!r}")
        keyword, digits = prefix.group(1).upper(), prefix.group(2)
    number = int(digits)
    if number > _INT_MAX or number not in pacs:
        raise UnknownPacError(f"pac {digits} doesn't exist in {segment!r}")
    if not pacs[number]:
        return None  # commands for dead pacs are ignored, whatever follows
    if number in commanded:
        raise PacCommandedTwiceError(f"pac {number} commanded twice in one line ({segment!r})")
    if move is not None:
        x, y = _coordinates(move.group(2), move.group(3), width, height, segment)
        return Move(number, x, y, move.group(4) or "")
    return _match_form(segment, keyword, number)


def _match_form(segment: str, keyword: str, number: int) -> Command:
    """Step 5 for everything but a well-formed MOVE."""
    found = None
    if keyword == "SPEED" and (found := _SPEED.fullmatch(segment)) is not None:
        return Speed(number, found.group(1) or "")
    if keyword == "SWITCH" and (found := _SWITCH.fullmatch(segment)) is not None:
        return Switch(number, PacType[found.group(1).upper()], found.group(2) or "")
    if keyword == "WAIT" and (found := _WAIT.fullmatch(segment)) is not None:
        return Wait(number, found.group(1) or "")
    raise MalformedCommandError(f"malformed {keyword} command {segment!r}")


def _short_move(
    segment: str,
    found: re.Match[str],
    pacs: Mapping[int, bool],
    commanded: set[int],
    width: int,
    height: int,
) -> Move:
    """GameArena's ``MOVE x y``: the player's lowest-numbered alive pac."""
    alive = sorted(number for number, is_alive in pacs.items() if is_alive)
    if not alive:
        raise UnknownPacError(f"no alive pac for {segment!r}")
    if alive[0] in commanded:
        raise PacCommandedTwiceError(f"pac {alive[0]} commanded twice in one line ({segment!r})")
    x, y = _coordinates(found.group(1), found.group(2), width, height, segment)
    return Move(alive[0], x, y, found.group(3) or "")


def _coordinates(
    x_text: str, y_text: str, width: int, height: int, segment: str
) -> tuple[int, int]:
    x, y = int(x_text), int(y_text)
    if not (0 <= x < width and 0 <= y < height):
        raise TargetOutsideGridError(f"target {x_text} {y_text} is outside the grid ({segment!r})")
    return x, y
