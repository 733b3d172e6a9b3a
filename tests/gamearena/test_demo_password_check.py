"""check --deploy fails (gamearena.E006) while an account keeps seed_demo's password."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks

pytestmark = pytest.mark.django_db


def deploy_errors() -> list[str]:
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "gamearena.E006"]


def test_a_user_with_the_default_demo_password_fails_the_deploy_check() -> None:
    get_user_model().objects.create_superuser("demo", password="demo-arena-pass")

    assert deploy_errors() == ["gamearena.E006"]


def test_a_staff_account_with_the_configured_demo_password_fails_it_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GAMEARENA_DEMO_PASSWORD", "another long passphrase")
    get_user_model().objects.create_user("admin", password="another long passphrase", is_staff=True)

    assert deploy_errors() == ["gamearena.E006"]


def test_the_check_passes_once_the_demo_password_is_changed() -> None:
    user = get_user_model().objects.create_superuser("demo", password="demo-arena-pass")
    user.set_password("a private passphrase")
    user.save()

    assert deploy_errors() == []


def test_the_check_is_a_deployment_check_only(settings: Any) -> None:
    get_user_model().objects.create_superuser("demo", password="demo-arena-pass")

    assert "gamearena.E006" not in [m.id for m in run_checks()]
