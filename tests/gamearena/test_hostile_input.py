"""Hostile input is refused with a 400 (or 401) in the envelope, never a 500.

Deeply nested JSON used to overflow the decoder's recursion (RecursionError, a 500) before
login; a NUL character used to reach PostgreSQL, which refuses it in text (DataError, a
500). Every case here runs on the default database and again on PostgreSQL, where NUL
really hurts (the `postgres` parameter runs in the test command's PostgreSQL pass).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from gamearena.parsers import MAX_JSON_DEPTH, FormParser

pytestmark = pytest.mark.django_db


@pytest.fixture(
    params=["default database", pytest.param("postgresql", marks=pytest.mark.postgres)],
    autouse=True,
)
def database(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client() -> APIClient:
    return APIClient(raise_request_exception=False)


@pytest.fixture
def signed_in() -> APIClient:
    user = get_user_model().objects.create_user("owner", password="owner-long-passphrase")
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {Token.objects.create(user=user).key}")
    return client


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return dict(body["error"])


def post_raw(client: APIClient, path: str, body: str) -> Any:
    return client.generic("POST", path, body, content_type="application/json")


def test_json_nested_a_hundred_thousand_deep_is_a_400_before_login(client: APIClient) -> None:
    response = post_raw(client, "/api/auth/token", "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert error_of(response)["code"] == "json_too_deep"


def test_json_nested_just_past_the_limit_is_refused_on_owner_endpoints_too(
    signed_in: APIClient,
) -> None:
    nested: Any = "deep"
    for _ in range(MAX_JSON_DEPTH):
        nested = {"x": nested}
    response = post_raw(signed_in, "/api/bots", json.dumps({"name": "deep", "code": nested}))

    assert response.status_code == 400
    assert error_of(response)["code"] == "json_too_deep"


def test_json_at_the_depth_limit_reaches_validation(client: APIClient) -> None:
    nested: Any = "deep"
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    response = post_raw(client, "/api/auth/token", json.dumps({"username": nested}))

    assert response.status_code == 400
    assert error_of(response)["code"] not in {"json_too_deep", "malformed_json"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "a\u0000b", "password": "a long passphrase"}, "username"),
        ({"username": "alice", "password": "pass\u0000word"}, "password"),
        ({"username\u0000": "alice", "password": "a long passphrase"}, "username\\u0000"),
    ],
    ids=["in a value", "in the password", "in a key"],
)
def test_nul_in_a_login_body_is_a_400_naming_the_field(
    client: APIClient, body: Any, field: str
) -> None:
    response = client.post("/api/auth/token", body, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "nul_character"
    assert error["details"]["fields"] == {
        field: [
            {
                "message": "Text must not contain the NUL character (U+0000).",
                "code": "nul_character",
            }
        ]
    }


def test_nul_in_a_registration_is_refused_and_creates_nobody(client: APIClient) -> None:
    body = {"username": "mal\u0000lory", "password": "a long passphrase"}
    response = client.post("/api/auth/register", body, format="json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "nul_character"
    assert not get_user_model().objects.exists()


def test_nul_in_bot_code_is_refused(signed_in: APIClient) -> None:
    response = signed_in.post("/api/bots", {"name": "nul", "code": "print(1)\x00"}, format="json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "nul_character"


def test_nul_in_a_form_body_is_refused_by_the_form_parser() -> None:
    stream = io.BytesIO(b"username=a%00b&password=x")
    with pytest.raises(ValidationError, match="nul_character"):
        FormParser().parse(stream, "application/x-www-form-urlencoded", {"encoding": "utf-8"})


def test_a_bearer_token_holding_nul_is_a_401(client: APIClient) -> None:
    response = client.get("/api/bots", HTTP_AUTHORIZATION="Bearer a\x00b")

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_holding_nul_is_a_400(client: APIClient) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get("/api/bots")

    assert response.status_code == 400
    assert error_of(response)["details"] == {"where": "header", "name": "Cookie"}


def test_nul_in_a_query_string_is_a_400_naming_the_parameter(signed_in: APIClient) -> None:
    response = signed_in.get("/api/bots/public?owner=a%00b")

    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["details"]) == (
        "nul_character",
        {"where": "query", "name": "owner"},
    )


def test_nul_in_a_url_path_is_a_400(signed_in: APIClient) -> None:
    response = signed_in.get("/api/bots/1%00")

    assert response.status_code == 400
    assert error_of(response)["details"] == {"where": "path"}


def test_nul_outside_the_api_is_a_plain_400(client: APIClient) -> None:
    response = client.get("/admin/login/?next=/a%00b")

    assert response.status_code == 400
    assert b"NUL" in response.content
