"""Registration and token retrieval: `api/auth/register` and `api/auth/token`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from gamearena.errors import (
    CheckedCharField,
    ConflictError,
    ErrorEnvelopeSerializer,
    InvalidInputError,
    StrictSerializer,
)
from gamearena.parsers import JSONParser

USERNAME_MAX_LENGTH = 150
# Far above any real password; stops megabyte "passwords" from being hashed.
PASSWORD_MAX_LENGTH = 1024


class UsernameTakenError(ConflictError):
    code = "username_taken"
    default_message = "That username is already taken."


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


class CredentialsSerializer(StrictSerializer):
    username = CheckedCharField(check=check_username, max_length=USERNAME_MAX_LENGTH)
    password = CheckedCharField(
        check=check_password, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"}
    )


class TokenResponseSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    token = serializers.CharField()


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


def _token_body(user: Any) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"username": user.get_username(), "token": token.key}


class AuthApi(APIView):
    """Shared policy: anyone may call, JSON only, and a strict per-client rate limit."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterApi(AuthApi):
    @extend_schema(
        operation_id="auth_register",
        request=CredentialsSerializer,
        responses={
            201: TokenResponseSerializer,
            400: ErrorEnvelopeSerializer,
            409: OpenApiResponse(ErrorEnvelopeSerializer, description="username_taken"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Create an account and return its API token."""
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = user_register(**credentials.validated_data)
        return Response(_token_body(user), status=201)


class TokenApi(AuthApi):
    @extend_schema(
        operation_id="auth_token",
        request=CredentialsSerializer,
        responses={
            200: TokenResponseSerializer,
            400: ErrorEnvelopeSerializer,
            401: OpenApiResponse(ErrorEnvelopeSerializer, description="invalid_credentials"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Exchange a username and password for the user's API token (created if missing)."""
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            raise exceptions.AuthenticationFailed(
                "Unknown username or wrong password.", code="invalid_credentials"
            )
        return Response(_token_body(user))


urlpatterns = [
    path("auth/register", RegisterApi.as_view(), name="auth-register"),
    path("auth/token", TokenApi.as_view(), name="auth-token"),
]
