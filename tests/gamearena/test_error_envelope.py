"""The one error envelope, pinned (STYLE #5).

Every failure an API client can meet is answered as

    {"error": {"code": <stable str>, "message": <str>, "details": <object>}}

This module pins that shape and each code the handler itself produces, using small
views defined here (this module is also their URLconf) so that every path through
gamearena.errors is exercised, independently of the product's endpoints.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import connection, transaction
from django.http import Http404
from django.urls import include, path
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from gamearena.errors import DomainError, exception_handler

pytestmark = [pytest.mark.urls("tests.gamearena.test_error_envelope"), pytest.mark.django_db]


class ExampleConflict(DomainError):
    code = "example_conflict"
    status_code = 409
    default_message = "It clashes."


class TwoFields(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=3)
    size = serializers.IntegerField()


class OncePerHour(SimpleRateThrottle):
    rate = "1/hour"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return "envelope-test"


FAILURES: dict[str, Exception] = {
    "domain": ExampleConflict(details={"with": "something"}),
    "domain-message": ExampleConflict("Custom words.", code="example_other"),
    "http404": Http404("secret internals"),
    "drf404": exceptions.NotFound(),
    "django403": DjangoPermissionDenied(),
    "drf403": exceptions.PermissionDenied(),
    "list-validation": exceptions.ValidationError(["Whole body is wrong."], code="bad_body"),
    "not-acceptable": exceptions.NotAcceptable(),
}


class FailApi(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    def get(self, request: Request, kind: str) -> Response:
        raise FAILURES[kind]

    def post(self, request: Request, kind: str) -> Response:
        if kind == "validate":
            TwoFields(data=request.data).is_valid(raise_exception=True)
        if kind == "parse":
            raise exceptions.ParseError("Could not read it.")
        return Response(request.data)


class PrivateApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({})


class ThrottledApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OncePerHour]

    def get(self, request: Request) -> Response:
        return Response({})


class CrashApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise RuntimeError("a bug with secret details")


urlpatterns = [
    path("api/fail/<str:kind>", FailApi.as_view()),
    path("api/private", PrivateApi.as_view()),
    path("api/throttled", ThrottledApi.as_view()),
    path("api/crash", CrashApi.as_view()),
    path("api/", include("bots.urls")),
]
handler404 = "gamearena.errors.handler404"
handler500 = "gamearena.errors.handler500"


def envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"]
    assert list(body["error"]) == ["code", "message", "details"]
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return dict(body["error"])


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_a_domain_error_carries_its_status_code_message_and_details(api: APIClient) -> None:
    error = envelope(api.get("/api/fail/domain"), 409, "example_conflict")

    assert error == {
        "code": "example_conflict",
        "message": "It clashes.",
        "details": {"with": "something"},
    }


def test_a_domain_error_may_override_its_message_and_code(api: APIClient) -> None:
    error = envelope(api.get("/api/fail/domain-message"), 409, "example_other")

    assert error["message"] == "Custom words."


@pytest.mark.parametrize("kind", ["http404", "drf404"])
def test_not_found_is_not_found_and_does_not_echo_internals(api: APIClient, kind: str) -> None:
    error = envelope(api.get(f"/api/fail/{kind}"), 404, "not_found")

    assert "secret" not in error["message"]


@pytest.mark.parametrize("kind", ["django403", "drf403"])
def test_forbidden_is_permission_denied(api: APIClient, kind: str) -> None:
    envelope(api.get(f"/api/fail/{kind}"), 403, "permission_denied")


def test_one_kind_of_validation_problem_gives_its_own_code(api: APIClient) -> None:
    error = envelope(
        api.post("/api/fail/validate", {"name": "abcd", "size": 1}, format="json"),
        400,
        "max_length",
    )

    assert error["message"].startswith("name: ")
    assert error["details"] == {
        "fields": {
            "name": [{"message": error["message"].removeprefix("name: "), "code": "max_length"}]
        }
    }


def test_several_kinds_of_validation_problems_give_validation_error_listing_all(
    api: APIClient,
) -> None:
    error = envelope(
        api.post("/api/fail/validate", {"name": "abcd"}, format="json"), 400, "validation_error"
    )

    assert set(error["details"]["fields"]) == {"name", "size"}
    assert error["details"]["fields"]["size"][0]["code"] == "required"
    assert "(and 1 more problem)" in error["message"]


def test_a_body_level_validation_error_is_reported_under_non_field_errors(api: APIClient) -> None:
    error = envelope(api.get("/api/fail/list-validation"), 400, "bad_body")

    assert error["details"] == {
        "fields": {"non_field_errors": [{"message": "Whole body is wrong.", "code": "bad_body"}]}
    }
    assert error["message"] == "Whole body is wrong."


def test_broken_json_is_malformed_json(api: APIClient) -> None:
    envelope(
        api.post("/api/fail/echo", "{nope", content_type="application/json"), 400, "malformed_json"
    )


def test_a_parse_error_outside_json_is_malformed_body(api: APIClient) -> None:
    response = api.post("/api/fail/parse", "x", content_type="application/x-www-form-urlencoded")

    envelope(response, 400, "malformed_body")


def test_a_body_of_another_media_type_is_unsupported_media_type(api: APIClient) -> None:
    envelope(
        api.post("/api/fail/echo", "name=x", content_type="text/plain"),
        415,
        "unsupported_media_type",
    )


def test_missing_credentials_are_401_not_authenticated_with_a_bearer_challenge(
    api: APIClient,
) -> None:
    response = api.get("/api/private")

    envelope(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_wrong_token_is_401_authentication_failed(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Bearer 0000000000000000000000000000000000000000")

    envelope(api.get("/api/private"), 401, "authentication_failed")


def test_a_wrong_method_is_405_listing_the_allowed_methods(api: APIClient) -> None:
    response = api.delete("/api/fail/echo")

    error = envelope(response, 405, "method_not_allowed")
    assert set(error["details"]["allowed_methods"]) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert "GET" in response["Allow"]


def test_an_unservable_accept_header_is_406(api: APIClient) -> None:
    response = api.get("/api/fail/not-acceptable", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"


def test_throttling_is_429_with_retry_after_in_header_and_details(api: APIClient) -> None:
    assert api.get("/api/throttled").status_code == 200

    response = api.get("/api/throttled")

    error = envelope(response, 429, "throttled")
    assert int(response["Retry-After"]) == error["details"]["retry_after_seconds"] > 0


def test_an_unknown_api_url_is_a_json_404(api: APIClient) -> None:
    envelope(api.get("/api/no-such-thing"), 404, "not_found")


def test_a_trailing_slash_404_names_the_route_without_it(api: APIClient) -> None:
    error = envelope(api.get("/api/bots/"), 404, "not_found")

    assert "try /api/bots" in error["message"]


def test_a_404_outside_the_api_stays_an_html_page(api: APIClient) -> None:
    response = api.get("/no-such-page")

    assert response.status_code == 404
    assert "application/json" not in response["Content-Type"]


def test_a_crash_is_a_json_500_that_leaks_nothing() -> None:
    client = APIClient(raise_request_exception=False)

    error = envelope(client.get("/api/crash"), 500, "server_error")

    assert "secret" not in error["message"]


def test_handled_errors_roll_back_atomic_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)

    with transaction.atomic():
        exception_handler(ExampleConflict(), {})
        assert connection.get_rollback() is True
        connection.set_rollback(False)


def test_unknown_exceptions_are_left_to_django(api: APIClient) -> None:
    assert exception_handler(RuntimeError("bug"), {}) is None


def test_a_body_over_the_upload_limit_is_413_body_too_large(api: APIClient, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = api.post("/api/fail/echo", {"padding": "x" * 200}, format="json")

    envelope(response, 413, "body_too_large")
