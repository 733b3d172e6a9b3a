"""The cast of the bots tests (STYLE #11).

- owner: writes bots and is the only one who may see their code, versions and diffs;
- opponent: another player with a bot of their own (shows up in public listings);
- stranger: a signed-in user with no business with the owner's bots;
- anonymous: nobody signed in.
Each has an API client authenticated the way real clients are: `Authorization: Bearer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bots.models import Bot
from bots.services import bot_submit
from tests.bots.support import CODE_V1, CODE_V2, CODE_V3

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def make_user(username: str) -> User:
    return get_user_model().objects.create_user(username=username, password=f"{username}-pass-1234")


def api_client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


@pytest.fixture
def owner(db: None) -> User:
    return make_user("owner")


@pytest.fixture
def opponent(db: None) -> User:
    return make_user("opponent")


@pytest.fixture
def stranger(db: None) -> User:
    return make_user("stranger")


@pytest.fixture
def owner_api(owner: User) -> APIClient:
    return api_client_for(owner)


@pytest.fixture
def stranger_api(stranger: User) -> APIClient:
    return api_client_for(stranger)


@pytest.fixture
def anonymous_api(db: None) -> APIClient:
    return api_client_for(None)


@pytest.fixture
def owner_bot(owner: User) -> Bot:
    """The owner's bot `pacman` with three versions; v3 is current."""
    bot_submit(owner=owner, name="pacman", code=CODE_V1, description="first steps")
    bot_submit(owner=owner, name="pacman", code=CODE_V2, description="chase pellets")
    return bot_submit(owner=owner, name="pacman", code=CODE_V3, description="avoid ghosts").bot


@pytest.fixture
def opponent_bot(opponent: User) -> Bot:
    return bot_submit(owner=opponent, name="ghostbuster", code=CODE_V1).bot
