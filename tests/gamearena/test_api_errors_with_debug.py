"""Under /api/ the answer is always the error envelope, with DEBUG on as well.

With DEBUG on (how the README's run command serves), Django answers an unknown path with
its debug page listing every route, and a crash with a traceback page. An API client
must get the envelope instead, and learn nothing about the code. Pages outside /api/
keep Django's own behaviour.

This module is also the URLconf of its tests: the real routes plus views that crash.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

pytestmark = [pytest.mark.urls("tests.gamearena.test_api_errors_with_debug"), pytest.mark.django_db]


def plain_crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals of a plain view")


class ApiCrash(APIView):
    def get(self, request: Request) -> Response:
        raise RuntimeError("secret internals of an API view")


urlpatterns = [
    path("api/test/plain-crash", plain_crash),
    path("api/test/api-crash", ApiCrash.as_view()),
    path("page-crash", plain_crash),
    path("", include("gamearena.urls")),
]


@pytest.fixture(autouse=True)
def debug_on(settings: Any) -> None:
    settings.DEBUG = True


@pytest.fixture
def client() -> APIClient:
    return APIClient(raise_request_exception=False)


def envelope(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    return dict(body["error"])


def test_an_unknown_api_path_is_the_404_envelope_not_the_route_list(client: APIClient) -> None:
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert envelope(response) == {
        "code": "not_found",
        "message": "No API endpoint at /api/no-such-thing.",
        "details": {},
    }
    assert b"admin/" not in response.content


def test_a_trailing_slash_hint_survives_debug_mode(client: APIClient) -> None:
    response = client.get("/api/bots/")

    assert response.status_code == 404
    assert "try /api/bots" in envelope(response)["message"]


@pytest.mark.parametrize("url", ["/api/test/plain-crash", "/api/test/api-crash"])
def test_a_crash_under_the_api_is_the_500_envelope_without_a_traceback(
    client: APIClient, url: str
) -> None:
    response = client.get(url)

    assert response.status_code == 500
    assert envelope(response)["code"] == "server_error"
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_a_crash_is_still_logged_with_its_traceback(
    client: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    client.get("/api/test/api-crash")

    errors = [r for r in caplog.records if r.name == "django.request"]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert "secret internals" in str(errors[0].exc_info[1])


def test_a_django_error_page_under_the_api_becomes_the_envelope(client: APIClient) -> None:
    response = client.get("/api/bots/public", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert envelope(response)["code"] == "bad_request"


def test_pages_outside_the_api_keep_djangos_debug_pages(client: APIClient) -> None:
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_browsable_api_still_renders_errors_as_html(client: APIClient) -> None:
    response = client.get("/api/bots", HTTP_ACCEPT="text/html")

    assert response.status_code in {401, 403}
    assert response["Content-Type"].startswith("text/html")
