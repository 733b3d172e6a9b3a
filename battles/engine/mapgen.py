"""The referee's map generator: a seed gives exactly CodinGame's map and pacs (docs/rules.md §3)."""

from __future__ import annotations

from battles.engine.grid import Cell, Grid
from battles.engine.records import Record, mypyc_attr
from battles.engine.rng import JavaRandom
from battles.engine.types import FINAL_RULES, PacType, Rules

Point = tuple[int, int]

# Step A: the ordered catalogue; its order matters because it is shuffled in place, cumulatively.
PIECES: tuple[frozenset[Point], ...] = tuple(
    frozenset(cells)
    for cells in (
        ((0, 0), (1, 0), (0, 1), (1, 1)),
        ((0, 0), (0, 1), (1, 1)),
        ((1, 0), (0, 1), (1, 1)),
        ((0, 0), (1, 0), (0, 1)),
        ((0, 0), (1, 0), (1, 1)),
        ((0, 0), (0, 1), (1, 1), (0, 2)),
        ((1, 0), (0, 1), (1, 1), (1, 2)),
        ((0, 0), (1, 0), (2, 0), (1, 1)),
        ((1, 0), (0, 1), (1, 1), (2, 1)),
        ((1, 0), (0, 1), (1, 1), (2, 1), (1, 2)),
        ((0, 0), (0, 1), (1, 1), (2, 1)),
        ((2, 0), (0, 1), (1, 1), (2, 1)),
        ((0, 0), (1, 0), (2, 0), (0, 1)),
        ((0, 0), (1, 0), (2, 0), (2, 1)),
        ((0, 0), (0, 1), (0, 2), (1, 2)),
        ((0, 0), (1, 0), (1, 1), (1, 2)),
        ((1, 0), (1, 1), (0, 2), (1, 2)),
        ((0, 0), (1, 0), (0, 1), (0, 2)),
    )
)
_SIDES: tuple[Point, ...] = ((-1, 0), (1, 0), (0, -1), (0, 1))


@mypyc_attr(native_class=False)  # see records.py
class PacSpawn(Record):
    __match_args__ = ("player", "number", "cell", "type")
    player: int
    number: int
    cell: Cell
    type: PacType

    def __init__(self, player: int, number: int, cell: Cell, type: PacType) -> None:
        self._init(player=player, number=number, cell=cell, type=type)


@mypyc_attr(native_class=False)  # see records.py
class Layout(Record):
    """A generated or hand-drawn starting position."""

    __match_args__ = ("grid", "pacs", "pellets", "super_pellets")
    grid: Grid
    pacs: tuple[PacSpawn, ...]  # creation order: P0#0, P1#0, P0#1, ...
    pellets: frozenset[Cell]
    super_pellets: frozenset[Cell]

    def __init__(
        self,
        grid: Grid,
        pacs: tuple[PacSpawn, ...],
        pellets: frozenset[Cell],
        super_pellets: frozenset[Cell],
    ) -> None:
        self._init(grid=grid, pacs=pacs, pellets=pellets, super_pellets=super_pellets)


def generate(seed: int, rules: Rules = FINAL_RULES) -> Layout:
    """The referee's starting position for a signed 64-bit ``seed``."""
    rnd = JavaRandom(seed)
    width = 28 + rnd.next_int(6)
    height = 10 + rnd.next_int(6)
    if width % 2 == 0:
        width += 1
    inner = _keep_largest_island(_mirror(_half_map(rnd, width, height), width))
    grid = Grid(_add_border(inner))
    pacs_per_player = 1 if rules.level == 1 else 2 + rnd.next_int(4)
    return _place_pacs(rnd, grid, pacs_per_player, rules)


def _half_map(rnd: JavaRandom, width: int, height: int) -> list[list[bool]]:
    """Step B: a half grid (centre column included) of floor flags, indexed [y][x]."""
    half_w = width // 2 + 1
    lattice_w, lattice_h = half_w // 2 + 1, height // 2 + 1
    origin, placed = _place_pieces(rnd, lattice_w, lattice_h)
    floor = [[False] * half_w for _ in range(height)]
    for by in range(1, lattice_h):
        for bx in range(1, lattice_w):
            home = origin.get((bx, by))
            if home is not None:
                cells = placed[home]
                _carve(floor, cells, (bx - home[0], by - home[1]), (2 * bx - 1, 2 * by - 1))
    return floor


def _place_pieces(
    rnd: JavaRandom,
    lattice_w: int,
    lattice_h: int,
) -> tuple[dict[Point, Point], dict[Point, frozenset[Point]]]:
    """Pieces per lattice cell, in the referee's order. Hot: a shuffle and a fit test per cell.

    Lattice points are keyed as ``y * stride + x`` with a stride wider than any piece reaches
    past the lattice, so each piece's cells are precomputed offsets and the fit test is a few
    set lookups that stop at the second fitting piece (the one the referee places).
    """
    stride = lattice_w + 4
    offsets = {piece: tuple(oy * stride + ox for ox, oy in piece) for piece in PIECES}
    catalogue = list(PIECES)
    occupied: set[int] = set()
    origin: dict[Point, Point] = {}
    placed: dict[Point, frozenset[Point]] = {}
    for by in range(lattice_h):
        for bx in range(lattice_w):
            base = by * stride + bx
            if base in occupied:
                continue
            rnd.shuffle(catalogue)
            piece = _second_fitting(catalogue, offsets, occupied, base)
            if piece is None:
                continue
            placed[(bx, by)] = piece
            for ox, oy in piece:
                occupied.add(base + oy * stride + ox)
                origin[(bx + ox, by + oy)] = (bx, by)
    return origin, placed


def _second_fitting(
    catalogue: list[frozenset[Point]],
    offsets: dict[frozenset[Point], tuple[int, ...]],
    occupied: set[int],
    base: int,
) -> frozenset[Point] | None:
    found = 0
    for piece in catalogue:
        for offset in offsets[piece]:
            if base + offset in occupied:
                break
        else:
            found += 1
            if found == 2:
                return piece
    return None


def _carve(floor: list[list[bool]], piece: frozenset[Point], inside: Point, centre: Point) -> None:
    """Open a corridor along every side of this lattice cell that borders another piece."""
    rx, ry = inside
    cx, cy = centre
    for dx, dy in _SIDES:
        if (rx + dx, ry + dy) in piece:
            continue
        if dx:
            cells = ((cx + dx, cy - 1), (cx + dx, cy), (cx + dx, cy + 1))
        else:
            cells = ((cx - 1, cy + dy), (cx, cy + dy), (cx + 1, cy + dy))
        for x, y in cells:
            if 0 <= y < len(floor) and 0 <= x < len(floor[0]):
                floor[y][x] = True


def _mirror(half: list[list[bool]], width: int) -> list[list[bool]]:
    """Step C: the half grid and its mirror image about the centre column.

    ``width`` is odd and the half keeps the centre column, so column ``x`` of the right part is
    column ``width - 1 - x`` of the half: the half reversed without its centre column.
    """
    assert all(2 * len(row) - 1 == width for row in half)
    return [row + row[-2::-1] for row in half]


def _keep_largest_island(floor: list[list[bool]]) -> list[list[bool]]:
    """Step D: keep the largest wrap-connected floor area (first discovered on a tie)."""
    height, width = len(floor), len(floor[0])
    flat = [is_floor for row in floor for is_floor in row]  # cell = y * width + x
    seen = [False] * len(flat)
    best: list[int] = []
    for cell, is_floor in enumerate(flat):
        if is_floor and not seen[cell]:
            island = _flood(flat, width, cell, seen)
            if len(island) > len(best):
                best = island
    keep = [False] * len(flat)
    for cell in best:
        keep[cell] = True
    return [keep[y * width : (y + 1) * width] for y in range(height)]


def _flood(flat: list[bool], width: int, start: int, seen: list[bool]) -> list[int]:
    """The floor cells connected to ``start``: horizontal wrap, no vertical wrap."""
    size = len(flat)
    seen[start] = True
    island, todo = [start], [start]
    while todo:
        cell = todo.pop()
        x = cell % width
        row = cell - x
        # Left and right wrap inside the row; up/down fall off the grid below 0 or past size.
        for near in (row + (x - 1) % width, row + (x + 1) % width, cell - width, cell + width):
            if 0 <= near < size and flat[near] and not seen[near]:
                seen[near] = True
                island.append(near)
                todo.append(near)
    return island


def _add_border(floor: list[list[bool]]) -> list[str]:
    """Step E: a wall border with tunnel ends where an inner edge cell is a dead end sideways."""
    height, width = len(floor), len(floor[0])

    def tunnel(x: int, y: int) -> bool:
        above = y > 0 and floor[y - 1][x]
        below = y < height - 1 and floor[y + 1][x]
        return floor[y][x] and not above and not below

    rows = ["#" * (width + 2)]
    for y in range(height):
        left = " " if tunnel(0, y) else "#"
        right = " " if tunnel(width - 1, y) else "#"
        rows.append(left + "".join(" " if f else "#" for f in floor[y]) + right)
    rows.append("#" * (width + 2))
    return rows


def _place_pacs(rnd: JavaRandom, grid: Grid, per_player: int, rules: Rules) -> Layout:
    """Mirrored pac pairs with a random side each, then super pellets, pellets (docs/rules.md §3.5,
    §3.6)."""
    w, centre = grid.width, grid.width // 2
    candidates = [c for c in grid.floor_cells() if c % w != centre]
    rnd.shuffle(candidates)
    left = [c for c in candidates if c % w < centre]
    pacs: list[PacSpawn] = []
    for number in range(per_player):
        cell = left[number]
        mirror = cell - cell % w + (w - 1 - cell % w)
        side = rnd.next_int(2)
        kind = PacType(number % 3) if rules.abilities else PacType.NEUTRAL
        for player in (0, 1):
            pacs.append(PacSpawn(player, number, cell if player == side else mirror, kind))
    supers = set()
    for cell in left[per_player : per_player + 2]:
        supers.add(cell)
        supers.add(cell - cell % w + (w - 1 - cell % w))
    taken = {pac.cell for pac in pacs} | supers
    pellets = frozenset(c for c in grid.floor_cells() if c not in taken)
    return Layout(grid, tuple(pacs), pellets, frozenset(supers))
