"""The stats tests play battles with the battles tests' bots (the cast is tests/cast.py)."""

from __future__ import annotations

from tests.battles.conftest import opponent_bot, owner_bot  # noqa: F401 (fixtures)
