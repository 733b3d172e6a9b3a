"""Hand-drawn test games (docs/rules.md §10): a loader, a drawing-to-layout reader and a checker.

A file may hold several scenarios, each starting with ``scenario <name>``. Outside ``map`` and
``input`` blocks, blank lines and lines starting with ``#`` are ignored. Extensions to the format
of docs/rules.md §10 (all optional): ``policy=arena`` on the rules line (scenarios default to the
strict referee grammar, so that an omitted line means "no commands" as in the referee); the answers
``<timeout>``, ``<crashed>`` and ``<invalid>`` (runner faults); and the expectations
``inputline <player> <turn> <text>`` (the input contains that line), ``status <player> <status>``,
``winner <player|draw>``, ``termination <name>``, ``turns <n>``, ``bonus <n>`` and
``path <x>,<y> <x>,<y> = <x>,<y> ...`` (the full path the search returns), ``active <player>``.

Reading expectations: ``expect <n>`` is checked after turn n (its speed sub-step and, if the game
ended, its game-over frame included); ``expect 0`` before the first turn. ``speed``, ``left`` and
``cooldown`` of a pac are as the next input shows them, i.e. after the next turn's start-of-turn
tick (docs/rules.md §6.2): right after ``SPEED`` the pac shows ``left 5 cooldown 9``.
``input <p> <t>`` compares the turn-t input without the initial map block; inside ``expect n`` it
may name any turn up to n + 1 (the next input).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from battles.engine.game import Game
from battles.engine.grid import Cell, Grid
from battles.engine.mapgen import Layout, PacSpawn
from battles.engine.types import FINAL_RULES, Fault, FaultKind, OutputPolicy, PacType, Rules

_PAC_LETTERS = {
    "r": (0, PacType.ROCK),
    "p": (0, PacType.PAPER),
    "s": (0, PacType.SCISSORS),
    "n": (0, PacType.NEUTRAL),
    "R": (1, PacType.ROCK),
    "P": (1, PacType.PAPER),
    "S": (1, PacType.SCISSORS),
    "N": (1, PacType.NEUTRAL),
}
_FAULTS = {
    "<timeout>": FaultKind.TIMEOUT,
    "<crashed>": FaultKind.CRASHED,
    "<invalid>": FaultKind.INVALID,
}


class ScenarioSyntaxError(ValueError):
    """A scenario file that does not follow the format."""


@dataclass(frozen=True)
class Expectation:
    words: tuple[str, ...]  # the expectation line split on whitespace
    text: tuple[str, ...] = ()  # the lines of an ``input`` block
    line: str = ""  # the original line, for messages


@dataclass
class Scenario:
    name: str
    rules: Rules = field(default_factory=Rules)
    policy: OutputPolicy = OutputPolicy.STRICT
    rows: list[str] = field(default_factory=list)
    turns: dict[int, dict[int, str | Fault]] = field(default_factory=dict)
    checks: dict[int, list[Expectation]] = field(default_factory=dict)

    def layout(self) -> Layout:
        return layout_from_drawing(self.rows, self.rules)

    def last_turn(self) -> int:
        return max([*self.turns, *self.checks, 0])


def layout_from_drawing(rows: list[str], rules: Rules = FINAL_RULES) -> Layout:
    """Read a drawn map: used as drawn, pacs numbered per player in row-major order."""
    grid = Grid(rows)
    counts = [0, 0]
    spawns: list[PacSpawn] = []
    pellets: set[Cell] = set()
    supers: set[Cell] = set()
    for y, row in enumerate(rows):
        for x, char in enumerate(row):
            cell = grid.cell(x, y)
            if char in _PAC_LETTERS:
                player, kind = _PAC_LETTERS[char]
                if not rules.abilities:
                    kind = PacType.NEUTRAL
                spawns.append(PacSpawn(player, counts[player], cell, kind))
                counts[player] += 1
            elif char == ".":
                pellets.add(cell)
            elif char == "o":
                supers.add(cell)
            elif char not in "#_ ":
                raise ScenarioSyntaxError(f"unknown map character {char!r}")
    spawns.sort(key=lambda spawn: (spawn.number, spawn.player))
    return Layout(grid, tuple(spawns), frozenset(pellets), frozenset(supers))


def parse_scenarios(text: str) -> list[Scenario]:
    """Every scenario of a file, in order."""
    scenarios: list[Scenario] = []
    lines = iter(text.splitlines())
    turn: int | None = None  # inside a "turn n" block
    expect: int | None = None  # inside an "expect n" block
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "scenario":
            scenarios.append(Scenario(rest.strip()))
            turn = expect = None
            continue
        if not scenarios:
            raise ScenarioSyntaxError("a scenario file must start with 'scenario <name>'")
        current = scenarios[-1]
        if word == "rules":
            current.rules, current.policy = _parse_rules(rest.split())
        elif word == "map":
            current.rows = _read_block(lines, "end")
        elif word == "turn":
            turn, expect = int(rest), None
        elif word == "expect":
            expect, turn = int(rest), None
            current.checks.setdefault(expect, [])
        elif turn is not None and word in ("0:", "1:"):
            answer = raw.strip("\r\n").partition(":")[2].removeprefix(" ")
            current.turns.setdefault(turn, {})[int(word[0])] = _answer(answer)
        elif expect is not None:
            block = tuple(_read_block(lines, "endinput")) if word == "input" else ()
            current.checks[expect].append(Expectation(tuple(line.split()), block, line))
        else:
            raise ScenarioSyntaxError(f"unexpected line {raw!r}")
    return scenarios


def _parse_rules(words: list[str]) -> tuple[Rules, OutputPolicy]:
    if not words:
        raise ScenarioSyntaxError("'rules' needs 'final' or 'level1'..'level4'")
    level = 4 if words[0] == "final" else int(words[0].removeprefix("level"))
    turn_limit, body_block, policy = 200, True, OutputPolicy.STRICT
    for option in words[1:]:
        key, _, value = option.partition("=")
        if key == "turn_limit":
            turn_limit = int(value)
        elif key == "body_block":
            body_block = value != "off"
        elif key == "policy":
            policy = OutputPolicy(value)
        else:
            raise ScenarioSyntaxError(f"unknown rules option {option!r}")
    return Rules(level=level, turn_limit=turn_limit, body_block=body_block), policy


def _read_block(lines: Iterator[str], terminator: str) -> list[str]:
    block: list[str] = []
    for raw in lines:
        if raw.strip() == terminator:
            return block
        block.append(raw.strip("\r\n").strip() if terminator == "endinput" else raw.rstrip("\r\n"))
    raise ScenarioSyntaxError(f"missing {terminator!r}")


def _answer(text: str) -> str | Fault:
    kind = _FAULTS.get(text.strip())
    return Fault(kind, kind.value) if kind is not None else text


# ----------------------------------------------------------------------------- running


def run_scenario(scenario: Scenario) -> list[str]:
    """Play the scenario and return every failed expectation (empty: it passes)."""
    game = Game(scenario.layout(), policy=scenario.policy, rules=scenario.rules)
    inputs: dict[tuple[int, int], str] = {}
    failures: list[str] = []
    for number in range(scenario.last_turn() + 1):
        if number and not game.over:
            asked = game.players_to_ask()
            for player in asked:
                inputs[(player, number)] = game.turn_input_for(player)
            given = scenario.turns.get(number, {})
            game.play_turn({player: given.get(player, "") for player in asked})
        for expectation in scenario.checks.get(number, []):
            problem = _check(game, expectation, inputs)
            if problem:
                failures.append(
                    f"{scenario.name}: after turn {number}: {expectation.line}: {problem}"
                )
    return failures


def _check(game: Game, exp: Expectation, inputs: dict[tuple[int, int], str]) -> str | None:
    word, args = exp.words[0], exp.words[1:]
    checker = _CHECKERS.get(word)
    if checker is None:
        return f"unknown expectation {word!r}"
    return checker(game, args, exp, inputs)


def _xy(text: str) -> tuple[int, int]:
    x, y = text.split(",")
    return int(x), int(y)


def _compare(label: str, actual: object, expected: object) -> str | None:
    return None if actual == expected else f"{label} is {actual!r}, expected {expected!r}"


def _check_pac(game: Game, args: tuple[str, ...], *_: object) -> str | None:
    player, number = (int(part) for part in args[0].split("."))
    pac = game.team[player][number]
    width = game.grid.width
    problems = [_compare("position", (pac.cell % width, pac.cell // width), _xy(args[2]))]
    rest = list(args[3:])
    if rest and rest[0] not in ("speed", "left", "cooldown"):
        kind = PacType(pac.type).name if pac.alive else "DEAD"
        problems.append(_compare("type", kind, rest.pop(0)))
    fields = {"speed": pac.speed, "left": pac.speed_left, "cooldown": pac.cooldown}
    for name, value in zip(rest[::2], rest[1::2], strict=True):
        problems.append(_compare(name, fields[name], int(value)))
    return "; ".join(p for p in problems if p) or None


def _check_pellet(game: Game, args: tuple[str, ...], exp: Expectation, *_: object) -> str | None:
    cell = game.grid.cell(*_xy(args[0]))
    present = bool(game.pellets[cell]) or cell in game.super_pellets
    return _compare("pellet present", present, exp.words[0] == "pellet")


def _check_input(
    game: Game, args: tuple[str, ...], exp: Expectation, inputs: dict[tuple[int, int], str]
) -> str | None:
    player, turn = int(args[0]), int(args[1])
    text = inputs.get((player, turn))
    if text is None and turn == game.turn + 1 and player in game.players_to_ask():
        text = game.turn_input_for(player)
    if text is None:
        return f"player {player} got no input on turn {turn}"
    lines = text.splitlines()
    if exp.words[0] == "inputline":
        wanted = " ".join(args[2:])
        return None if wanted in lines else f"{wanted!r} not in input {lines!r}"
    return _compare("input", lines, list(exp.text))


def _check_path(game: Game, args: tuple[str, ...], *_: object) -> str | None:
    grid = game.grid
    path = grid.path(grid.cell(*_xy(args[0])), grid.cell(*_xy(args[1])))
    return _compare("path", [grid.xy(cell) for cell in path], [_xy(a) for a in args[3:]])


def _check_scores(game: Game, args: tuple[str, ...], exp: Expectation, *_: object) -> str | None:
    if exp.words[0] == "final":
        if game.outcome is None:
            return "the game is not over"
        return _compare("final scores", game.outcome.scores, (int(args[0]), int(args[1])))
    return _compare("scores", tuple(game.scores), (int(args[0]), int(args[1])))


def _check_state(game: Game, args: tuple[str, ...], exp: Expectation, *_: object) -> str | None:
    word = exp.words[0]
    if word in ("over", "continues"):
        return _compare("over", game.over, word == "over")
    if word in ("eliminated", "active"):
        return _compare(f"player {args[0]} active", game.active[int(args[0])], word == "active")
    if word == "bonus":
        return _compare("bonus", game.bonus, int(args[0]))
    if game.outcome is None:
        return "the game is not over"
    outcome = game.outcome
    if word == "status":
        return _compare("status", outcome.players[int(args[0])].status, args[1])
    if word == "winner":
        return _compare("winner", outcome.winner, None if args[0] == "draw" else int(args[0]))
    if word == "termination":
        return _compare("termination", outcome.termination.name.lower(), args[0])
    return _compare("turns", outcome.turns, int(args[0]))


_Checker = Callable[[Game, tuple[str, ...], Expectation, dict[tuple[int, int], str]], str | None]
_CHECKERS: dict[str, _Checker] = {
    "pac": _check_pac,
    "pellet": _check_pellet,
    "nopellet": _check_pellet,
    "input": _check_input,
    "inputline": _check_input,
    "path": _check_path,
    "score": _check_scores,
    "final": _check_scores,
    "over": _check_state,
    "continues": _check_state,
    "eliminated": _check_state,
    "active": _check_state,
    "bonus": _check_state,
    "status": _check_state,
    "winner": _check_state,
    "termination": _check_state,
    "turns": _check_state,
}
