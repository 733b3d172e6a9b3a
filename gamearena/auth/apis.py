"""Registration and tokens: `api/auth/register`, `api/auth/token`, `api/auth/token/regenerate`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, password_validation
from django.core.validators import RegexValidator
from django.utils.functional import lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gamearena.auth.backends import login_lockout_of
from gamearena.auth.services import token_issue, token_regenerate, token_revoke, user_register
from gamearena.errors import (
    CheckedCharField,
    ErrorEnvelopeSerializer,
    InvalidInputError,
    StrictSerializer,
)
from gamearena.parsers import JSONParser
from gamearena.throttling import SharedScopedRateThrottle

USERNAME_MAX_LENGTH = 150
# Far above any real password; stops megabyte "passwords" from being hashed.
PASSWORD_MAX_LENGTH = 1024
TOO_MANY_FAILED_LOGINS = "too_many_failed_logins"

THROTTLED = OpenApiResponse(
    ErrorEnvelopeSerializer,
    description="throttled: too many requests from this address (the `auth` rate); "
    "Retry-After says when to try again.",
)
LOGIN_THROTTLED = OpenApiResponse(
    ErrorEnvelopeSerializer,
    description="throttled: too many requests from this address; or too_many_failed_logins: "
    "this account or address failed to log in too often. Retry-After says when to try again.",
)


def check_username(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= USERNAME_MAX_LENGTH:
        raise InvalidInputError(
            f"A username is a string of 1 to {USERNAME_MAX_LENGTH} characters.",
            code="invalid_username",
        )
    return value


def check_password(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= PASSWORD_MAX_LENGTH:
        raise InvalidInputError(
            f"A password is a string of 1 to {PASSWORD_MAX_LENGTH} characters.",
            code="invalid_password",
        )
    return value


def _password_rules() -> str:
    # Read from AUTH_PASSWORD_VALIDATORS when the schema is built, so the documented rules
    # are the ones the server enforces.
    rules = " ".join(password_validation.password_validators_help_texts())
    return (
        f"{rules} At most {PASSWORD_MAX_LENGTH} characters. "
        "A password that breaks a rule is refused with weak_password, listing the problems."
    )


class CredentialsSerializer(StrictSerializer):
    username = CheckedCharField(check=check_username, max_length=USERNAME_MAX_LENGTH)
    password = CheckedCharField(
        check=check_password, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"}
    )


# What the schema can say of the rules (the validators below are read for the schema only;
# user_register enforces the rules): a username's characters, and a password of 8 characters or
# more that is not all digits and holds no NUL. "Not common" and "not like the username" are
# rules no schema can state; the description lists them.
USERNAME_SCHEMA = RegexValidator(r"^[\w.@+-]+$")
PASSWORD_SCHEMA = RegexValidator(r"^(?!\d+$)[^\u0000]{8,}$")


class RegistrationSerializer(CredentialsSerializer):
    username = CheckedCharField(
        check=check_username,
        max_length=USERNAME_MAX_LENGTH,
        validators=[USERNAME_SCHEMA],
        help_text="Letters, digits and @ . + - _ only.",
    )
    password = CheckedCharField(
        check=check_password,
        min_length=8,
        max_length=PASSWORD_MAX_LENGTH,
        validators=[PASSWORD_SCHEMA],
        style={"input_type": "password"},
        help_text=lazy(_password_rules, str)(),
    )


class TokenResponseSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    token = serializers.CharField()


def _token_body(token: Token) -> dict[str, str]:
    return {"username": token.user.get_username(), "token": token.key}


class AuthApi(APIView):
    """Shared policy: JSON only, and a strict per-client rate limit shared by all workers."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [SharedScopedRateThrottle]
    throttle_scope = "auth"


class RegisterApi(AuthApi):
    @extend_schema(
        operation_id="auth_register",
        request=RegistrationSerializer,
        responses={
            201: TokenResponseSerializer,
            400: OpenApiResponse(
                ErrorEnvelopeSerializer,
                description="weak_password (details.problems lists the broken rules), "
                "invalid_username, invalid_password, ...",
            ),
            409: OpenApiResponse(ErrorEnvelopeSerializer, description="username_taken"),
            429: THROTTLED,
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Create an account and return its API token."""
        credentials = RegistrationSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = user_register(**credentials.validated_data)
        return Response(_token_body(token_issue(user=user)), status=201)


class TokenApi(AuthApi):
    def get_permissions(self) -> list[BasePermission]:
        # Logging in needs no credentials; revoking needs the token (or session) to revoke.
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(
        operation_id="auth_token",
        request=CredentialsSerializer,
        responses={
            200: TokenResponseSerializer,
            400: ErrorEnvelopeSerializer,
            401: OpenApiResponse(ErrorEnvelopeSerializer, description="invalid_credentials"),
            429: LOGIN_THROTTLED,
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Exchange a username and password for the user's API token.

        The existing token is returned; a new one is made if the user has none or, with a
        token lifetime configured, if it has expired.
        """
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            wait = login_lockout_of(request._request)
            if wait:
                raise exceptions.Throttled(
                    wait=wait,
                    detail="Too many failed logins for this account or address.",
                    code=TOO_MANY_FAILED_LOGINS,
                )
            raise exceptions.AuthenticationFailed(
                "Unknown username or wrong password.", code="invalid_credentials"
            )
        return Response(_token_body(token_issue(user=user)))

    @extend_schema(
        operation_id="auth_token_revoke",
        request=None,
        responses={
            204: OpenApiResponse(description="The token no longer works."),
            401: ErrorEnvelopeSerializer,
            429: THROTTLED,
        },
    )
    def delete(self, request: Request) -> Response:
        """Revoke the caller's API token; POST /api/auth/token issues a new one."""
        token_revoke(user=request.user)
        return Response(status=204)


class TokenRegenerateApi(AuthApi):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_token_regenerate",
        request=None,
        responses={200: TokenResponseSerializer, 401: ErrorEnvelopeSerializer, 429: THROTTLED},
    )
    def post(self, request: Request) -> Response:
        """Replace the caller's API token with a new one; the old one stops working at once."""
        return Response(_token_body(token_regenerate(user=request.user)))
