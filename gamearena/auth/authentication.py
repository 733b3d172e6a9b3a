"""`Authorization: Bearer <token>` (and DRF's historical `Token <token>`) for the API."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.request import Request

from gamearena.auth.services import token_is_expired

# DRF clients and its own docs send `Token`; the arena documents `Bearer` (RFC 6750).
# Both name the same credential, so both are accepted rather than answering a valid token
# with "credentials were not provided".
ACCEPTED_KEYWORDS = (b"bearer", b"token")


class BearerTokenAuthentication(TokenAuthentication):
    """DRF token authentication with the `Bearer` keyword, `Token` accepted, optional expiry.

    Its `authenticate_header` returns "Bearer", which is what makes DRF answer 401 with a
    WWW-Authenticate header (rather than 403) when credentials are missing or wrong.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in ACCEPTED_KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <token>'."
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("A token is plain ASCII.") from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                "This token has expired; POST /api/auth/token gives a new one.",
                code="token_expired",
            )
        return user, token
