"""The bots the bots tests play with; the cast (owner, opponent, stranger) is tests/cast.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bots.models import Bot
from bots.services import bot_submit
from tests.bots.support import CODE_V1, CODE_V2, CODE_V3

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@pytest.fixture
def owner_bot(owner: User) -> Bot:
    """The owner's bot `pacman` with three versions; v3 is current."""
    bot_submit(owner=owner, name="pacman", code=CODE_V1, description="first steps")
    bot_submit(owner=owner, name="pacman", code=CODE_V2, description="chase pellets")
    return bot_submit(owner=owner, name="pacman", code=CODE_V3, description="avoid ghosts").bot


@pytest.fixture
def opponent_bot(opponent: User) -> Bot:
    return bot_submit(owner=opponent, name="ghostbuster", code=CODE_V1).bot
