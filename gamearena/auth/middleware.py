"""A session login refused by the failed-login limit answers 429, not the login form again."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gamearena.auth.backends import login_lockout_of

LOCKED_PAGE = (
    "<!doctype html><title>Too many failed logins</title>"
    "<h1>Too many failed logins</h1>"
    "<p>This account or this address failed to log in too often. Try again in {wait} s.</p>"
)


class LoginLockoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        wait = login_lockout_of(request)
        # The API's token view answers its own 429 in the error envelope.
        if not wait or response.status_code == 429:
            return response
        locked = HttpResponse(LOCKED_PAGE.format(wait=wait), status=429)
        locked["Retry-After"] = str(wait)
        return locked
