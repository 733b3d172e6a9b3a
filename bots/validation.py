"""The limits on what a bot may be called and contain, as plain checks.

The API's input serializers and the services both use these functions, so a bot created
by the admin, a management command or a shell obeys the same rules as one sent to the API.
Each check returns the accepted value or raises InvalidInputError with a stable code.
"""

from __future__ import annotations

import re
from typing import Any

from gamearena.errors import InvalidInputError

NAME_MAX_LENGTH = 64
# Names made only of dots ("." and "..") are refused: they would read as path segments
# wherever a bot is named by <owner>/<name>, in URLs, file names and the play command.
NAME_PATTERN = re.compile(r"(?!\.+$)[A-Za-z0-9_.\-]{1,64}")
NAME_RULE = "1 to 64 characters from A-Z, a-z, 0-9, '_', '-' and '.', not only dots"
CODE_MAX_LENGTH = 100_000
DESCRIPTION_MAX_LENGTH = 500

INVALID_NAME = "invalid_name"
INVALID_CODE = "invalid_code"
EMPTY_CODE = "empty_code"
CODE_TOO_LONG = "code_too_long"
INVALID_DESCRIPTION = "invalid_description"
DESCRIPTION_TOO_LONG = "description_too_long"
INVALID_IS_ACTIVE = "invalid_is_active"
INVALID_OWNER = "invalid_owner"
USERNAME_MAX_LENGTH = 150  # Django's User.username


def check_bot_name(value: Any) -> str:
    if not isinstance(value, str) or NAME_PATTERN.fullmatch(value) is None:
        raise InvalidInputError(f"A bot name is {NAME_RULE}.", code=INVALID_NAME)
    return value


def check_bot_code(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInputError("Code must be a string of text.", code=INVALID_CODE)
    if not value.strip():
        raise InvalidInputError("Code must not be empty.", code=EMPTY_CODE)
    if len(value) > CODE_MAX_LENGTH:
        raise InvalidInputError(
            f"Code is {len(value):,} characters long; the limit is {CODE_MAX_LENGTH:,}.",
            code=CODE_TOO_LONG,
            details={"length": len(value), "limit": CODE_MAX_LENGTH},
        )
    _require_storable_text(value, INVALID_CODE, "Code")
    return value


def check_version_description(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInputError("A description must be a string.", code=INVALID_DESCRIPTION)
    if len(value) > DESCRIPTION_MAX_LENGTH:
        raise InvalidInputError(
            f"A description is at most {DESCRIPTION_MAX_LENGTH} characters; got {len(value)}.",
            code=DESCRIPTION_TOO_LONG,
        )
    _require_storable_text(value, INVALID_DESCRIPTION, "A description")
    return value


def check_owner_username(value: Any) -> str:
    """A username to filter by: the empty string names nobody, so it is refused, not ignored."""
    if not isinstance(value, str) or not 1 <= len(value) <= USERNAME_MAX_LENGTH:
        raise InvalidInputError(
            f"owner is a username of 1 to {USERNAME_MAX_LENGTH} characters.", code=INVALID_OWNER
        )
    _require_storable_text(value, INVALID_OWNER, "owner")
    return value


def check_bot_description(value: Any) -> str:
    """A bot's own description follows the same rules as a version's."""
    return check_version_description(value)


def check_is_active(value: Any) -> bool:
    # Only JSON true/false: "false" as a string is truthy in too many clients to guess.
    if not isinstance(value, bool):
        raise InvalidInputError("is_active must be true or false.", code=INVALID_IS_ACTIVE)
    return value


def _require_storable_text(value: str, code: str, what: str) -> None:
    # JSON may carry lone surrogates ("\ud800") that are not UTF-8 text, and NUL, which
    # PostgreSQL text columns refuse: both would otherwise fail deep in the database.
    if "\x00" in value:
        raise InvalidInputError(f"{what} must not contain NUL characters.", code=code)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(f"{what} must be valid UTF-8 text.", code=code) from None
