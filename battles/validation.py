"""Checks of battle inputs: each returns the accepted value or raises InvalidInputError with a
stable code (the same pattern as bots/validation.py)."""

from __future__ import annotations

import re
from typing import Any

from battles.services import SEED_RANGE
from gamearena.errors import InvalidInputError

HOUSE_REF = re.compile(r"^house:[a-z_]{1,64}$")
MAX_ID = 2**63 - 1
INVALID_BOTS = "invalid_bots"
INVALID_SEED = "invalid_seed"
BOT_REF_RULE = 'a bot id (a positive integer) or "house:<name>"'


def check_bot_ref(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return value
    if isinstance(value, str) and HOUSE_REF.match(value):
        return value
    raise InvalidInputError(f"Each bot is {BOT_REF_RULE}.", code=INVALID_BOTS)


def check_bot_refs(value: Any) -> tuple[int | str, int | str]:
    if not isinstance(value, list) or len(value) != 2:
        raise InvalidInputError(
            f"bots must be a list of exactly two items, each {BOT_REF_RULE}.", code=INVALID_BOTS
        )
    return check_bot_ref(value[0]), check_bot_ref(value[1])


def check_seed(value: Any) -> int:
    low, high = SEED_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise InvalidInputError("seed must be a signed 64-bit integer.", code=INVALID_SEED)
