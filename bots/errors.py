"""Domain errors of the bots app; each code is part of the API contract (gamearena/errors.py)."""

from __future__ import annotations

from gamearena.errors import NotFoundError


class BotNotFoundError(NotFoundError):
    # Also raised for bots that exist but belong to someone else: the API never confirms
    # that another user's private bot exists.
    code = "not_found"
    default_message = "Bot not found."


class BotVersionNotFoundError(NotFoundError):
    code = "version_not_found"
    default_message = "This bot has no such version."
