"""The cast of the battles tests (STYLE #11), and bots that end a game fast.

- owner: has the bot `pacman`; may request battles with it and read its seats' stderr;
- opponent: another player, with the bot `ghost`;
- stranger: signed in, owns nothing in these battles.
Battles play in the plain-process sandbox, allowed explicitly, so they run on any machine;
tests of the bubblewrap path are marked `bwrap`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bots.models import Bot
from bots.services import bot_submit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Reads the first turn, prints a line on stderr and exits 3: the game ends on turn 1.
CRASHER = (
    "import sys\n"
    "for _ in range(200):\n"
    "    line = sys.stdin.readline()\n"
    "    if line.strip().isdigit():\n"
    "        break\n"
    "print('Traceback (most recent call last):', file=sys.stderr)\n"
    "print('ZeroDivisionError: division by zero', file=sys.stderr)\n"
    "raise SystemExit(3)\n"
)
# Answers every turn with a valid WAIT-like move of pac 0 to where it stands: never faults.
STILL = (
    "import sys\n"
    "width, height = map(int, input().split())\n"
    "for _ in range(height):\n"
    "    input()\n"
    "while True:\n"
    "    input()\n"
    "    mine = None\n"
    "    for _ in range(int(input())):\n"
    "        pac, is_mine, x, y, *_ = input().split()\n"
    "        if is_mine == '1' and mine is None:\n"
    "            mine = (pac, x, y)\n"
    "    for _ in range(int(input())):\n"
    "        input()\n"
    "    print(f'MOVE {mine[0]} {mine[1]} {mine[2]}', flush=True)\n"
)


def make_user(username: str) -> User:
    return get_user_model().objects.create_user(username=username, password=f"{username}-pass-1234")


def api_client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


@pytest.fixture
def unsafe_sandbox(settings: Any) -> None:
    """The plain-process mode, allowed explicitly: runs on any machine, bubblewrap or not."""
    settings.GAMEARENA = {
        **settings.GAMEARENA,
        "SANDBOX_MODE": "none",
        "ALLOW_UNSAFE_SANDBOX": True,
    }


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
def opponent_api(opponent: User) -> APIClient:
    return api_client_for(opponent)


@pytest.fixture
def stranger_api(stranger: User) -> APIClient:
    return api_client_for(stranger)


@pytest.fixture
def anonymous_api(db: None) -> APIClient:
    return api_client_for(None)


@pytest.fixture
def owner_bot(owner: User) -> Bot:
    """`owner/pacman`: v1 crashes on turn 1, v2 (current) answers every turn."""
    bot_submit(owner=owner, name="pacman", code=CRASHER, description="crashes")
    return bot_submit(owner=owner, name="pacman", code=STILL, description="stands still").bot


@pytest.fixture
def opponent_bot(opponent: User) -> Bot:
    """`opponent/ghost`: crashes on turn 1, so battles against it end at once."""
    return bot_submit(owner=opponent, name="ghost", code=CRASHER).bot
