"""The random numbers and maps of docs/rules.md §3.2-§3.6, and the reference maps of §12."""

from __future__ import annotations

import hashlib

import pytest

from battles.engine import Game, JavaRandom, PacType, generate

SEED_42_ROWS = """\
#################################
###_#___#_#_#___#___#_#_#___#_###
###_###_#_#_###_#_###_#_#_###_###
###_#_____#_#_______#_#_____#_###
###_#_###_#_#_#_#_#_#_#_###_#_###
______###_____#_#_#_____###______
###_#_###_#####_#_#####_###_#_###
#_#_#___________#___________#_#_#
#_#_###_#_#####_#_#####_#_###_#_#
#_#_____#_____#___#_____#_____#_#
#_#_###_###_#_#_#_#_#_###_###_#_#
#_____#_____#_______#_____#_____#
###_#_#_#_#_#_#_#_#_#_#_#_#_#_###
____#___#_#_#_#___#_#_#_#___#____
#################################""".replace("_", " ").split("\n")

SEED_42_FIRST_TURN = """\
0 0
4
0 1 25 12 ROCK 0 0
1 1 25 10 PAPER 0 0
2 1 3 2 SCISSORS 0 0
3 1 23 3 ROCK 0 0
33
25 11 1
25 9 1
25 8 1
25 7 1
25 13 1
3 1 1
3 3 1
3 4 1
3 5 1
3 6 1
3 7 1
3 8 1
3 9 1
3 10 1
3 11 1
3 12 1
3 13 1
24 3 1
25 3 1
26 3 1
27 3 1
23 2 1
23 1 1
23 4 1
23 5 1
23 6 1
23 7 1
23 8 1
23 9 1
5 5 10
27 5 10
1 10 10
31 10 10
"""


def test_java_random_matches_the_reference_draws() -> None:
    rnd = JavaRandom(42)
    assert [rnd.next_int(6) for _ in range(5)] == [2, 3, 0, 2, 0]
    assert [rnd.next_int(2) for _ in range(5)] == [1, 0, 1, 1, 0]
    assert [rnd.next_int(18) for _ in range(3)] == [2, 8, 6]


def test_java_shuffle_matches_collections_shuffle() -> None:
    items = list(range(10))
    JavaRandom(7).shuffle(items)
    assert items == [0, 1, 9, 3, 7, 4, 8, 5, 2, 6]


def test_java_random_reads_32_bit_draws_as_signed() -> None:
    rnd = JavaRandom(0)
    assert any(rnd.next_bits(32) < 0 for _ in range(20))


@pytest.mark.parametrize(
    ("seed", "size", "per_player", "pellets", "tunnel_rows", "p0_cells", "supers", "digest"),
    [
        (
            42,
            (33, 15),
            4,
            218,
            [5, 13],
            [(25, 12), (25, 10), (3, 2), (23, 3)],
            [(5, 5), (27, 5), (1, 10), (31, 10)],
            "831a410293aa6970",
        ),
        (
            1,
            (33, 16),
            5,
            235,
            [9],
            [(11, 14), (13, 11), (12, 9), (2, 7), (11, 3)],
            [(12, 7), (13, 7), (19, 7), (20, 7)],
            "a5c2aa08abaff573",
        ),
        (
            -5,
            (33, 17),
            3,
            272,
            [15],
            [(12, 15), (17, 15), (29, 7)],
            [(11, 6), (21, 6), (3, 12), (29, 12)],
            "baba9410016b409e",
        ),
        (
            123456789,
            (31, 12),
            2,
            165,
            [1, 9],
            [(18, 5), (24, 3)],
            [(7, 4), (13, 4), (17, 4), (23, 4)],
            "5da4297664885a21",
        ),
    ],
)
def test_generated_map_matches_the_referee_fingerprint(
    seed: int,
    size: tuple[int, int],
    per_player: int,
    pellets: int,
    tunnel_rows: list[int],
    p0_cells: list[tuple[int, int]],
    supers: list[tuple[int, int]],
    digest: str,
) -> None:
    layout = generate(seed)
    grid = layout.grid
    assert (grid.width, grid.height) == size
    assert hashlib.sha256("\n".join(grid.rows).encode()).hexdigest()[:16] == digest
    assert len(layout.pellets) == pellets
    assert [y for y, row in enumerate(grid.rows) if row[0] == " "] == tunnel_rows
    mine = [grid.xy(s.cell) for s in layout.pacs if s.player == 0]
    theirs = [grid.xy(s.cell) for s in layout.pacs if s.player == 1]
    assert mine == p0_cells
    assert theirs == [(grid.width - 1 - x, y) for x, y in p0_cells]
    assert sorted(grid.xy(c) for c in layout.super_pellets) == sorted(supers)
    assert len(layout.pacs) == 2 * per_player


def test_seed_42_map_rows_pac_types_and_remaining_value() -> None:
    layout = generate(42)
    assert list(layout.grid.rows) == SEED_42_ROWS
    assert [s.type for s in layout.pacs if s.player == 0] == [
        PacType.ROCK,
        PacType.PAPER,
        PacType.SCISSORS,
        PacType.ROCK,
    ]
    assert [(s.player, s.number) for s in layout.pacs] == [
        (0, 0),
        (1, 0),
        (0, 1),
        (1, 1),
        (0, 2),
        (1, 2),
        (0, 3),
        (1, 3),
    ]
    assert Game(layout).remaining == 258


def test_seed_42_first_input_is_byte_exact() -> None:
    header = "33 15\n" + "".join(row + "\n" for row in SEED_42_ROWS)
    assert Game.from_seed(42).input_for(0) == header + SEED_42_FIRST_TURN


def test_generated_maps_are_mirrored_and_closed_at_the_top_and_bottom() -> None:
    for seed in range(-20, 20):
        grid = generate(seed).grid
        assert all(row == row[::-1] for row in grid.rows)
        assert set(grid.rows[0]) == set(grid.rows[-1]) == {"#"}
        assert grid.width in (31, 33, 35)
        assert 12 <= grid.height <= 17


def test_seed_must_fit_a_signed_64_bit_integer() -> None:
    Game.from_seed(-(2**63))
    with pytest.raises(ValueError, match="64-bit"):
        Game.from_seed(2**63)
