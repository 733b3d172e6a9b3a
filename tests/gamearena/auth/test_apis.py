"""POST /api/auth/register, POST/DELETE /api/auth/token, POST /api/auth/token/regenerate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.bots.support import assert_error

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register"
TOKEN = "/api/auth/token"
REGENERATE = "/api/auth/token/regenerate"
GOOD_PASSWORD = "correct horse battery staple"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def member() -> Any:
    return get_user_model().objects.create_user("member", password=GOOD_PASSWORD)


def post(client: APIClient, url: str, **body: Any) -> Any:
    return client.post(url, body, format="json")


def test_registering_creates_the_user_and_answers_201_with_a_working_token(api: APIClient) -> None:
    response = post(api, REGISTER, username="newcomer", password=GOOD_PASSWORD)

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "newcomer"
    assert body["token"] == Token.objects.get(user__username="newcomer").key
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert api.get("/api/bots").status_code == 200


def test_a_taken_username_is_409_and_the_first_account_is_untouched(
    api: APIClient, member: Any
) -> None:
    response = post(api, REGISTER, username="member", password="another long passphrase")

    assert_error(response, 409, "username_taken")
    member.refresh_from_db()
    assert member.check_password(GOOD_PASSWORD)


def test_a_weak_password_is_refused_with_the_reasons(api: APIClient) -> None:
    error = assert_error(
        post(api, REGISTER, username="newcomer", password="123"), 400, "weak_password"
    )

    assert error["details"]["problems"]
    assert not get_user_model().objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"username": "has space", "password": GOOD_PASSWORD}, "invalid_username"),
        ({"username": "u" * 151, "password": GOOD_PASSWORD}, "invalid_username"),
        ({"username": "", "password": GOOD_PASSWORD}, "invalid_username"),
        ({"username": 7, "password": GOOD_PASSWORD}, "invalid_username"),
        ({"username": "newcomer", "password": ""}, "invalid_password"),
        ({"username": "newcomer", "password": "p" * 1025}, "invalid_password"),
        ({"username": "newcomer"}, "missing_field"),
        ({"username": "newcomer", "password": GOOD_PASSWORD, "email": "x@y.z"}, "unknown_field"),
    ],
)
def test_bad_registrations_get_a_specific_code_and_create_nobody(
    api: APIClient, body: dict[str, Any], code: str
) -> None:
    assert_error(api.post(REGISTER, body, format="json"), 400, code)
    assert not get_user_model().objects.exists()


def test_registration_takes_json_only(api: APIClient) -> None:
    form = api.post(REGISTER, {"username": "newcomer", "password": GOOD_PASSWORD})
    broken = api.post(REGISTER, "{", content_type="application/json")

    assert_error(form, 415, "unsupported_media_type")
    assert_error(broken, 400, "malformed_json")


def test_the_token_endpoint_returns_the_users_token(api: APIClient, member: Any) -> None:
    existing = Token.objects.create(user=member)

    response = post(api, TOKEN, username="member", password=GOOD_PASSWORD)

    assert response.status_code == 200
    assert response.json() == {"username": "member", "token": existing.key}


def test_the_token_endpoint_creates_a_token_for_a_user_without_one(
    api: APIClient, member: Any
) -> None:
    response = post(api, TOKEN, username="member", password=GOOD_PASSWORD)

    assert response.json()["token"] == Token.objects.get(user=member).key


@pytest.mark.parametrize(
    ("username", "password"), [("member", "wrong password"), ("nobody", GOOD_PASSWORD)]
)
def test_wrong_credentials_get_one_answer_whether_or_not_the_user_exists(
    api: APIClient, member: Any, username: str, password: str
) -> None:
    response = post(api, TOKEN, username=username, password=password)

    error = assert_error(response, 401, "invalid_credentials")
    assert error["message"] == "Unknown username or wrong password."
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_inactive_user_gets_no_token(api: APIClient, member: Any) -> None:
    member.is_active = False
    member.save()

    assert_error(
        post(api, TOKEN, username="member", password=GOOD_PASSWORD), 401, "invalid_credentials"
    )


def test_an_inactive_users_existing_token_stops_working(api: APIClient, member: Any) -> None:
    token = Token.objects.create(user=member)
    member.is_active = False
    member.save()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")

    assert_error(api.get("/api/bots"), 401, "authentication_failed")


def test_the_token_keyword_is_accepted_like_bearer(api: APIClient, member: Any) -> None:
    token = Token.objects.create(user=member)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get("/api/bots")

    assert response.status_code == 200
    assert response.wsgi_request.user == member


def test_a_wrong_token_under_either_keyword_is_refused(api: APIClient) -> None:
    for keyword in ("Bearer", "Token"):
        api.credentials(HTTP_AUTHORIZATION=f"{keyword} not-a-real-token")
        assert_error(api.get("/api/bots"), 401, "authentication_failed")


def test_a_bearer_header_without_a_token_is_refused(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Bearer")

    assert_error(api.get("/api/bots"), 401, "authentication_failed")


def test_auth_endpoints_are_post_only(api: APIClient) -> None:
    assert_error(api.get(REGISTER), 405, "method_not_allowed")
    assert_error(api.get(TOKEN), 405, "method_not_allowed")


def test_password_guessing_is_throttled(api: APIClient, member: Any) -> None:
    # The "auth" scope's rate (REST_FRAMEWORK settings, per client address) covers both
    # endpoints. Distinct usernames: one account alone is locked sooner (test_login_limits).
    allowed, _ = ScopedRateThrottle().parse_rate(ScopedRateThrottle.THROTTLE_RATES["auth"])
    assert allowed is not None
    statuses = [
        post(api, TOKEN, username=f"guess{n}", password="wrong").status_code for n in range(allowed)
    ]

    assert statuses == [401] * allowed
    assert_error(post(api, TOKEN, username="member", password=GOOD_PASSWORD), 429, "throttled")


def bearer(api: APIClient, key: str) -> APIClient:
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def test_revoking_answers_204_and_the_token_stops_working(api: APIClient, member: Any) -> None:
    token = Token.objects.create(user=member)

    response = bearer(api, token.key).delete(TOKEN)

    assert response.status_code == 204
    assert not Token.objects.filter(user=member).exists()
    assert_error(api.get("/api/bots"), 401, "authentication_failed")


def test_after_revoking_a_password_login_issues_a_new_token(api: APIClient, member: Any) -> None:
    old = Token.objects.create(user=member).key
    bearer(api, old).delete(TOKEN)
    api.credentials()

    new = post(api, TOKEN, username="member", password=GOOD_PASSWORD).json()["token"]

    assert new != old
    assert bearer(api, new).get("/api/bots").status_code == 200


def test_regenerating_returns_a_new_token_and_the_old_one_stops_working(
    api: APIClient, member: Any
) -> None:
    old = Token.objects.create(user=member).key

    response = bearer(api, old).post(REGENERATE)

    assert response.status_code == 200
    new = response.json()["token"]
    assert response.json()["username"] == "member"
    assert new != old
    assert Token.objects.get(user=member).key == new
    assert_error(api.get("/api/bots"), 401, "authentication_failed")
    assert bearer(api, new).get("/api/bots").status_code == 200


def test_a_session_user_can_regenerate_a_token_it_never_had(api: APIClient, member: Any) -> None:
    api.force_login(member)

    response = api.post(REGENERATE)

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=member).key


@pytest.mark.parametrize(("method", "url"), [("delete", TOKEN), ("post", REGENERATE)])
def test_revoking_and_regenerating_need_credentials(
    api: APIClient, member: Any, method: str, url: str
) -> None:
    Token.objects.create(user=member)

    assert_error(getattr(api, method)(url), 401, "not_authenticated")
    assert Token.objects.filter(user=member).count() == 1


def backdate(token: Token, seconds: int) -> None:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(seconds=seconds))


def test_tokens_never_expire_unless_a_lifetime_is_set(api: APIClient, member: Any) -> None:
    token = Token.objects.create(user=member)
    backdate(token, 10 * 365 * 24 * 3600)

    assert bearer(api, token.key).get("/api/bots").status_code == 200


def test_a_token_older_than_the_lifetime_is_refused_as_expired(
    api: APIClient, member: Any, settings: Any
) -> None:
    settings.GAMEARENA_TOKEN_LIFETIME_SECONDS = 3600
    fresh = Token.objects.create(user=member)
    assert bearer(api, fresh.key).get("/api/bots").status_code == 200

    backdate(fresh, 3601)

    error = assert_error(api.get("/api/bots"), 401, "token_expired")
    assert "POST /api/auth/token" in error["message"]


def test_a_password_login_replaces_an_expired_token_and_keeps_a_live_one(
    api: APIClient, member: Any, settings: Any
) -> None:
    settings.GAMEARENA_TOKEN_LIFETIME_SECONDS = 3600
    live = Token.objects.create(user=member)
    backdate(live, 60)
    assert post(api, TOKEN, username="member", password=GOOD_PASSWORD).json()["token"] == live.key

    backdate(live, 3601)
    new = post(api, TOKEN, username="member", password=GOOD_PASSWORD).json()["token"]

    assert new != live.key
    assert bearer(api, new).get("/api/bots").status_code == 200
