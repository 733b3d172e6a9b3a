"""A starter bot for GameArena (CodinGame Spring Challenge 2020, "Pac").

It reads the whole protocol every turn and sends one order per living pac: walk to the
nearest pellet it can see, by real path length on the map (which wraps left to right).
Two pacs never chase the same pellet; a pac that sees none heads for a random floor cell
until it gets there. Standard library only: upload this file's text as your bot's code.

The protocol, as the referee sends it:
  once:        "<width> <height>", then <height> rows of "#" (wall) and " " (floor)
  every turn:  "<my score> <opponent score>"
               "<visible pac count>", then per pac
                   "<id> <mine 1|0> <x> <y> <type> <speed turns left> <ability cooldown>"
                   (type is ROCK, PAPER, SCISSORS, or DEAD for a pac that died)
               "<visible pellet count>", then per pellet "<x> <y> <value>" (10: super)
  answer:      one line, orders separated by "|", e.g. "MOVE 0 3 5|MOVE 1 9 2"
"""

import random
import sys
from collections import deque

Cell = tuple[int, int]
Neighbours = dict[Cell, list[Cell]]

# Count a super pellet as this many cells nearer than it is (0: treat every pellet alike).
SUPER_PELLET_BONUS = 0


def read_map() -> tuple[list[Cell], Neighbours]:
    width, height = (int(v) for v in input().split())
    rows = [input().ljust(width, "#") for _ in range(height)]
    floor = {(x, y) for y in range(height) for x in range(width) if rows[y][x] == " "}
    neighbours: Neighbours = {}
    for x, y in floor:
        around = (((x - 1) % width, y), ((x + 1) % width, y), (x, y - 1), (x, y + 1))
        neighbours[(x, y)] = [cell for cell in around if cell in floor]
    return sorted(floor), neighbours


def distances_from(start: Cell, neighbours: Neighbours) -> dict[Cell, int]:
    """Path length from `start` to every reachable floor cell (breadth-first search)."""
    dist = {start: 0}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        for nxt in neighbours.get(cell, ()):
            if nxt not in dist:
                dist[nxt] = dist[cell] + 1
                queue.append(nxt)
    return dist


def read_turn() -> tuple[dict[int, Cell], dict[Cell, int]]:
    input()  # the scores: this bot does not use them
    my_pacs: dict[int, Cell] = {}
    for _ in range(int(input())):
        pac_id, mine, x, y, pac_type = input().split()[:5]
        if mine == "1" and pac_type != "DEAD":
            my_pacs[int(pac_id)] = (int(x), int(y))
    pellets: dict[Cell, int] = {}
    for _ in range(int(input())):
        px, py, value = (int(v) for v in input().split()[:3])
        pellets[(px, py)] = value
    return my_pacs, pellets


def choose_targets(
    my_pacs: dict[int, Cell],
    pellets: dict[Cell, int],
    neighbours: Neighbours,
    floor: list[Cell],
    wander: dict[int, Cell],
    rng: random.Random,
) -> dict[int, Cell]:
    """One target cell per pac: nearest pellets first, each pellet taken by one pac only."""
    options: list[tuple[int, int, Cell]] = []
    for pac_id, cell in my_pacs.items():
        dist = distances_from(cell, neighbours)
        for pellet, value in pellets.items():
            steps = dist.get(pellet)
            if steps:  # None: unreachable; 0: the pac is standing on it
                bonus = SUPER_PELLET_BONUS if value >= 10 else 0
                options.append((steps - bonus, pac_id, pellet))
    targets: dict[int, Cell] = {}
    taken: set[Cell] = set()
    for _, pac_id, pellet in sorted(options):
        if pac_id not in targets and pellet not in taken:
            targets[pac_id] = pellet
            taken.add(pellet)
    for pac_id, cell in my_pacs.items():
        if pac_id not in targets:
            if wander.get(pac_id) in (None, cell):
                wander[pac_id] = rng.choice(floor)
            targets[pac_id] = wander[pac_id]
    return targets


def main() -> None:
    rng = random.Random(2020)  # noqa: S311 (moves, not secrets)
    floor, neighbours = read_map()
    wander: dict[int, Cell] = {}
    while True:
        try:
            my_pacs, pellets = read_turn()
        except EOFError:
            return  # the game is over
        targets = choose_targets(my_pacs, pellets, neighbours, floor, wander, rng)
        orders = [f"MOVE {pac_id} {x} {y}" for pac_id, (x, y) in sorted(targets.items())]
        print("|".join(orders) or "MOVE 0 0 0", flush=True)


if __name__ == "__main__":
    main()
    sys.exit(0)
