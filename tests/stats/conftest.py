"""The stats tests play battles with the battles tests' cast."""

from __future__ import annotations

from tests.battles.conftest import (  # noqa: F401 (fixtures)
    anonymous_api,
    make_user,
    opponent,
    opponent_bot,
    owner,
    owner_bot,
    unsafe_sandbox,
)
