"""API authentication: `Authorization: Bearer <token>`, plus the register/token routes.

Tokens are DRF's authtoken tokens (one per user) sent with the standard `Bearer` scheme
instead of DRF's historical `Token` keyword.

This package is named twice in the configuration: REST_FRAMEWORK's
DEFAULT_AUTHENTICATION_CLASSES imports `BearerTokenAuthentication` from here, and
gamearena/urls.py includes it as a URLconf. DRF resolves the authentication setting while
`rest_framework.views` is still being imported, so this module must not import views at
import time (that is a circular import); `urlpatterns` is therefore loaded on first use
from gamearena/auth/apis.py.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """DRF token authentication with the RFC 6750 `Bearer` keyword.

    Its `authenticate_header` returns "Bearer", which is what makes DRF answer 401 with a
    WWW-Authenticate header (rather than 403) when credentials are missing or wrong.
    """

    keyword = "Bearer"


def __getattr__(name: str) -> Any:
    if name == "urlpatterns":
        from gamearena.auth.apis import urlpatterns

        return urlpatterns
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
