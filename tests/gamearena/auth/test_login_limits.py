"""Failed logins are limited per account and per address on every login path."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from rest_framework.test import APIClient

from gamearena.auth import limits
from tests.bots.support import assert_error

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ADMIN_LOGIN = "/admin/login/"
API_AUTH_LOGIN = "/api-auth/login/"
TOKEN = "/api/auth/token"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def boss() -> Any:
    return get_user_model().objects.create_superuser("boss", password=PASSWORD)


def session_login(client: Client, url: str, username: str, password: str) -> Any:
    return client.post(url, {"username": username, "password": password})


def token_login(api: APIClient, username: str, password: str) -> Any:
    return api.post(TOKEN, {"username": username, "password": password}, format="json")


@pytest.mark.parametrize("url", [ADMIN_LOGIN, API_AUTH_LOGIN])
def test_a_session_login_is_locked_after_the_accounts_failure_limit(
    client: Client, boss: Any, url: str
) -> None:
    failures = [
        session_login(client, url, "boss", f"guess {n}").status_code
        for n in range(limits.ACCOUNT_FAILURE_LIMIT)
    ]
    assert failures == [200] * limits.ACCOUNT_FAILURE_LIMIT  # the form again, with its error

    locked = session_login(client, url, "boss", PASSWORD)

    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= limits.FAILURE_WINDOW_SECONDS
    assert "_auth_user_id" not in client.session


def test_the_token_login_is_locked_after_the_accounts_failure_limit(
    api: APIClient, boss: Any
) -> None:
    for n in range(limits.ACCOUNT_FAILURE_LIMIT):
        assert_error(token_login(api, "boss", f"guess {n}"), 401, "invalid_credentials")

    response = token_login(api, "boss", PASSWORD)

    error = assert_error(response, 429, "too_many_failed_logins")
    assert error["details"]["retry_after_seconds"] == int(response["Retry-After"])


def test_failures_on_one_path_lock_the_account_on_the_others(
    client: Client, api: APIClient, boss: Any
) -> None:
    for n in range(limits.ACCOUNT_FAILURE_LIMIT):
        session_login(client, ADMIN_LOGIN, "boss", f"guess {n}")

    assert_error(token_login(api, "boss", PASSWORD), 429, "too_many_failed_logins")
    assert session_login(Client(), API_AUTH_LOGIN, "boss", PASSWORD).status_code == 429


def test_one_address_trying_many_accounts_is_locked(client: Client, boss: Any) -> None:
    for n in range(limits.ADDRESS_FAILURE_LIMIT):
        session_login(client, ADMIN_LOGIN, f"user{n}", "guess")

    assert session_login(client, ADMIN_LOGIN, "boss", PASSWORD).status_code == 429
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert session_login(other_address, ADMIN_LOGIN, "boss", PASSWORD).status_code == 302


def test_a_new_x_forwarded_for_does_not_make_a_new_address(client: Client, boss: Any) -> None:
    for n in range(limits.ADDRESS_FAILURE_LIMIT):
        client.post(
            ADMIN_LOGIN,
            {"username": f"user{n}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    locked = client.post(
        ADMIN_LOGIN, {"username": "boss", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.1"
    )

    assert locked.status_code == 429


def test_a_locked_login_hashes_no_password(
    client: Client, boss: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(limits.ACCOUNT_FAILURE_LIMIT):
        session_login(client, ADMIN_LOGIN, "boss", f"guess {n}")
    checked: list[str] = []
    real = ModelBackend.authenticate

    def spy(self: Any, request: Any, username: Any = None, password: Any = None, **kw: Any) -> Any:
        checked.append(username)
        return real(self, request, username, password, **kw)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)

    assert session_login(client, ADMIN_LOGIN, "boss", "another guess").status_code == 429
    assert checked == []


def test_the_lock_ends_with_the_window(
    client: Client, boss: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    for n in range(limits.ACCOUNT_FAILURE_LIMIT):
        session_login(client, ADMIN_LOGIN, "boss", f"guess {n}")
    assert session_login(client, ADMIN_LOGIN, "boss", PASSWORD).status_code == 429

    now[0] += limits.FAILURE_WINDOW_SECONDS

    assert session_login(client, ADMIN_LOGIN, "boss", PASSWORD).status_code == 302


def test_a_successful_login_forgets_the_accounts_failures(client: Client, boss: Any) -> None:
    for n in range(limits.ACCOUNT_FAILURE_LIMIT - 1):
        session_login(client, ADMIN_LOGIN, "boss", f"guess {n}")
    assert session_login(client, ADMIN_LOGIN, "boss", PASSWORD).status_code == 302
    client.logout()

    session_login(client, ADMIN_LOGIN, "boss", "one more typo")

    assert session_login(client, ADMIN_LOGIN, "boss", PASSWORD).status_code == 302
