"""The bots the battles tests play with, and bots that end a game fast; the cast (owner,
opponent, stranger) is tests/cast.py. Battles play in the plain-process sandbox, allowed
explicitly (the `unsafe_sandbox` fixture), so they run on any machine; tests of the bubblewrap
path are marked `bwrap`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

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


@pytest.fixture
def owner_bot(owner: User) -> Bot:
    """`owner/pacman`: v1 crashes on turn 1, v2 (current) answers every turn."""
    bot_submit(owner=owner, name="pacman", code=CRASHER, description="crashes")
    return bot_submit(owner=owner, name="pacman", code=STILL, description="stands still").bot


@pytest.fixture
def opponent_bot(opponent: User) -> Bot:
    """`opponent/ghost`: crashes on turn 1, so battles against it end at once."""
    return bot_submit(owner=opponent, name="ghost", code=CRASHER).bot
