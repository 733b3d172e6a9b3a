"""Domain errors of the battles app; each code is part of the API contract (gamearena/errors.py)."""

from __future__ import annotations

from gamearena.errors import DomainError, NotFoundError


class BattleNotFoundError(NotFoundError):
    code = "battle_not_found"
    default_message = "Battle not found."


class BattleSeatError(DomainError):
    """A seat that cannot be played. Instances say why with their code and status: the bot
    does not exist (404), is not active (409), or neither bot is the caller's (403)."""

    code = "invalid_seat"
    status_code = 400
    default_message = "This bot cannot take a seat in a battle."

    def __init__(self, message: str, *, code: str, status_code: int) -> None:
        super().__init__(message, code=code)
        self.status_code = status_code


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


class BattleExpiredError(DomainError):
    code = "battle_expired"
    status_code = 410
    default_message = "This live battle outlived its TTL: nobody played it in time."


class TurnConflictError(DomainError):
    """A command for a turn that is not the one awaited: already played, sent twice, or not
    open yet. Never applied."""

    code = "turn_conflict"
    status_code = 409
    default_message = "This turn is not the one the battle awaits."


class BattleOverError(DomainError):
    code = "battle_over"
    status_code = 409
    default_message = "This battle is over: GET its summary."


class TooManyLiveBattlesError(DomainError):
    code = "too_many_live_battles"
    status_code = 429
    default_message = "Too many live battles are running."
