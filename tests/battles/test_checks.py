"""The battles app's system checks: may bots run here (sandbox, interpreter), how fast (engine)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gamearena.test_checks import check_ids

# The deployment checks include one that reads accounts (gamearena.E006).
pytestmark = pytest.mark.django_db


def test_the_unsafe_sandbox_without_debug_or_flag_is_an_error(settings: Any) -> None:
    settings.DEBUG = False
    settings.GAMEARENA = {
        **settings.GAMEARENA,
        "SANDBOX_MODE": "none",
        "ALLOW_UNSAFE_SANDBOX": False,
    }
    assert "gamearena.E001" in check_ids()


def test_the_unsafe_sandbox_with_the_explicit_flag_is_a_loud_warning(settings: Any) -> None:
    settings.DEBUG = False
    settings.GAMEARENA = {
        **settings.GAMEARENA,
        "SANDBOX_MODE": "none",
        "ALLOW_UNSAFE_SANDBOX": True,
    }
    ids = check_ids()
    assert "gamearena.W001" in ids
    assert "gamearena.E001" not in ids


def test_the_unsafe_sandbox_is_an_error_under_check_deploy(settings: Any) -> None:
    settings.GAMEARENA = {
        **settings.GAMEARENA,
        "SANDBOX_MODE": "none",
        "ALLOW_UNSAFE_SANDBOX": True,
    }
    assert "gamearena.E002" in check_ids(include_deployment_checks=True)


def test_the_bubblewrap_sandbox_raises_no_sandbox_error(settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "SANDBOX_MODE": "bwrap"}
    assert not {"gamearena.E001", "gamearena.W001"} & check_ids()


def test_a_bot_interpreter_that_does_not_exist_is_an_error(settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "BOT_PYTHON": "/nowhere/python3"}
    assert "gamearena.E004" in check_ids()


def test_an_engine_without_its_compiled_build_is_flagged_for_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from battles.engine import native

    pure = native.Status(False, "GAMEARENA_ENGINE=pure", None)
    monkeypatch.setattr(native, "status", lambda: pure)
    assert "gamearena.W004" in check_ids(include_deployment_checks=True)
    assert "gamearena.W004" not in check_ids()  # a deployment concern only

    compiled = native.Status(True, "build matches the sources", None)
    monkeypatch.setattr(native, "status", lambda: compiled)
    assert "gamearena.W004" not in check_ids(include_deployment_checks=True)
