"""Reading a bot's output line (docs/rules.md §5.3, with GameArena's amendments of §5.4).

The referee processes the ``|``-separated segments left to right and stops at the first invalid
one; commands accepted before it stay in force. ``parse_output`` therefore returns both the
accepted commands and the error, if any. Each kind of invalid output has its own error type.
"""

from __future__ import annotations

from battles.engine.records import Record, mypyc_attr
from battles.engine.types import OutputPolicy, PacType

TYPE_CHECKING = False  # see records.py
if TYPE_CHECKING:
    import re
    from collections.abc import Mapping
    from typing import Final


@mypyc_attr(native_class=False)  # see records.py
class Move(Record):
    __match_args__ = ("pac", "x", "y", "message")
    pac: int
    x: int
    y: int
    message: str

    def __init__(self, pac: int, x: int, y: int, message: str = "") -> None:
        self._init(pac=pac, x=x, y=y, message=message)


@mypyc_attr(native_class=False)  # see records.py
class Speed(Record):
    __match_args__ = ("pac", "message")
    pac: int
    message: str

    def __init__(self, pac: int, message: str = "") -> None:
        self._init(pac=pac, message=message)


@mypyc_attr(native_class=False)  # see records.py
class Switch(Record):
    __match_args__ = ("pac", "type", "message")
    pac: int
    type: PacType
    message: str

    def __init__(self, pac: int, type: PacType, message: str = "") -> None:
        self._init(pac=pac, type=type, message=message)


@mypyc_attr(native_class=False)  # see records.py
class Wait(Record):
    """Undocumented but accepted by the referee; it does not count as the pac's command."""

    __match_args__ = ("pac", "message")
    pac: int
    message: str

    def __init__(self, pac: int, message: str = "") -> None:
        self._init(pac=pac, message=message)


Command = Move | Speed | Switch | Wait


class InvalidOutputError(ValueError):
    """A bot's output line breaks the grammar; the player is deactivated (docs/rules.md §8.3)."""


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
    """GameArena policy (docs/rules.md §5.4): a line without any command is a fault."""


@mypyc_attr(native_class=False)  # see records.py
class ParsedOutput(Record):
    __match_args__ = ("commands", "error")
    commands: tuple[Command, ...]  # accepted before the first invalid segment, if any
    error: InvalidOutputError | None

    def __init__(self, commands: tuple[Command, ...], error: InvalidOutputError | None) -> None:
        self._init(commands=commands, error=error)


# Java's regex classes, not Python's Unicode ones: \s, \d and '.' as the referee sees them.
_WS = r"[ \t\n\x0b\f\r]+"
_TAIL = rf"(?:{_WS}([^\n\r\x85\u2028\u2029]+))?"
_PREFIX = rf"(WAIT|MOVE|SWITCH|SPEED|MSG){_WS}([0-9]+)"
_MOVE = rf"MOVE{_WS}([0-9]+){_WS}(-?[0-9]+){_WS}(-?[0-9]+){_TAIL}"
_SPEED = rf"SPEED{_WS}[0-9]+{_TAIL}"
_SWITCH = rf"SWITCH{_WS}[0-9]+{_WS}(ROCK|PAPER|SCISSORS){_TAIL}"
_WAIT = rf"WAIT{_WS}[0-9]+{_TAIL}"
_SHORT_MOVE = (
    rf"MOVE{_WS}(-?[0-9]+){_WS}(-?[0-9]+)(?:{_WS}([^0-9\-\n\r\x85\u2028\u2029]"
    rf"[^\n\r\x85\u2028\u2029]*))?"
)


class _Grammar:
    """The segment patterns, compiled on first use.

    Plain ``MOVE id x y`` segments never need them (see ``_plain_move``), and importing ``re``
    and compiling six patterns is a noticeable part of a fresh process's start-up.
    """

    def __init__(self) -> None:
        import re

        flags = re.IGNORECASE | re.ASCII
        self.prefix = re.compile(_PREFIX, flags)
        self.move = re.compile(_MOVE, flags)
        self.speed = re.compile(_SPEED, flags)
        self.switch = re.compile(_SWITCH, flags)
        self.wait = re.compile(_WAIT, flags)
        self.short_move = re.compile(_SHORT_MOVE, flags)


_compiled: list[_Grammar] = []


def _grammar() -> _Grammar:
    if not _compiled:
        _compiled.append(_Grammar())
    return _compiled[0]


_JAVA_TRIM = "".join(chr(code) for code in range(33))  # String.trim() strips every char <= ' '
_INT_MAX: Final = 2**31 - 1


# Internal form of an accepted command, cheap to build in the hot path (a frozen dataclass costs
# several microseconds per instance): (kind, pac, x, y, message). For SWITCH, x is the type id.
Order = tuple[int, int, int, int, str]
# Final: the compiled build inlines them (see native.py).
WAIT: Final = 0
MOVE: Final = 1
SPEED: Final = 2
SWITCH: Final = 3


def parse_output(
    line: str,
    *,
    pacs: Mapping[int, bool],
    width: int,
    height: int,
    policy: OutputPolicy = OutputPolicy.ARENA,
) -> ParsedOutput:
    """Parse one output line for a player whose pacs are ``pacs`` (number -> alive)."""
    orders, error = read_line(line, pacs, width, height, policy)
    return ParsedOutput(tuple(map(_as_command, orders)), error)


def read_line(
    line: str,
    pacs: Mapping[int, bool],
    width: int,
    height: int,
    policy: OutputPolicy,
) -> tuple[list[Order], InvalidOutputError | None]:
    """``parse_output`` for the engine: the accepted commands as ``Order`` tuples."""
    plain = _plain_line(line, pacs, width, height)
    if plain is not None:
        return plain, None
    segments = [segment.strip(_JAVA_TRIM) for segment in line.split("|")]
    if policy is OutputPolicy.ARENA and not any(segments):
        return [], EmptyOutputError("empty output: no command given")
    accepted: list[Order] = []
    commanded: set[int] = set()
    for segment in segments:
        if not segment:
            continue
        order = _plain_move(segment, pacs, commanded, width, height)
        if order is None:
            try:
                order = _parse_segment(segment, pacs, commanded, width, height, policy)
            except InvalidOutputError as error:
                return accepted, error
            if order is None:
                continue
        accepted.append(order)
        if order[0] != WAIT:
            commanded.add(order[1])
    return accepted, None


def _plain_line(line: str, pacs: Mapping[int, bool], width: int, height: int) -> list[Order] | None:
    """Fast path for a whole line of valid ``MOVE id x y`` joined by `` | ``, else None.

    This is how nearly every bot line looks; reading it word by word skips trimming and
    matching each segment (about 4 instead of 14 microseconds a line on the benchmark machine).
    It is accepted only when every segment would be accepted by the full parser with the same
    result (see ``_plain_order``; single spaces, distinct pacs); anything else goes through
    the full parser.
    """
    words = line.split(" ")
    size = len(words)
    if size % 5 != 4:  # 4 words per segment and a "|" between two
        return None
    orders: list[Order] = []
    commanded: set[int] = set()
    for i in range(0, size, 5):
        if i and words[i - 1] != "|":
            return None
        order = _plain_order(words, i, pacs, commanded, width, height)
        if order is None:
            return None
        commanded.add(order[1])
        orders.append(order)
    return orders


def _plain_move(
    segment: str, pacs: Mapping[int, bool], commanded: set[int], width: int, height: int
) -> Order | None:
    """Fast path for one valid ``MOVE id x y`` segment with single spaces, else None.

    Nearly every segment a bot writes has this form; anything else, errors included, goes
    through the full parser.
    """
    words = segment.split(" ")
    if len(words) != 4:
        return None
    return _plain_order(words, 0, pacs, commanded, width, height)


def _plain_order(
    words: list[str],
    at: int,
    pacs: Mapping[int, bool],
    commanded: set[int],
    width: int,
    height: int,
) -> Order | None:
    """``words[at:at + 4]`` read as a plain ``MOVE id x y``, or None.

    Accepted only when the full parser would accept it with the same result: numbers written
    plainly (looked up in a table of the decimals below 1000 rather than parsed: "07", "+7" or
    1000 take the full parser), an alive pac not yet commanded, a target inside the grid.
    """
    if words[at] != "MOVE":
        return None
    pac = _PLAIN_NUMBERS.get(words[at + 1], -1)
    x = _PLAIN_NUMBERS.get(words[at + 2], -1)
    y = _PLAIN_NUMBERS.get(words[at + 3], -1)
    if pac < 0 or x < 0 or y < 0 or x >= width or y >= height:
        return None
    if pacs.get(pac) is not True or pac in commanded:
        return None
    return (MOVE, pac, x, y, "")


# "0".."999" -> value: the numbers of plain MOVE segments, read without parsing.
_PLAIN_NUMBERS: Final = {str(number): number for number in range(1000)}


def _as_command(order: Order) -> Command:
    kind, pac, x, y, message = order
    if kind == MOVE:
        return Move(pac, x, y, message)
    if kind == SPEED:
        return Speed(pac, message)
    if kind == SWITCH:
        return Switch(pac, PacType(x), message)
    return Wait(pac, message)


def _parse_segment(
    segment: str,
    pacs: Mapping[int, bool],
    commanded: set[int],
    width: int,
    height: int,
    policy: OutputPolicy,
) -> Order | None:
    """One command, None for an ignored segment (a dead pac), or an InvalidOutputError."""
    grammar = _grammar()
    move = grammar.move.fullmatch(segment)  # the common case, matched once
    if move is not None:
        keyword, digits = "MOVE", move.group(1)
    else:
        if policy is OutputPolicy.ARENA and (short := grammar.short_move.fullmatch(segment)):
            return _short_move(segment, short, pacs, commanded, width, height)
        prefix = grammar.prefix.match(segment)
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
        return (MOVE, number, x, y, move.group(4) or "")
    return _match_form(segment, keyword, number)


def _match_form(segment: str, keyword: str, number: int) -> Order:
    """Step 5 for everything but a well-formed MOVE."""
    found, grammar = None, _grammar()
    if keyword == "SPEED" and (found := grammar.speed.fullmatch(segment)) is not None:
        return (SPEED, number, 0, 0, found.group(1) or "")
    if keyword == "SWITCH" and (found := grammar.switch.fullmatch(segment)) is not None:
        kind = PacType[found.group(1).upper()]
        return (SWITCH, number, int(kind), 0, found.group(2) or "")
    if keyword == "WAIT" and (found := grammar.wait.fullmatch(segment)) is not None:
        return (WAIT, number, 0, 0, found.group(1) or "")
    raise MalformedCommandError(f"malformed {keyword} command {segment!r}")


def _short_move(
    segment: str,
    found: re.Match[str],
    pacs: Mapping[int, bool],
    commanded: set[int],
    width: int,
    height: int,
) -> Order:
    """GameArena's ``MOVE x y``: the player's lowest-numbered alive pac."""
    alive = sorted(number for number, is_alive in pacs.items() if is_alive)
    if not alive:
        raise UnknownPacError(f"no alive pac for {segment!r}")
    if alive[0] in commanded:
        raise PacCommandedTwiceError(f"pac {alive[0]} commanded twice in one line ({segment!r})")
    x, y = _coordinates(found.group(1), found.group(2), width, height, segment)
    return (MOVE, alive[0], x, y, found.group(3) or "")


def _coordinates(
    x_text: str, y_text: str, width: int, height: int, segment: str
) -> tuple[int, int]:
    x, y = int(x_text), int(y_text)
    if not (0 <= x < width and 0 <= y < height):
        raise TargetOutsideGridError(f"target {x_text} {y_text} is outside the grid ({segment!r})")
    return x, y
