"""Domain errors of the battles app; each code is part of the API contract (gamearena/errors.py)."""

from __future__ import annotations

from gamearena.errors import DomainError, NotFoundError


class BattleNotFoundError(NotFoundError):
    code = "battle_not_found"
    default_message = "Battle not found."


class BattleSeatError(DomainError):
    """A seat that cannot be played: unknown bot, inactive bot, none of the caller's bots."""

    code = "invalid_seat"
    status_code = 400
    default_message = "This bot cannot take a seat in a battle."


class TooManyOpenBattlesError(DomainError):
    code = "too_many_open_battles"
    status_code = 429
    default_message = "Too many of your battles are waiting or running."


class BattleNotCancellableError(DomainError):
    code = "not_cancellable"
    status_code = 409
    default_message = "This battle cannot be cancelled."


class NotYourBattleError(DomainError):
    code = "not_your_battle"
    status_code = 403
    default_message = "Only who requested this battle may do that."


class LeaseLostError(Exception):
    """The attempt playing a battle no longer holds its lease: it must stop, recording nothing."""
