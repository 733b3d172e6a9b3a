"""A player's client logic, on the state text alone (no Django: bench/live.py uses it too)."""

from __future__ import annotations


def greedy_command(text: str) -> str:
    """A valid bot's logic on the input text alone: each of my pacs goes to the nearest pellet
    it knows of (docs/rules.md §5.2), or stays where it is."""
    lines = text.split("\n")
    at = 0
    first = lines[0].split()
    if len(first) == 2 and len(lines) > 1 and set(lines[1]) <= {"#", " "} and lines[1]:
        at = 1 + int(first[1])
    count = int(lines[at + 1])
    mine = [line.split() for line in lines[at + 2 : at + 2 + count]]
    mine = [pac for pac in mine if pac[1] == "1" and pac[4] != "DEAD"]
    pellets_at = at + 2 + count
    pellets = [tuple(map(int, line.split()[:2])) for line in
               lines[pellets_at + 1 : pellets_at + 1 + int(lines[pellets_at])]]  # fmt: skip
    orders = []
    for pac in mine:
        x, y = int(pac[2]), int(pac[3])
        target = min(pellets, key=lambda p: abs(p[0] - x) + abs(p[1] - y), default=(x, y))
        orders.append(f"MOVE {pac[0]} {target[0]} {target[1]}")
    return " | ".join(orders) or "MOVE 0 0 0"
