"""The referee-loop API: inputs, answers, faults, outcomes, snapshots and replays."""

from __future__ import annotations

import json

import pytest

from battles.engine import (
    Fault,
    FaultKind,
    Game,
    OutputPolicy,
    PlayerResult,
    Termination,
    replay_game,
)
from battles.engine.scenario import layout_from_drawing

POCKET_MAP = ["#######", "#r.._R#", "#######", "#.....#", "#######"]


def pocket_game(policy: OutputPolicy = OutputPolicy.ARENA) -> Game:
    return Game(layout_from_drawing(POCKET_MAP), policy=policy)


def test_first_input_starts_with_the_map_and_later_inputs_do_not() -> None:
    game = pocket_game()
    assert game.players_to_ask() == (0, 1)
    first = game.input_for(1)
    assert first.startswith("7 5\n#######\n#     #\n#######\n#     #\n#######\n0 0\n")
    game.play_turn({0: "MOVE 0 2 1", 1: "MOVE 0 4 1"})
    later = game.input_for(1)
    assert later.startswith("0 1\n")
    assert later.endswith("\n")
    assert game.turn == 1


def test_every_asked_player_needs_an_answer() -> None:
    with pytest.raises(ValueError, match="no answer"):
        pocket_game().play_turn({0: "MOVE 0 2 1"})


def test_arena_policy_deactivates_a_player_that_sends_nothing() -> None:
    game = pocket_game()
    game.play_turn({0: "MOVE 0 2 1", 1: ""})
    assert game.over
    assert game.outcome is not None
    assert game.outcome.players[1] == PlayerResult("invalid", "empty output: no command given", 1)
    assert game.outcome.players[0] == PlayerResult("ok", "", None)
    assert game.outcome.termination is Termination.ONE_PLAYER_LEFT
    assert game.outcome.scores == (7, 0)
    assert game.outcome.winner == 0


def test_strict_policy_accepts_an_empty_line() -> None:
    game = pocket_game(OutputPolicy.STRICT)
    game.play_turn({0: "MOVE 0 2 1", 1: ""})
    assert not game.over


@pytest.mark.parametrize("kind", list(FaultKind))
def test_a_runner_fault_deactivates_with_its_status_and_reason(kind: FaultKind) -> None:
    game = pocket_game()
    game.play_turn({0: "MOVE 0 2 1", 1: Fault(kind, "bot said goodbye")})
    assert game.outcome is not None
    assert game.outcome.players[1] == PlayerResult(kind.value, "bot said goodbye", 1)
    assert game.players_to_ask() == ()


def test_a_deactivated_player_gets_no_more_input() -> None:
    game = pocket_game()
    game.play_turn({0: "MOVE 0 2 1", 1: Fault(FaultKind.TIMEOUT, "50 ms")})
    with pytest.raises(ValueError, match="not expected"):
        game.input_for(1)
    with pytest.raises(ValueError, match="over"):
        game.play_turn({})


def test_a_generated_game_played_to_the_turn_limit_has_a_turn_limit_outcome() -> None:
    game = Game.from_seed(7)
    while not game.over:
        answers = {}
        for player in game.players_to_ask():
            pacs = [p for p in game.team[player] if p.alive]
            x, y = game.grid.xy(pacs[0].cell)
            answers[player] = f"MOVE {pacs[0].number} {x} {y}"
        game.play_turn(answers)
    assert game.outcome is not None
    assert game.outcome.termination is Termination.TURN_LIMIT
    assert game.outcome.turns == 200
    assert game.outcome.winner is None


def test_replaying_seed_and_answers_gives_the_identical_game() -> None:
    answers: list[dict[int, str | Fault]] = [
        {0: "MOVE 0 5 5 | SPEED 1", 1: "MOVE 1 20 3"},
        {0: "MOVE 2 1 1", 1: "MOVE 0 9 9"},
        {0: "SWITCH 3 PAPER", 1: Fault(FaultKind.TIMEOUT, "slow")},
    ]
    first = replay_game(42, answers)
    second = replay_game(42, answers)
    assert first.snapshot() == second.snapshot()
    assert first.outcome == second.outcome


def test_snapshot_is_json_and_lists_pacs_pellets_scores() -> None:
    game = Game.from_seed(42)
    snapshot = game.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["turn"] == 0
    assert snapshot["scores"] == [0, 0]
    assert snapshot["active"] == [True, True]
    pacs = snapshot["pacs"]
    assert isinstance(pacs, list)
    assert pacs[0][:5] == [0, 0, 25, 12, "ROCK"]
    assert isinstance(snapshot["pellets"], list)
    assert len(snapshot["pellets"]) == 218


def test_board_drawing_reads_back_as_the_same_position() -> None:
    game = Game.from_seed(3)
    game.play_turn({0: "MOVE 0 1 1", 1: "MOVE 0 1 1"})
    again = Game(layout_from_drawing(game.board_rows()))
    assert again.board_rows() == game.board_rows()
    assert sorted((p.player, p.cell, p.type) for p in again.pacs) == sorted(
        (p.player, p.cell, p.type) for p in game.pacs if p.alive
    )


def test_a_finished_game_is_freed_without_the_cycle_collector() -> None:
    """A worker plays match after match: a game's caches (search trees, views) must go as soon
    as the game does, not wait for a full garbage collection."""
    import gc

    from battles.engine.benchmark import play_benchmark_game

    gc.collect()
    gc.disable()
    try:
        game = play_benchmark_game(7, "full")
        assert game.over
        del game
        assert gc.collect() == 0
    finally:
        gc.enable()
