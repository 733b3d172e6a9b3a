"""The engine benchmark workload (shared/spec/engine-benchmark.md), shared by bench/ and tests.

Seeds 1-200, a fixed target-chasing policy for both players, two variants: 'full' renders every
input and parses every output line like an arena would; 'rules' sets commands directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from battles.engine.commands import Move
from battles.engine.game import Game
from battles.engine.grid import Cell

_LCG_MULTIPLIER = 6364136223846793005
_LCG_INCREMENT = 1442695040888963407
_MASK64 = 2**64 - 1


@dataclass(frozen=True)
class GameSummary:
    """One row of benchmark-games.tsv."""

    seed: int
    grid: str
    pacs_per_player: int
    turns: int
    frames: int
    score0: int
    score1: int
    alive0: int
    alive1: int


class TargetPolicy:
    """Each pac chases a random floor cell; it draws a new one when it arrived or got stuck."""

    def __init__(self, game: Game, seed: int) -> None:
        self._floor = game.grid.floor_cells()
        self._state = seed & _MASK64
        self._targets: dict[int, Cell] = {}
        self._last_start: dict[int, Cell] = {}

    def _draw(self) -> Cell:
        self._state = (self._state * _LCG_MULTIPLIER + _LCG_INCREMENT) & _MASK64
        return self._floor[(self._state >> 33) % len(self._floor)]

    def choose(self, game: Game) -> dict[int, list[tuple[int, Cell]]]:
        """(pac number, target) per player, in pac-number order, for this turn."""
        orders: dict[int, list[tuple[int, Cell]]] = {0: [], 1: []}
        for index, pac in enumerate(game.pacs):  # creation order: P0#0, P1#0, P0#1, ...
            if not pac.alive:
                continue
            target = self._targets.get(index)
            if target is None or pac.cell == target or pac.cell == self._last_start.get(index):
                target = self._targets[index] = self._draw()
            self._last_start[index] = pac.cell
            orders[pac.player].append((pac.number, target))
        for player_orders in orders.values():
            player_orders.sort()
        return orders


def play_benchmark_game(seed: int, variant: str = "full") -> Game:
    game = Game.from_seed(seed)
    policy = TargetPolicy(game, seed)
    width = game.grid.width
    if variant == "full":
        for player in game.players_to_ask():
            game.input_for(player)  # the initial map block and the first turn's input
    while not game.over:
        orders = policy.choose(game)
        if variant == "full":
            if game.turn:
                for player in game.players_to_ask():
                    game.input_for(player)
            game.play_turn(
                {
                    player: " | ".join(
                        f"MOVE {number} {cell % width} {cell // width}"
                        for number, cell in orders[player]
                    )
                    for player in game.players_to_ask()
                }
            )
        else:
            for player in game.players_to_ask():
                for number, cell in orders[player]:
                    game.command_pac(player, Move(number, cell % width, cell // width))
            game.play_commanded_turn()
    return game


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
