"""Request-wide guarantees of the API that no single view can give.

- `RejectNulMiddleware`: a NUL character in the URL path, the query string or a header is
  refused before any view or authentication sees it. PostgreSQL cannot store or compare
  text holding NUL, so such input used to end in a 500 wherever it reached a query (a token
  lookup, a session lookup, a name filter). Bodies are checked by gamearena.parsers.
- `ApiEnvelopeMiddleware`: under /api/ every error answer is the error envelope, even those
  Django itself renders as HTML: with DEBUG on, an unknown path gets the debug page listing
  every route and a crash gets a traceback page, neither of which an API client should see.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from rest_framework.response import Response

from gamearena.errors import (
    NOT_FOUND,
    SERVER_ERROR,
    api_not_found_response,
    error_body,
    is_api_request,
)
from gamearena.parsers import NUL_CHARACTER

# Headers are in META as HTTP_*, except these two (the WSGI/ASGI convention).
PLAIN_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")

# The codes an API client gets for errors Django answers before or around DRF.
STATUS_CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: NOT_FOUND,
    405: "method_not_allowed",
    413: "body_too_large",
    500: SERVER_ERROR,
}


def nul_in(request: HttpRequest) -> tuple[str, str] | None:
    """(where, name) of the first NUL in the path, query string, headers or cookies."""
    if "\x00" in request.path or "\x00" in request.path_info:
        return "path", ""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return "query", name.replace("\x00", "\\0")
    for key, value in request.META.items():
        if (key.startswith("HTTP_") or key in PLAIN_HEADERS) and "\x00" in str(value):
            return "header", key.removeprefix("HTTP_").replace("_", "-").title()
    # Cookie values may arrive quoted ("\\000") and are unquoted into NUL by Django.
    for name, value in request.COOKIES.items():
        if "\x00" in name or "\x00" in value:
            return "header", "Cookie"
    return None


def status_phrase(status: int) -> str:
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "The request failed."


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = nul_in(request)
        if found is None:
            return self.get_response(request)
        where, name = found
        if not is_api_request(request):
            return HttpResponseBadRequest("NUL characters are not allowed.")
        if where == "header" and name == "Authorization":
            # Credentials that cannot be valid: the same answer as any other bad token.
            body = error_body("authentication_failed", "Invalid token header: it contains NUL.")
            response = JsonResponse(body, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        message = f"The {where} must not contain the NUL character (U+0000)."
        details = {"where": where, **({"name": name} if name else {})}
        return JsonResponse(error_body(NUL_CHARACTER, message, details), status=400)


class ApiEnvelopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api_request(request)
            # DRF's responses already carry the envelope (as HTML in the browsable API).
            or isinstance(response, Response)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        # Django rendered this one itself (a debug page, a CSRF failure page...).
        replacement = envelope_for(request, response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        # Django has logged the error already and marks a response it logged so that it is
        # not logged again on the way out; the replacement must carry that mark, or every
        # such error would be logged twice.
        replacement._has_been_logged = getattr(  # type: ignore[attr-defined]
            response, "_has_been_logged", False
        )
        return replacement


def envelope_for(request: HttpRequest, status: int) -> HttpResponse:
    if status == 404:
        return api_not_found_response(request)
    code = STATUS_CODES.get(status, f"http_{status}")
    return JsonResponse(error_body(code, status_phrase(status)), status=status)
