"""A game of Pac driven by a referee loop: inputs out, output lines in, one turn at a time."""

from __future__ import annotations

from battles.engine.commands import (
    MOVE,
    SPEED,
    SWITCH,
    WAIT,
    Move,
    ParsedOutput,
    Speed,
    Switch,
    parse_output,
    read_line,
)
from battles.engine.grid import Cell, Grid
from battles.engine.mapgen import Layout, generate
from battles.engine.types import (
    FINAL_RULES,
    Fault,
    Outcome,
    OutputPolicy,
    PacType,
    PlayerResult,
    Rules,
    Termination,
)

TYPE_CHECKING = False  # start-up time: see records.py
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Final

# What a pac does this turn (WAIT and "no command" are the same thing); the parser's order kinds.
# Final: the compiled build inlines them (see native.py).
IDLE: Final = WAIT
SPEED_DURATION: Final = 6
ABILITY_COOLDOWN: Final = 10
SUPER_VALUE: Final = 10
_TYPE_NAMES: dict[int, str] = {
    PacType.NEUTRAL: "NEUTRAL",
    PacType.ROCK: "ROCK",
    PacType.PAPER: "PAPER",
    PacType.SCISSORS: "SCISSORS",
}


def beats(attacker: int, victim: int) -> bool:
    """ROCK beats SCISSORS, SCISSORS beats PAPER, PAPER beats ROCK; NEUTRAL never fights."""
    return attacker >= 0 and victim >= 0 and (victim - attacker) % 3 == 2


# BEATS[attacker][victim] for type ids -1..2 (index -1 is NEUTRAL, by Python's negative index).
BEATS = [[beats(attacker, victim) for victim in (0, 1, 2, -1)] for attacker in (0, 1, 2, -1)]


class Pac:
    """A pac's mutable state; ``path``/``progress``: this turn's path (docs/rules.md §6.5)."""

    __slots__ = (
        "ability_type",
        "action",
        "alive",
        "cell",
        "cooldown",
        "cur",
        "goes",
        "number",
        "path",
        "player",
        "prev",
        "progress",
        "shown",
        "shown_key",
        "speed",
        "speed_left",
        "target",
        "type",
    )

    def __init__(self, player: int, number: int, cell: Cell, kind: int) -> None:
        self.player = player
        self.number = number
        self.cell = cell
        self.type = kind
        self.speed = 1
        self.speed_left = 0
        self.cooldown = 0
        self.alive = True
        self.action = IDLE
        self.target = cell
        self.ability_type = kind
        self.path: tuple[Cell, ...] = (cell,)
        self.progress = 0
        # The referee's step counters (docs/rules.md §6.7): kills compare path cells at these
        # indexes.
        self.cur = 0
        self.prev = 0
        self.goes = cell  # the cell it wants while a step is resolved (§6.6)
        # The input entries last rendered for this pac (see Game._make_pac_lines), and the key
        # of the state they show; -1: none yet.
        self.shown_key = -1
        self.shown: tuple[tuple[Cell, str], tuple[Cell, str]] = ((-1, ""), (-1, ""))


class Game:
    """One game between players 0 and 1, final rules unless told otherwise."""

    def __init__(
        self,
        layout: Layout,
        *,
        policy: OutputPolicy = OutputPolicy.ARENA,
        rules: Rules = FINAL_RULES,
    ) -> None:
        self.grid: Grid = layout.grid
        self.policy = policy
        self.rules = rules
        self.pacs = [Pac(s.player, s.number, s.cell, int(s.type)) for s in layout.pacs]
        self.team: tuple[list[Pac], list[Pac]] = (
            sorted((p for p in self.pacs if p.player == 0), key=lambda p: p.number),
            sorted((p for p in self.pacs if p.player == 1), key=lambda p: p.number),
        )
        size = len(self.grid.floor)
        self.pellets = [0] * size  # 1 where a 1-point pellet lies
        for cell in layout.pellets:
            self.pellets[cell] = 1
        self.super_pellets = set(layout.super_pellets)
        self.remaining = len(layout.pellets) + SUPER_VALUE * len(layout.super_pellets)
        self.scores = [0, 0]
        self.active = [True, True]
        self.turn = 0
        self.over = False
        self.outcome: Outcome | None = None
        self.bonus = 0  # remaining value given by the game-over frame, if any
        self.game_over_frame_played = False
        self._faults: list[tuple[str, str, int] | None] = [None, None]
        width = self.grid.width
        self._xy = [f"{cell % width} {cell // width}" for cell in range(size)]
        # The input line of the 1-point pellet on each cell, "" once eaten (or never there).
        self._pellet_text = [
            f"{xy} 1" if here else "" for xy, here in zip(self._xy, self.pellets, strict=True)
        ]
        # The same pellets as a bit mask (bit = cell), to skip pellet-free views at once.
        self._pellet_mask = sum(1 << cell for cell in layout.pellets)
        # The rule switches as plain attributes: Rules is an interpreted record whose switches
        # are properties, dear to call every turn from compiled code.
        self._fog = rules.fog
        self._abilities = rules.abilities
        self._dead_listed = rules.dead_in_input
        self._body_block = rules.body_block
        self._turn_limit = rules.turn_limit
        self._super_lines: list[str] | None = None  # rebuilt when a super pellet is eaten
        # Each pac's line starts with its number and 1 for its owner, 0 for the other player.
        self._pac_prefixes = [(f"{pac.number} 1 ", f"{pac.number} 0 ") for pac in self.pacs]
        # This turn's candidate pac lines per player (see _make_pac_lines), built on first use.
        self._pac_candidates: tuple[list[tuple[Cell, str]], list[tuple[Cell, str]]] | None = None
        # Per player, pac number -> alive, as the parser reads it; None until needed again.
        self._alive_by_number: list[dict[int, bool] | None] = [None, None]
        self._header = "".join(
            [f"{self.grid.width} {self.grid.height}\n"] + [row + "\n" for row in self.grid.rows]
        )

    @classmethod
    def from_seed(
        cls, seed: int, *, policy: OutputPolicy = OutputPolicy.ARENA, rules: Rules = FINAL_RULES
    ) -> Game:
        if not -(2**63) <= seed < 2**63:
            raise ValueError("a seed is a signed 64-bit integer")
        return cls(generate(seed, rules), policy=policy, rules=rules)

    # ----------------------------------------------------------------- the referee loop

    def players_to_ask(self) -> tuple[int, ...]:
        if self.over:
            return ()
        if self.active[0] and self.active[1]:
            return (0, 1)
        return tuple(player for player in (0, 1) if self.active[player])

    def input_for(self, player: int) -> str:
        """The exact text to write to ``player``'s bot now (with the map on the first turn)."""
        text = self.turn_input_for(player)
        return self._header + text if self.turn == 0 else text

    def turn_input_for(self, player: int) -> str:
        """This turn's input (docs/rules.md §5.2) without the initial map block."""
        if self.over or player not in (0, 1) or not self.active[player]:
            raise ValueError(f"player {player} is not expected to play now")
        return self._render(player)

    def play_turn(self, answers: Mapping[int, str | Fault]) -> None:
        """One normal turn, its speed sub-step and, if the game ends, its game-over frame."""
        self._play(answers)

    def _play(self, answers: Mapping[int, str | Fault | _Preset]) -> None:
        asked = self.players_to_ask()
        if not asked:
            raise ValueError("the game is over")
        missing = [player for player in asked if player not in answers]
        if missing:
            raise ValueError(f"no answer given for player(s) {missing}")
        number = self.turn + 1
        self._pac_candidates = None  # the state rendered in inputs changes from here on
        for player in asked:
            self._read_answer(player, answers[player], number)
        speeding = self._plan()
        self._step(0, number)
        self.turn = number
        ended = self._end_condition()
        last = number >= self._turn_limit
        if (
            not ended
            and not last
            and speeding
            and any(len(p.path) == 3 for p in self.pacs if p.alive)
        ):
            self._speed_substep(number)
            ended = self._end_condition()
        if ended or last:
            self._finish(game_over_frame=ended and not last)
        else:
            self._start_turn()

    def command_pac(self, player: int, command: Move | Speed | Switch) -> None:
        """Give a command directly, bypassing the text parser (benchmark 'rules' variant)."""
        pac = self.team[player][command.pac]
        if isinstance(command, Move):
            self._give(pac, MOVE, command.x, command.y)
        elif isinstance(command, Speed):
            self._give(pac, SPEED, 0, 0)
        else:
            self._give(pac, SWITCH, int(command.type), 0)

    def play_commanded_turn(self) -> None:
        """Play a turn with the commands already given through ``command_pac``."""
        self._play({player: _PRESET for player in self.players_to_ask()})

    # ----------------------------------------------------------------- reading answers

    def _read_answer(self, player: int, answer: str | Fault | _Preset, number: int) -> None:
        if isinstance(answer, _Preset):
            return
        if isinstance(answer, Fault):
            self._deactivate(player, answer.kind.value, answer.reason or answer.kind.value, number)
            return
        team = self.team[player]
        pacs = self._alive_by_number[player]
        if pacs is None:  # rebuilt only after a death
            pacs = self._alive_by_number[player] = {pac.number: pac.alive for pac in team}
        grid = self.grid
        orders, error = read_line(answer, pacs, grid.width, grid.height, self.policy)
        for kind, pac, x, y, _ in orders:
            if kind != WAIT:
                self._give(team[pac], kind, x, y)
        if error is not None:
            self._deactivate(player, "invalid", str(error), number)

    def parse(self, player: int, line: str) -> ParsedOutput:
        pacs = {pac.number: pac.alive for pac in self.team[player]}
        return parse_output(
            line, pacs=pacs, width=self.grid.width, height=self.grid.height, policy=self.policy
        )

    def _give(self, pac: Pac, kind: int, x: int, y: int) -> None:
        """Apply an accepted command (an ``Order`` of the parser; for SWITCH, ``x`` is the type)."""
        pac.action = kind
        if kind == MOVE:
            pac.target = y * self.grid.width + x
        elif kind == SWITCH:
            pac.ability_type = x

    def _deactivate(self, player: int, status: str, reason: str, number: int) -> None:
        if self.active[player]:
            self.active[player] = False
            self._faults[player] = (status, reason, number)

    # ----------------------------------------------------------------- turn resolution

    def _start_turn(self) -> None:
        """Timers tick for alive pacs; commands and progress are cleared (docs/rules.md §6.2)."""
        for pac in self.pacs:
            if pac.alive:
                if pac.speed_left > 0:
                    pac.speed_left -= 1
                if pac.cooldown > 0:
                    pac.cooldown -= 1
            pac.action = IDLE
            pac.progress = 0
            pac.prev = pac.cur
            pac.cur = 0

    def _plan(self) -> bool:
        """Abilities (docs/rules.md §6.3), then each alive pac's intended path (§6.5).

        One pass: a pac's path depends only on its own speed, so applying every pac's ability
        before any path is planned (the referee's order) gives the same paths. Returns whether
        some pac planned two steps (a speed sub-step may follow).
        """
        grid, abilities = self.grid, self._abilities
        two_steps = False
        for pac in self.pacs:
            if not pac.alive:
                continue
            action = pac.action
            if action >= SPEED or pac.speed == 2:
                self._apply_ability(pac, abilities)
            if action == MOVE and pac.target != pac.cell:
                path = pac.path = grid.intended_path(pac.cell, pac.target, pac.speed)
                if len(path) == 3:
                    two_steps = True
            else:
                pac.path = (pac.cell,)
        return two_steps

    @staticmethod
    def _apply_ability(pac: Pac, abilities: bool) -> None:
        """SPEED and SWITCH (if the cooldown allows), then an expired boost ends."""
        if pac.action in (SPEED, SWITCH) and pac.cooldown == 0 and abilities:
            if pac.action == SPEED:
                pac.speed, pac.speed_left, pac.cooldown = 2, SPEED_DURATION, ABILITY_COOLDOWN
            elif pac.ability_type != pac.type:  # switching to its own type is a no-op
                pac.type, pac.cooldown = pac.ability_type, ABILITY_COOLDOWN
        if pac.speed == 2 and pac.speed_left == 0:
            pac.speed = 1

    def _speed_substep(self, number: int) -> None:
        """docs/rules.md §6.9: only speeding MOVE pacs go on; everyone else is a fixed obstacle."""
        for pac in self.pacs:
            if pac.alive and (pac.speed != 2 or pac.action != MOVE):
                pac.path = (pac.cell,)
                pac.progress = 0
        self._step(1, number)

    def _step(self, sub: int, number: int) -> None:
        alive = [pac for pac in self.pacs if pac.alive]
        movers = [
            pac
            for pac in alive
            if pac.action == MOVE and pac.speed > sub and pac.progress < len(pac.path) - 1
        ]
        moved = self._move(movers, alive) if movers else []
        self._kill(alive, number)
        if moved:
            self._eat(moved)

    def _move(self, movers: list[Pac], alive: list[Pac]) -> list[Pac]:
        """Blocking rounds (never undone), then the others advance (docs/rules.md §6.6)."""
        for pac in alive:
            pac.goes = pac.cell
        for pac in movers:
            pac.goes = pac.path[pac.progress + 1]
        free = movers
        if self._body_block and _may_block(movers, alive):
            while True:
                stuck = [pac for pac in free if _is_blocked(pac, alive)]
                if not stuck:
                    break
                for pac in stuck:  # applied after the round: the round saw the old blocks
                    pac.goes = pac.cell
                free = [pac for pac in free if pac.goes != pac.cell]
        for pac in free:
            pac.progress += 1
            pac.cell = pac.path[pac.progress]
            pac.prev = pac.cur
            pac.cur += 1
        return free

    def _kill(self, alive: list[Pac], number: int) -> None:
        """Kills read path cells at the step counters, not real moves (docs/rules.md §6.7)."""
        starts: list[Cell] = []
        ends: list[Cell] = []
        for pac in alive:
            path = pac.path
            last = len(path) - 1
            starts.append(path[pac.prev if pac.prev < last else last])
            ends.append(path[pac.cur if pac.cur < last else last])
        if not _may_meet(starts, ends):
            return
        dead = []
        count = len(alive)
        for v in range(count):
            victim = alive[v]
            v_player, v_type, v_from, v_to = victim.player, victim.type, starts[v], ends[v]
            for k in range(count):
                killer = alive[k]
                if (
                    killer.player != v_player
                    and BEATS[killer.type][v_type]
                    and (ends[k] == v_to or (ends[k] == v_from and v_to == starts[k]))
                ):
                    dead.append(victim)
                    break
        for pac in dead:
            pac.alive = False
        if dead:
            self._alive_by_number = [None, None]
        for player in {pac.player for pac in dead}:
            if not any(pac.alive for pac in self.team[player]):
                self._deactivate(player, "dead", "all pacs were eaten", number)

    def _eat(self, moved: list[Pac]) -> None:
        """docs/rules.md §6.8: every player with an alive pac on a pellet's cell scores it."""
        for cell in {pac.cell for pac in moved if pac.alive}:
            value = 1 if self.pellets[cell] else SUPER_VALUE if cell in self.super_pellets else 0
            if not value:
                continue
            if value == 1:
                self.pellets[cell] = 0
                self._pellet_text[cell] = ""
                self._pellet_mask ^= 1 << cell
            else:
                self.super_pellets.discard(cell)
                self._super_lines = None
            self.remaining -= value
            for player in {pac.player for pac in self.pacs if pac.alive and pac.cell == cell}:
                self.scores[player] += value

    # ----------------------------------------------------------------- end of the game

    def _end_condition(self) -> bool:
        """docs/rules.md §8.1: at most one active player, or nobody can still improve its rank."""
        if not (self.active[0] and self.active[1]):
            return True
        left = self.remaining
        return left == 0 or abs(self.scores[0] - self.scores[1]) > left

    def _finish(self, *, game_over_frame: bool) -> None:
        both_out = not self.active[0] and not self.active[1]
        if game_over_frame and not both_out:
            self._start_turn()  # the game-over frame's timers tick; nothing moves
            self.game_over_frame_played = True
            survivors = [player for player in (0, 1) if self.active[player]]
            if len(survivors) == 1:
                self.bonus = self.remaining
                self.scores[survivors[0]] += self.remaining
        self.over = True
        self.outcome = self._outcome()

    def _outcome(self) -> Outcome:
        active = sum(self.active)
        if active == 0:
            termination = Termination.ALL_INACTIVE
        elif active == 1:
            termination = Termination.ONE_PLAYER_LEFT
        elif self.turn >= self.rules.turn_limit and not self._end_condition():
            termination = Termination.TURN_LIMIT
        else:
            termination = Termination.NO_IMPROVEMENT
        a, b = self.scores
        winner = None if a == b else 0 if a > b else 1
        results = tuple(self._result(player) for player in (0, 1))
        return Outcome((a, b), winner, termination, self.turn, (results[0], results[1]))

    def _result(self, player: int) -> PlayerResult:
        fault = self._faults[player]
        if fault is None:
            return PlayerResult("ok", "", None)
        return PlayerResult(*fault)

    # ----------------------------------------------------------------- input text

    def _render(self, player: int) -> str:
        """docs/rules.md §5.2 and §7: scores, listed pacs, then pellets in discovery order."""
        if self._fog:
            own = [pac.cell for pac in self.team[player] if pac.alive]
            seen, visible = self._sighted_pellets(own)
        else:
            text = self._pellet_text
            seen = [text[cell] for cell, here in enumerate(self.pellets) if here]
            visible = -1  # every bit set: the whole board is visible
        pac_lines = self._pac_lines(player, visible)
        if self._super_lines is None:
            self._super_lines = [self._xy[cell] + " 10" for cell in sorted(self.super_pellets)]
        supers = self._super_lines
        return "\n".join(
            [
                f"{self.scores[player]} {self.scores[1 - player]}",
                str(len(pac_lines)),
                *pac_lines,
                str(len(seen) + len(supers)),
                *seen,
                *supers,
                "",
            ]
        )

    def _sighted_pellets(self, own: list[Cell]) -> tuple[list[str], int]:
        """The pellet lines seen from ``own`` cells in discovery order, and the visible cells.

        Discovery order is the pacs' own cells, then each pac's rays (left, right, up, down,
        near to far); a cell seen twice is listed at its first sighting. Only cells holding a
        pellet are collected (a pellet line is unique to its cell, so deduplicating lines is
        deduplicating cells), and visibility is a bit mask for the enemy pac test.
        """
        text, grid, pellets = self._pellet_text, self.grid, self._pellet_mask
        lines = [line for cell in own if (line := text[cell])]
        visible = 0
        for cell in own:
            rays, mask = grid.view(cell)  # a method call, not a bound method: see native.py
            visible |= mask
            if mask & pellets:  # walk the rays only when they hold a pellet
                lines += [line for near in rays if (line := text[near])]
        if len(own) > 1:  # one pac's rays never repeat a cell
            lines = list(dict.fromkeys(lines))
        return lines, visible

    def _pac_lines(self, player: int, visible: int) -> list[str]:
        """Own alive pacs, visible enemies (all without fog), dead pacs in the final rules.

        ``visible`` is a bit mask of visible cells. The candidate lines are built once per turn
        for both players (see ``_make_pac_lines``); only the enemy sight test is per player.
        """
        candidates = self._pac_candidates
        if candidates is None:
            candidates = self._pac_candidates = self._make_pac_lines()
        return [line for cell, line in candidates[player] if cell < 0 or visible >> cell & 1]

    def _make_pac_lines(self) -> tuple[list[tuple[Cell, str]], list[tuple[Cell, str]]]:
        """Per player, (cell, line) in creation order: cell -1 for a line always listed, the
        pac's cell for an alive enemy (listed when that cell is visible).

        A pac's two entries depend only on its state, so each pac keeps the last ones it
        showed: a pac that did not move or tick formats no text.
        """
        dead_listed, size = self._dead_listed, len(self._xy)
        first: list[tuple[Cell, str]] = []  # player 0's candidates
        second: list[tuple[Cell, str]] = []  # player 1's
        for index, pac in enumerate(self.pacs):
            if pac.alive:
                kind = pac.type + 1  # 0..3
            elif dead_listed:
                kind = 4
            else:
                continue
            # One int per state: speed_left <= 6 < 16, kind < 5, then the cell; the cooldown is
            # outermost, so no bound on it is assumed.
            key = ((pac.cooldown * 16 + pac.speed_left) * 5 + kind) * size + pac.cell
            if key != pac.shown_key:
                pac.shown_key = key
                pac.shown = self._pac_entries(index, pac)
            own, enemy = pac.shown
            if pac.player == 0:
                first.append(own)
                second.append(enemy)
            else:
                second.append(own)
                first.append(enemy)
        return first, second

    def _pac_entries(self, index: int, pac: Pac) -> tuple[tuple[Cell, str], tuple[Cell, str]]:
        """The owner's entry and the opponent's entry for a pac in its present state."""
        own, enemy = self._pac_prefixes[index]
        kind = _TYPE_NAMES[pac.type] if pac.alive else "DEAD"
        tail = f"{self._xy[pac.cell]} {kind} {pac.speed_left} {pac.cooldown}"
        return (-1, own + tail), (pac.cell if pac.alive else -1, enemy + tail)

    # ----------------------------------------------------------------- snapshots

    def snapshot(self) -> dict[str, object]:
        """The state after the last turn (its speed sub-step included), JSON-ready, for replays.

        ``pacs`` rows, in creation order: player, number, x, y, listed type (``"DEAD"`` once
        dead), type, speed, speedTurnsLeft, abilityCooldown, cells advanced during the last turn.
        Counters are as the next input shows them (the start-of-turn tick has run). Pellets and
        super pellets are ``[x, y]`` lists in row-major order.
        """
        width = self.grid.width
        ticked = not self.over or self.game_over_frame_played
        return {
            "turn": self.turn,
            "over": self.over,
            "scores": list(self.scores),
            "active": list(self.active),
            "pacs": [
                [
                    pac.player,
                    pac.number,
                    pac.cell % width,
                    pac.cell // width,
                    _TYPE_NAMES[pac.type] if pac.alive else "DEAD",
                    _TYPE_NAMES[pac.type],
                    pac.speed,
                    pac.speed_left,
                    pac.cooldown,
                    pac.prev if ticked else pac.cur,
                ]
                for pac in self.pacs
            ],
            "pellets": [
                [cell % width, cell // width] for cell, here in enumerate(self.pellets) if here
            ],
            "super_pellets": [[cell % width, cell // width] for cell in sorted(self.super_pellets)],
        }

    def board_rows(self) -> list[str]:
        """The board as a scenario drawing (docs/rules.md §10): walls, pellets and alive pacs."""
        letters = {
            PacType.ROCK: "r",
            PacType.PAPER: "p",
            PacType.SCISSORS: "s",
            PacType.NEUTRAL: "n",
        }
        cells = ["#" if c == "#" else "_" for row in self.grid.rows for c in row]
        for cell, here in enumerate(self.pellets):
            if here:
                cells[cell] = "."
        for cell in self.super_pellets:
            cells[cell] = "o"
        for pac in self.pacs:
            if pac.alive:
                letter = letters[PacType(pac.type)]
                cells[pac.cell] = letter.upper() if pac.player else letter
        width = self.grid.width
        return ["".join(cells[y * width : (y + 1) * width]) for y in range(self.grid.height)]


class _Preset:
    """Marker answer: the commands were set directly with ``Game.command_pac``."""


_PRESET = _Preset()


def _is_blocked(pac: Pac, alive: list[Pac]) -> bool:
    """Whether ``pac`` is blocked by another alive pac (docs/rules.md §6.6, rules 1-3)."""
    goes, here, player = pac.goes, pac.cell, pac.player
    wins, loses_to = BEATS[pac.type], [row[pac.type] for row in BEATS]
    for other in alive:
        if other is pac:
            continue
        rival = other.player != player
        if rival and wins[other.type]:
            continue  # never blocked by something it can eat
        if goes == other.goes:
            if rival and loses_to[other.type]:
                continue  # the weaker pac may walk into the stronger one (and die there)
            return True
        if goes == other.cell and other.goes == here:
            return True
    return False


def _may_block(movers: list[Pac], alive: list[Pac]) -> bool:
    """Whether a blocking round could stop anyone: ``blocks`` needs two pacs heading for the
    same cell or two movers swapping cells. Most steps have neither, and the rounds are dear."""
    if len({pac.goes for pac in alive}) < len(alive):
        return True
    return _any_swap([pac.cell for pac in movers], [pac.goes for pac in movers])


def _may_meet(starts: list[Cell], ends: list[Cell]) -> bool:
    """Whether two of these moves (``starts[i]`` to ``ends[i]``) end on one cell or swap cells:
    a cheap filter before the pairwise kill test, which needs one of these (most steps have
    neither)."""
    return len(set(ends)) < len(ends) or _any_swap(starts, ends)


def _any_swap(starts: list[Cell], ends: list[Cell]) -> bool:
    """Whether two of these moves swap cells. Index loops over ints: no tuple is built (see
    native.py)."""
    count = len(ends)
    for i in range(count):
        start, end = starts[i], ends[i]
        if start != end:
            for j in range(i + 1, count):
                if starts[j] == end and ends[j] == start:
                    return True
    return False


def replay_game(
    seed: int,
    answers: Sequence[Mapping[int, str | Fault]],
    *,
    policy: OutputPolicy = OutputPolicy.ARENA,
    rules: Rules = FINAL_RULES,
) -> Game:
    """Re-simulate a recorded game: the same seed and answers give the identical game."""
    game = Game.from_seed(seed, policy=policy, rules=rules)
    for turn_answers in answers:
        if game.over:
            break
        game.play_turn(turn_answers)
    return game
