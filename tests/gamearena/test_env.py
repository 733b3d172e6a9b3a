"""Settings read from the environment fail loudly and precisely on bad values."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from gamearena.env import env_bool, env_choice, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_the_usual_words(raw: str, expected: bool) -> None:
    assert env_bool("DEBUG", default=not expected, environ={"DEBUG": raw}) is expected


def test_env_bool_rejects_other_words_naming_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG must be one of .* got 'maybe'"):
        env_bool("DEBUG", default=False, environ={"DEBUG": "maybe"})


def test_env_bool_uses_the_default_when_unset() -> None:
    assert env_bool("DEBUG", default=True, environ={}) is True


def test_env_int_rejects_text() -> None:
    with pytest.raises(
        ImproperlyConfigured, match="BATTLE_TTL_SECONDS must be a whole number, got 'soon'"
    ):
        env_int("BATTLE_TTL_SECONDS", 3600, environ={"BATTLE_TTL_SECONDS": "soon"})


def test_env_int_enforces_its_bounds() -> None:
    with pytest.raises(ImproperlyConfigured, match="BATTLE_TTL_SECONDS must be at least 1, got 0"):
        env_int("BATTLE_TTL_SECONDS", 3600, minimum=1, environ={"BATTLE_TTL_SECONDS": "0"})


def test_env_int_reads_a_number() -> None:
    assert (
        env_int("BATTLE_TTL_SECONDS", 3600, minimum=1, environ={"BATTLE_TTL_SECONDS": " 90 "}) == 90
    )


def test_env_list_splits_on_commas_and_drops_blanks() -> None:
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.example, b.example,,"}) == [
        "a.example",
        "b.example",
    ]


def test_env_choice_rejects_an_unknown_value() -> None:
    with pytest.raises(ImproperlyConfigured, match="GAMEARENA_SANDBOX must be one of bwrap, none"):
        env_choice(
            "GAMEARENA_SANDBOX", "bwrap", ("bwrap", "none"), environ={"GAMEARENA_SANDBOX": "docker"}
        )
