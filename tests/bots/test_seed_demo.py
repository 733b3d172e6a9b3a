"""manage.py seed_demo: the demo login, token and bots the run command prints; idempotent.

It runs only on a development instance (DEBUG on); the deploy check that catches a leftover
demo password is in tests/gamearena/test_demo_password_check.py.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from bots.models import Bot, BotVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development_instance(settings: Any) -> None:
    settings.DEBUG = True


def seed(port: str = "8000") -> str:
    out = StringIO()
    call_command("seed_demo", "--port", port, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_demo_user_with_a_token_and_bots() -> None:
    output = seed(port="9123")
    user = get_user_model().objects.get(username="demo")
    token = Token.objects.get(user=user)
    assert user.check_password("demo-arena-pass")
    assert f"API token:  {token.key}" in output
    assert "URL:        http://127.0.0.1:9123/" in output
    assert set(Bot.objects.filter(owner=user).values_list("name", flat=True)) == {
        "random-mover",
        "greedy",
        "hunter",
    }


def test_seed_demo_run_twice_changes_nothing() -> None:
    first = seed()
    second = seed()
    token_line = re.compile(r"API token:  (\w+)")
    assert token_line.findall(first) == token_line.findall(second)
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert BotVersion.objects.count() == 3
    assert "Demo bots created" not in second


def test_seed_demo_uses_the_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAMEARENA_DEMO_PASSWORD", "another long passphrase")
    output = seed()
    assert "Demo login: demo / another long passphrase" in output
    assert get_user_model().objects.get(username="demo").check_password("another long passphrase")


def test_seed_demo_refuses_to_run_without_debug_and_creates_nobody(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=1"):
        seed()

    assert not get_user_model().objects.exists()


def test_seed_demo_lives_in_the_bots_app() -> None:
    from django.core.management import get_commands

    assert get_commands()["seed_demo"] == "bots"
