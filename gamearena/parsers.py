"""Request-body parsers for every API endpoint: DRF's, refusing what would break later.

DRF's parsers accept any body the standard library can decode. Two kinds of such bodies
break the request further on, before any view code can refuse them:

- JSON nested deeper than the interpreter's recursion limit makes the decoder raise
  RecursionError (a 500), and shallower but still deep nesting can do the same in
  whatever walks the data next (validation, error rendering);
- a NUL character is valid JSON ("\\u0000") and valid form data, but PostgreSQL refuses it in
  text columns, so a NUL in a username turned a login attempt into a 500.

These parsers refuse both with a 400 in the error envelope, so every view can trust that
its parsed body holds neither. They are the DEFAULT_PARSER_CLASSES; a view that narrows its
parsers (JSON only) must pick them from here, not from rest_framework.parsers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import exceptions, parsers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from gamearena.errors import InvalidInputError

# Far deeper than any body the API defines (the deepest is an object of strings), far
# shallower than the recursion limit.
MAX_JSON_DEPTH = 32

JSON_TOO_DEEP = "json_too_deep"
NUL_CHARACTER = "nul_character"


def nul_in_body(path: str) -> exceptions.ValidationError:
    """A validation error on the field holding the NUL, so it reads like any field error."""
    field = path or api_settings.NON_FIELD_ERRORS_KEY
    message = "Text must not contain the NUL character (U+0000)."
    return exceptions.ValidationError({field: [ErrorDetail(message, code=NUL_CHARACTER)]})


def too_deep() -> InvalidInputError:
    return InvalidInputError(
        f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.",
        code=JSON_TOO_DEEP,
        details={"max_depth": MAX_JSON_DEPTH},
    )


def check_parsed(data: Any) -> None:
    """Refuse nesting past MAX_JSON_DEPTH and NUL in any string, keys included.

    Iterative on purpose: a recursive walk would itself be the thing that overflows.
    """
    pending: list[tuple[Any, int, str]] = [(data, 1, "")]
    while pending:
        node, depth, path = pending.pop()
        if isinstance(node, str):
            if "\x00" in node:
                raise nul_in_body(path)
            continue
        if not isinstance(node, Mapping | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise too_deep()
        items = node.items() if isinstance(node, Mapping) else enumerate(node)
        for key, value in items:
            name = str(key).replace("\x00", "\\u0000")
            child = f"{path}.{name}" if path else name
            if isinstance(key, str) and "\x00" in key:
                raise nul_in_body(child)
            pending.append((value, depth + 1, child))


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The C decoder stops cleanly at the recursion limit; nothing is half-done.
            raise too_deep() from None
        check_parsed(data)
        return data


class FormParser(parsers.FormParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        check_parsed(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        # Only the text fields: an uploaded file's bytes are its own business.
        check_parsed(dict(parsed.data.lists()))
        return parsed
