"""The engine's value types behave as the frozen dataclasses they replaced (see records.py)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest

from battles.engine import (
    FINAL_RULES,
    Fault,
    FaultKind,
    Grid,
    Layout,
    Move,
    Outcome,
    PacSpawn,
    PacType,
    ParsedOutput,
    PlayerResult,
    Rules,
    Speed,
    Switch,
    Termination,
    Wait,
)
from battles.engine.benchmark import GameSummary
from battles.engine.records import FrozenInstanceError, Record

# The definition Move had before, as the reference.
DataclassMove = dataclasses.make_dataclass(
    "Move",
    [("pac", int), ("x", int), ("y", int), ("message", str, dataclasses.field(default=""))],
    frozen=True,
)


def test_construction_equality_hash_and_repr_match_a_frozen_dataclass() -> None:
    cases: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((0, 1, 2), {}),
        ((3, 4, 5, "hi"), {}),
        ((1,), {"x": 2, "y": 3}),
    ]
    for args, kwargs in cases:
        record, reference = Move(*args, **kwargs), DataclassMove(*args, **kwargs)
        assert repr(record) == repr(reference)
        assert hash(record) == hash(reference)
        assert record == Move(*args, **kwargs)
        assert record != reference  # another class, as between two dataclasses
    with pytest.raises(TypeError):
        Move(0, 1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Move(0, 1, 2, "", 5)  # type: ignore[call-arg]


def test_different_types_with_the_same_fields_are_not_equal() -> None:
    assert Speed(0) != Wait(0)
    assert Speed(0) == Speed(0, "")
    assert len({Speed(0), Wait(0), Speed(0)}) == 2


def test_records_are_immutable() -> None:
    record = Move(0, 1, 2)
    with pytest.raises(FrozenInstanceError):
        record.x = 5
    with pytest.raises(AttributeError):
        del record.x
    assert isinstance(FrozenInstanceError(), AttributeError)
    assert record.x == 1


def test_pickle_copy_and_pattern_matching() -> None:
    outcome = Outcome(
        (3, 1),
        0,
        Termination.TURN_LIMIT,
        200,
        (PlayerResult("ok", "", None), PlayerResult("dead", "all pacs were eaten", 17)),
    )
    for value in [outcome, Switch(1, PacType.PAPER, "x"), Fault(FaultKind.TIMEOUT, "slow")]:
        assert pickle.loads(pickle.dumps(value)) == value  # noqa: S301 (our own bytes)
        assert copy.deepcopy(value) == value == copy.copy(value)
    match outcome:
        case Outcome(scores, winner, _, turns, _):
            assert (scores, winner, turns) == ((3, 1), 0, 200)
        case _:
            pytest.fail("positional pattern did not match")


def test_rules_defaults_and_properties() -> None:
    assert Rules() == FINAL_RULES == Rules(4, 200, True)
    assert repr(FINAL_RULES) == "Rules(level=4, turn_limit=200, body_block=True)"
    assert not Rules(level=2).fog
    assert Rules(level=3).fog
    assert not Rules(level=3).dead_in_input


def test_every_record_sets_exactly_its_listed_fields_in_order() -> None:
    samples: list[Record] = [
        Move(0, 1, 2),
        Speed(0),
        Switch(0, PacType.ROCK),
        Wait(0),
        ParsedOutput((), None),
        Fault(FaultKind.CRASHED, ""),
        PlayerResult("ok", "", None),
        Outcome((0, 0), None, Termination.TURN_LIMIT, 0, (PlayerResult("ok", "", None),) * 2),
        FINAL_RULES,
        PacSpawn(0, 0, 5, PacType.ROCK),
        Layout(Grid(["#", " "]), (), frozenset(), frozenset()),
        GameSummary(1, "1x1", 1, 1, 1, 0, 0, 1, 1),
    ]
    for sample in samples:
        assert list(vars(sample)) == list(type(sample).__match_args__)
