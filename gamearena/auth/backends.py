"""Django's model backend with the failed-login limit in front of it (see limits.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gamearena.auth.limits import (
    login_failure_record,
    login_failures_clear,
    login_lockout_seconds,
)
from gamearena.throttling import client_address

# Set on the HttpRequest of a refused login, for LoginLockoutMiddleware and TokenApi.
LOCKOUT_ATTRIBUTE = "gamearena_login_lockout_seconds"


def login_lockout_of(request: HttpRequest) -> int:
    return int(getattr(request, LOCKOUT_ATTRIBUTE, 0))


class LoginLimitedModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        # Without a request the caller is code in this process (shell, tests' login()),
        # not a client: nothing to limit.
        if request is None or not isinstance(username, str) or password is None:
            return super().authenticate(request, username, password, **kwargs)
        address = client_address(request)
        wait = login_lockout_seconds(username=username, address=address)
        if wait:
            setattr(request, LOCKOUT_ATTRIBUTE, wait)
            # PermissionDenied stops Django trying any other backend: no hash is computed.
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failure_record(username=username, address=address)
        else:
            login_failures_clear(username=username)
        return user
