"""Every conformance checkpoint of docs/rules.md §11, as scenario files played by the engine.

The bracketed numbers in each scenario's opening comment (``[6.6 rule 2, 6.7]``) are the sections
of docs/rules.md that decide it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from battles.engine import OutputPolicy, PacType, Rules
from battles.engine.scenario import (
    Scenario,
    ScenarioSyntaxError,
    layout_from_drawing,
    parse_scenarios,
    run_scenario,
)

SCENARIO_DIR = Path(__file__).parent / "scenarios"


def _all_scenarios() -> list[Scenario]:
    return [
        scenario
        for path in sorted(SCENARIO_DIR.glob("*.scn"))
        for scenario in parse_scenarios(path.read_text())
    ]


@pytest.mark.parametrize("scenario", _all_scenarios(), ids=lambda scenario: scenario.name)
def test_checkpoint_scenario_meets_every_expectation(scenario: Scenario) -> None:
    assert scenario.checks, "a scenario without expectations proves nothing"
    assert run_scenario(scenario) == []


def test_every_one_of_the_21_checkpoints_has_a_scenario_file() -> None:
    numbers = {int(path.name[2:4]) for path in SCENARIO_DIR.glob("cp*.scn")}
    assert numbers == set(range(1, 22))


def test_a_wrong_expectation_is_reported_with_the_turn_and_the_difference() -> None:
    text = (SCENARIO_DIR / "cp06_following.scn").read_text().replace("2,1 ROCK", "3,1 ROCK")
    (scenario,) = parse_scenarios(text)
    assert run_scenario(scenario) == [
        "cp06 following is allowed: after turn 1: pac 0.0 at 3,1 ROCK: "
        "position is (2, 1), expected (3, 1)"
    ]


def test_loader_reads_rules_options_answers_and_input_blocks() -> None:
    (scenario,) = parse_scenarios(
        "scenario demo\n"
        "rules level3 turn_limit=7 body_block=off policy=arena\n"
        "map\n#####\n#r_R#\n#####\nend\n"
        "turn 2\n0: MOVE 0 2 1 | WAIT 0\n1: <timeout>\n"
        "expect 2\ninput 0 1\n  0 0\n  1\nendinput\nover\n"
    )
    assert scenario.rules == Rules(level=3, turn_limit=7, body_block=False)
    assert scenario.policy is OutputPolicy.ARENA
    assert scenario.rows == ["#####", "#r_R#", "#####"]
    assert scenario.turns[2][0] == "MOVE 0 2 1 | WAIT 0"
    assert not isinstance(scenario.turns[2][1], str)
    assert [e.words[0] for e in scenario.checks[2]] == ["input", "over"]
    assert scenario.checks[2][0].text == ("0 0", "1")


def test_loader_rejects_lines_outside_a_scenario_and_unknown_options() -> None:
    with pytest.raises(ScenarioSyntaxError):
        parse_scenarios("map\n#\nend\n")
    with pytest.raises(ScenarioSyntaxError):
        parse_scenarios("scenario x\nrules final fog=off\n")
    with pytest.raises(ScenarioSyntaxError):
        parse_scenarios("scenario x\nmap\n#r\n")


def test_drawn_map_numbers_pacs_per_player_in_row_major_order() -> None:
    layout = layout_from_drawing(["#Rr#", "#sP#", "#.o#"])
    listed = [(s.player, s.number, layout.grid.xy(s.cell), s.type) for s in layout.pacs]
    assert listed == [
        (0, 0, (2, 0), PacType.ROCK),
        (1, 0, (1, 0), PacType.ROCK),
        (0, 1, (1, 1), PacType.SCISSORS),
        (1, 1, (2, 1), PacType.PAPER),
    ]
    assert layout.pellets == {layout.grid.cell(1, 2)}
    assert layout.super_pellets == {layout.grid.cell(2, 2)}
