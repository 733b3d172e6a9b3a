"""The engine benchmark workload (docs/benchmark.md), shared by bench/ and tests.

Seeds 1-200, a fixed target-chasing policy for both players, two variants: 'full' renders every
input and parses every output line like an arena would; 'rules' sets commands directly.
"""

from __future__ import annotations

from battles.engine.commands import Move
from battles.engine.game import Game
from battles.engine.grid import Cell
from battles.engine.records import Record, mypyc_attr

_LCG_MULTIPLIER = 6364136223846793005
_LCG_INCREMENT = 1442695040888963407
_MASK64 = 2**64 - 1


@mypyc_attr(native_class=False)  # see records.py
class GameSummary(Record):
    """One row of benchmark-games.tsv."""

    __match_args__ = (
        "seed",
        "grid",
        "pacs_per_player",
        "turns",
        "frames",
        "score0",
        "score1",
        "alive0",
        "alive1",
    )
    seed: int
    grid: str
    pacs_per_player: int
    turns: int
    frames: int
    score0: int
    score1: int
    alive0: int
    alive1: int

    def __init__(
        self,
        seed: int,
        grid: str,
        pacs_per_player: int,
        turns: int,
        frames: int,
        score0: int,
        score1: int,
        alive0: int,
        alive1: int,
    ) -> None:
        self._init(
            seed=seed,
            grid=grid,
            pacs_per_player=pacs_per_player,
            turns=turns,
            frames=frames,
            score0=score0,
            score1=score1,
            alive0=alive0,
            alive1=alive1,
        )


class TargetPolicy:
    """Each pac chases a random floor cell; it draws a new one when it arrived or got stuck."""

    def __init__(self, game: Game, seed: int) -> None:
        self._floor = game.grid.floor_cells()
        self._state = seed & _MASK64
        # Per pac in creation order; -1: no target drawn / no previous turn yet.
        self._targets = [-1] * len(game.pacs)
        self._last_start = [-1] * len(game.pacs)

    def _draw(self) -> Cell:
        self._state = (self._state * _LCG_MULTIPLIER + _LCG_INCREMENT) & _MASK64
        return self._floor[(self._state >> 33) % len(self._floor)]

    def choose(self, game: Game) -> dict[int, list[tuple[int, Cell]]]:
        """(pac number, target) per player, in pac-number order, for this turn."""
        orders: dict[int, list[tuple[int, Cell]]] = {0: [], 1: []}
        targets, last_start = self._targets, self._last_start
        for index, pac in enumerate(game.pacs):  # creation order: P0#0, P1#0, P0#1, ...
            if not pac.alive:
                continue
            cell, target = pac.cell, targets[index]
            if target < 0 or cell == target or cell == last_start[index]:
                target = targets[index] = self._draw()
            last_start[index] = cell
            orders[pac.player].append((pac.number, target))
        for player_orders in orders.values():
            player_orders.sort()
        return orders


def play_benchmark_game(seed: int, variant: str = "full") -> Game:
    game = Game.from_seed(seed)
    policy = TargetPolicy(game, seed)
    if variant == "full":
        _play_full(game, policy)
    else:
        _play_rules(game, policy)
    return game


def _play_full(game: Game, policy: TargetPolicy) -> None:
    """Inputs rendered and output lines parsed, as in an arena."""
    width = game.grid.width
    # The text of every segment is "MOVE <number> <x> <y>"; both parts are formatted once.
    heads = [f"MOVE {number} " for number in range(len(game.pacs))]
    places = [f"{cell % width} {cell // width}" for cell in range(len(game.grid.floor))]
    for player in game.players_to_ask():
        game.input_for(player)  # the initial map block and the first turn's input
    while not game.over:
        orders = policy.choose(game)
        asked = game.players_to_ask()
        if game.turn:
            for player in asked:
                game.input_for(player)
        game.play_turn(
            {
                player: " | ".join(
                    [heads[number] + places[cell] for number, cell in orders[player]]
                )
                for player in asked
            }
        )


def _play_rules(game: Game, policy: TargetPolicy) -> None:
    """Commands set directly: the rules alone."""
    width = game.grid.width
    while not game.over:
        orders = policy.choose(game)
        for player in game.players_to_ask():
            for number, cell in orders[player]:
                game.command_pac(player, Move(number, cell % width, cell // width))
        game.play_commanded_turn()


def summarize(seed: int, game: Game) -> GameSummary:
    frames = game.turn + (1 if game.game_over_frame_played else 0)
    alive = [sum(pac.alive for pac in game.team[player]) for player in (0, 1)]
    return GameSummary(
        seed,
        f"{game.grid.width}x{game.grid.height}",
        len(game.team[0]),
        game.turn,
        frames,
        game.scores[0],
        game.scores[1],
        alive[0],
        alive[1],
    )


def read_expected(text: str) -> dict[int, GameSummary]:
    """Parse benchmark-games.tsv."""
    rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    expected = {}
    for row in rows[1:]:
        seed, grid, *numbers = row
        values = [int(value) for value in numbers]
        expected[int(seed)] = GameSummary(int(seed), grid, *values)
    return expected
