"""The one error envelope of the API, and the domain errors that feed it (STYLE #5).

Every failed API request answers with

    {"error": {"code": "<stable_code>", "message": "<for humans>", "details": {...}}}

`code` is part of the API contract: clients branch on it, so a code is never renamed.
`message` is for people and may be reworded. `details` is always an object (empty when
there is nothing to add); validation failures list every problem per field under
`details.fields` as `[{"message": ..., "code": ...}]`.

Services, selectors and models raise `DomainError` subclasses and know nothing of HTTP
beyond the status class attribute; `exception_handler` (installed as DRF's
EXCEPTION_HANDLER) turns those, DRF's own exceptions and Django's Http404 /
PermissionDenied into the envelope. `handler404` / `handler500` do the same for requests
under /api/ that never reach a DRF view (unknown URL, crash outside a view).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import SkipField, empty
from rest_framework.response import Response
from rest_framework.settings import api_settings

API_PREFIX = "/api/"

# Codes used by the handler itself; domain codes live next to the errors that raise them.
VALIDATION_ERROR = "validation_error"
MALFORMED_JSON = "malformed_json"
MALFORMED_BODY = "malformed_body"
NOT_FOUND = "not_found"
SERVER_ERROR = "server_error"
MISSING_FIELD = "missing_field"
UNKNOWN_FIELD = "unknown_field"
BODY_NOT_OBJECT = "body_not_object"


class DomainError(Exception):
    """An expected failure with a stable code, raised below the API layer.

    Subclasses set `code`, `status_code` and `default_message`; an instance may override
    the message, the code (for a family of related failures) and add details.
    """

    code: str = "error"
    status_code: int = 400
    default_message: str = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = dict(details or {})
        super().__init__(self.message)


class InvalidInputError(DomainError):
    code = VALIDATION_ERROR
    status_code = 400
    default_message = "The input is not valid."


class NotFoundError(DomainError):
    code = NOT_FOUND
    status_code = 404
    default_message = "Not found."


class ConflictError(DomainError):
    code = "conflict"
    status_code = 409
    default_message = "The request conflicts with the current state."


class RequestBodyTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "body_too_large"
    default_detail = "The request body is larger than this server accepts."


# --- Input strictness ----------------------------------------------------------------
# DRF's stock fields coerce (a JSON number 7 becomes the name "7") and report generic codes
# ("blank", "max_length"); the API promises field-specific codes instead, so input fields
# delegate their whole check to one plain function that raises InvalidInputError. The
# stock field's keyword arguments (max_length, ...) still describe the field in the schema.


class CheckedFieldMixin:
    required: bool
    check: Callable[[Any], Any]

    def run_validation(self, data: Any = empty) -> Any:
        if data is empty:
            if self.required:
                raise exceptions.ValidationError("This field is required.", code=MISSING_FIELD)
            raise SkipField()
        try:
            return self.check(data)
        except InvalidInputError as exc:
            raise exceptions.ValidationError(exc.message, code=exc.code) from None


class CheckedCharField(CheckedFieldMixin, serializers.CharField):
    def __init__(self, *, check: Callable[[Any], str], **kwargs: Any) -> None:
        self.check = check
        super().__init__(**kwargs)


class CheckedBooleanField(CheckedFieldMixin, serializers.BooleanField):
    def __init__(self, *, check: Callable[[Any], bool], **kwargs: Any) -> None:
        self.check = check
        super().__init__(**kwargs)


class CheckedIntegerField(CheckedFieldMixin, serializers.IntegerField):
    def __init__(self, *, check: Callable[[Any], int], **kwargs: Any) -> None:
        self.check = check
        super().__init__(**kwargs)


def query_int_check(name: str, minimum: int, maximum: int) -> Callable[[Any], int]:
    """The check of a whole-number query parameter: in range, or invalid_<name>."""

    def check(value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = minimum - 1
        if not minimum <= number <= maximum:
            raise InvalidInputError(
                f"{name} must be a whole number from {minimum} to {maximum}.",
                code=f"invalid_{name}",
            )
        return number

    return check


class StrictSerializer(serializers.Serializer[Any]):
    """Input serializer: the body must be a JSON object and every key a declared field.

    Unknown keys are errors rather than silently ignored, so a typo such as "descripton"
    is reported instead of dropped.
    """

    def run_validation(self, data: Any = empty) -> Any:
        if not isinstance(data, Mapping):
            raise exceptions.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        ErrorDetail("The request body must be a JSON object.", code=BODY_NOT_OBJECT)
                    ]
                }
            )
        errors: dict[str, Any] = {}
        value: Any = None
        try:
            value = super().run_validation(data)
        except exceptions.ValidationError as exc:
            detail = exc.detail
            errors = (
                dict(detail)
                if isinstance(detail, dict)
                else {api_settings.NON_FIELD_ERRORS_KEY: detail}
            )
        for key in data:
            if key not in self.fields:
                errors[str(key)] = [ErrorDetail("Unknown field.", code=UNKNOWN_FIELD)]
        if errors:
            raise exceptions.ValidationError(errors)
        return value


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    details = serializers.DictField(help_text="Extra data; `fields` for validation errors.")


class ErrorEnvelopeSerializer(serializers.Serializer[Any]):
    """Schema of every error response (documentation only)."""

    error = ErrorSerializer()


# --- The handler ----------------------------------------------------------------------


def set_rollback() -> None:
    # As DRF's own handler does: a handled error must still roll back ATOMIC_REQUESTS.
    # (Not imported from rest_framework.views: models import this module, and importing
    # DRF's views while apps load would be a circular import through the auth settings.)
    for db in connections.all(initialized_only=True):
        if db.settings_dict["ATOMIC_REQUESTS"] and db.in_atomic_block:
            db.set_rollback(True)


def error_body(code: str, message: str, details: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": dict(details or {})}}


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every known failure becomes the envelope; others stay 500s."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        # Raised by Django when DRF reads a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
        exc = RequestBodyTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let Django log it and answer 500 (handler500 below)
    code, message, details = _describe(exc, context)
    set_rollback()
    return Response(
        error_body(code, message, details), status=exc.status_code, headers=_headers(exc)
    )


def _headers(exc: exceptions.APIException) -> dict[str, str]:
    headers = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(math.ceil(wait))
    return headers


def _describe(
    exc: exceptions.APIException, context: Mapping[str, Any]
) -> tuple[str, str, dict[str, Any]]:
    if isinstance(exc, exceptions.ValidationError):
        return _describe_validation(exc)
    if isinstance(exc, exceptions.ParseError):
        return _parse_error_code(context), str(exc.detail), {}
    details: dict[str, Any] = {}
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        details["retry_after_seconds"] = math.ceil(wait)
    if isinstance(exc, exceptions.MethodNotAllowed) and context.get("view") is not None:
        details["allowed_methods"] = list(context["view"].allowed_methods)
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    return code, str(exc.detail), details


def _parse_error_code(context: Mapping[str, Any]) -> str:
    # The API parses JSON only; the distinction matters for the browsable API's forms.
    request = context.get("request")
    content_type = getattr(request, "content_type", "") or ""
    media_type = content_type.split(";")[0].strip().lower()
    is_json = media_type == "application/json" or media_type.endswith("+json")
    return MALFORMED_JSON if is_json else MALFORMED_BODY


def _describe_validation(exc: exceptions.ValidationError) -> tuple[str, str, dict[str, Any]]:
    """One specific code when every problem shares it, else the generic validation_error."""
    full = exc.get_full_details()
    fields = full if isinstance(full, dict) else {api_settings.NON_FIELD_ERRORS_KEY: full}
    problems = list(_flatten(fields))
    if not problems:
        return VALIDATION_ERROR, "The input is not valid.", {"fields": fields}
    codes = {code for _, _, code in problems}
    code = codes.pop() if len(codes) == 1 else VALIDATION_ERROR
    path, message, _ = problems[0]
    if path and path != api_settings.NON_FIELD_ERRORS_KEY:
        message = f"{path}: {message}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return code, message, {"fields": fields}


def _flatten(node: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(field path, message, code) for every leaf of DRF's nested full details."""
    if isinstance(node, dict) and set(node) == {"message", "code"}:
        yield path, str(node["message"]), str(node["code"])
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _flatten(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for child in node:
            yield from _flatten(child, path)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """URLconf handler404: the envelope under /api/, Django's page elsewhere."""
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return api_not_found_response(request)


def api_not_found_response(request: HttpRequest) -> HttpResponse:
    message = f"No API endpoint at {request.path}."
    if request.path.endswith("/") and _resolves(request.path.rstrip("/")):
        message += f" API paths have no trailing slash: try {request.path.rstrip('/')}"
    return JsonResponse(error_body(NOT_FOUND, message), status=404)


def handler500(request: HttpRequest) -> HttpResponse:
    """URLconf handler500: the envelope under /api/ (no traceback), Django's page elsewhere."""
    if not is_api_request(request):
        return defaults.server_error(request)
    return JsonResponse(error_body(SERVER_ERROR, "Internal server error."), status=500)


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
