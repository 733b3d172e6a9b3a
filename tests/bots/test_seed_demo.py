"""manage.py seed_demo: the demo login, token and bots the run command prints; idempotent."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from bots.models import Bot, BotVersion

pytestmark = pytest.mark.django_db


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
