"""How pages show the API's validation errors: next to the field they concern, with the same
stable codes the API answers (so a message on a page and an API error can be matched up)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gamearena.errors import DomainError


@dataclass(frozen=True)
class FieldError:
    message: str
    code: str


@dataclass
class PageErrors:
    """Errors per field name; `general` holds those that belong to no one field."""

    fields: dict[str, list[FieldError]] = field(default_factory=dict)
    general: list[FieldError] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, name: str | None, message: str, code: str) -> None:
        if name is None:
            self.general.append(FieldError(message, code))
        else:
            self.fields.setdefault(name, []).append(FieldError(message, code))


def errors_from_serializer(errors: Mapping[str, Any]) -> PageErrors:
    """A DRF serializer's `.errors` (ErrorDetail lists per field) as page errors."""
    page = PageErrors()
    for name, details in errors.items():
        target = None if name == "non_field_errors" else name
        for detail in details if isinstance(details, list) else [details]:
            page.add(target, str(detail), str(getattr(detail, "code", "invalid")))
    return page


def errors_from_domain(error: DomainError, *, field_for_code: Mapping[str, str]) -> PageErrors:
    """A service's DomainError, placed next to the field its code concerns (else general)."""
    page = PageErrors()
    page.add(field_for_code.get(error.code), error.message, error.code)
    return page
