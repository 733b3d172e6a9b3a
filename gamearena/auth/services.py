"""Writes of accounts and API tokens: register, issue, regenerate, revoke.

A user has at most one token (DRF's authtoken model). With
GAMEARENA_TOKEN_LIFETIME_SECONDS set, a token older than that stops authenticating, and
the next password login replaces it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from gamearena.errors import ConflictError, InvalidInputError


class UsernameTakenError(ConflictError):
    code = "username_taken"
    default_message = "That username is already taken."


def token_lifetime() -> timedelta | None:
    seconds: int = getattr(settings, "GAMEARENA_TOKEN_LIFETIME_SECONDS", 0)
    return timedelta(seconds=seconds) if seconds else None


def token_is_expired(token: Token) -> bool:
    lifetime = token_lifetime()
    return lifetime is not None and token.created + lifetime <= timezone.now()


def user_register(*, username: str, password: str) -> Any:
    """Create a user with a token; the username must be free and the password acceptable."""
    try:
        UnicodeUsernameValidator()(username)
    except DjangoValidationError as exc:
        raise InvalidInputError(exc.messages[0], code="invalid_username") from None
    user_model = get_user_model()
    candidate = user_model(username=username)
    try:
        password_validation.validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise InvalidInputError(
            " ".join(exc.messages), code="weak_password", details={"problems": exc.messages}
        ) from None
    try:
        # A savepoint: two racing registrations of one name end in one user and one 409.
        with transaction.atomic():
            user = user_model.objects.create_user(username=username, password=password)
            Token.objects.create(user=user)
    except IntegrityError:
        raise UsernameTakenError() from None
    return user


def token_issue(*, user: Any) -> Token:
    """The token a password login returns: the existing one, or a new one if none or expired."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not token_is_expired(token):
            return token
        return _token_replace(user=user)


def token_regenerate(*, user: Any) -> Token:
    """A new token for the user; the old one stops working at once."""
    with transaction.atomic():
        return _token_replace(user=user)


def token_revoke(*, user: Any) -> None:
    """The user's token stops working; a password login issues a new one. Idempotent."""
    Token.objects.filter(user=user).delete()


def _token_replace(*, user: Any) -> Token:
    # The key is the primary key, so a new key is a new row. Two racing requests for one
    # user both delete, then one insert wins on the unique user column; the loser returns
    # the winner's token instead of failing.
    Token.objects.filter(user=user).delete()
    try:
        with transaction.atomic():
            return Token.objects.create(user=user)
    except IntegrityError:
        return Token.objects.get(user=user)
