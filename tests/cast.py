"""The cast of the suite (STYLE #11), shared by every app's tests.

- owner: writes bots and is the only one who may see their code, versions, diffs and stderr;
- opponent: another player with a bot of their own (shows up in public listings);
- stranger: a signed-in user with no business with the owner's bots;
- anonymous: nobody signed in.
Each has an API client authenticated the way real clients are: `Authorization: Bearer`. The
fixtures are in tests/conftest.py; each app's conftest adds the bots its tests play with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

# Imports of models wait for the first call: tests/conftest.py loads this module as a plugin,
# before Django has set its apps up.


def make_user(username: str) -> User:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username, password=f"{username}-pass-1234")


def api_client_for(user: User | None) -> APIClient:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client
