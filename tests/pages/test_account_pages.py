"""Sign up, log in, log out and the API token page, as a person uses them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase"


def test_signing_up_creates_the_account_with_a_token_and_signs_in(client: Client) -> None:
    response = client.post(
        "/accounts/signup",
        {"username": "newcomer", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/bots/"
    user = get_user_model().objects.get(username="newcomer")
    assert Token.objects.filter(user=user).exists()
    assert "newcomer" in client.get("/bots/").content.decode()


def test_sign_up_shows_the_api_error_codes_next_to_their_fields(
    client: Client, owner: User
) -> None:
    taken = client.post(
        "/accounts/signup", {"username": "owner", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert taken.status_code == 400
    assert 'id="username-errors"' in taken.content.decode()
    assert "username_taken" in taken.content.decode()
    weak = client.post(
        "/accounts/signup", {"username": "someone", "password": "123", "password_again": "123"}
    )
    assert 'id="password-errors"' in weak.content.decode()
    assert "weak_password" in weak.content.decode()
    differ = client.post(
        "/accounts/signup", {"username": "someone", "password": PASSWORD, "password_again": "x"}
    )
    assert 'id="password_again-errors"' in differ.content.decode()
    assert not get_user_model().objects.filter(username="someone").exists()


def test_sign_up_escapes_a_hostile_username_it_sends_back(client: Client) -> None:
    page = client.post(
        "/accounts/signup",
        {"username": "<b>x</b>", "password": PASSWORD, "password_again": PASSWORD},
    ).content.decode()
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "invalid_username" in page


def test_the_login_page_is_ours_and_logs_in_and_out(client: Client, owner: User) -> None:
    page = client.get("/accounts/login").content.decode()
    assert "Sign up" in page
    assert 'for="id_username"' in page
    response = client.post("/accounts/login", {"username": "owner", "password": "owner-pass-1234"})
    assert response.status_code == 302
    assert response["Location"] == "/bots/"
    assert client.get("/bots/").status_code == 200
    assert client.post("/accounts/logout").status_code == 302
    assert client.get("/bots/")["Location"].startswith("/accounts/login")


def test_a_wrong_password_says_so_on_the_login_page(client: Client, owner: User) -> None:
    response = client.post("/accounts/login", {"username": "owner", "password": "wrong"})
    assert response.status_code == 200
    assert "invalid_credentials" in response.content.decode()


def test_login_never_redirects_to_another_site(client: Client, owner: User) -> None:
    response = client.post(
        "/accounts/login?next=https://evil.example/",
        {"username": "owner", "password": "owner-pass-1234", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/bots/"


def test_the_token_page_shows_the_owners_token_and_regenerates_it(owner: User) -> None:
    client = Client()
    client.force_login(owner)
    old = Token.objects.create(user=owner).key
    assert old in client.get("/accounts/token").content.decode()
    response = client.post("/accounts/token/regenerate")
    assert response.status_code == 302
    new = Token.objects.get(user=owner).key
    assert new != old
    page = client.get("/accounts/token").content.decode()
    assert new in page
    assert old not in page


def test_the_token_page_is_for_signed_in_users_only(client: Client) -> None:
    assert client.get("/accounts/token")["Location"].startswith("/accounts/login")
    assert client.post("/accounts/token/regenerate")["Location"].startswith("/accounts/login")


def test_regenerating_needs_a_post_with_csrf(owner: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get("/accounts/token/regenerate").status_code == 405
    assert client.post("/accounts/token/regenerate").status_code == 403
