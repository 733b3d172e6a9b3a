"""Adjustments to the generated OpenAPI schema, so that it says what the API does."""

from __future__ import annotations

import inspect
from typing import Any

from gamearena.errors import StrictSerializer

# Text input never holds NUL (gamearena.parsers and gamearena.middleware refuse it).
NO_NUL_PATTERN = "^[^\\u0000]*$"


def strict_request_bodies(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: strict input bodies allow no other properties.

    StrictSerializer answers unknown_field for any key it does not declare, so its schema
    must say additionalProperties: false; otherwise clients and fuzzers are told extra keys
    are fine. The generator's registry knows which serializer made each component.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for component in generator.registry._components.values():
        made_by = component.object if inspect.isclass(component.object) else type(component.object)
        if (
            component.type == "schemas"
            and component.name in schemas
            and inspect.isclass(made_by)
            and issubclass(made_by, StrictSerializer)
        ):
            schemas[component.name]["additionalProperties"] = False
    return result


def text_without_nul(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: text inputs are documented as NUL-free.

    Every string a request sends (a request body's properties, a query parameter) is
    refused with nul_character when it holds NUL; a schema pattern says so. A string that
    already has a pattern keeps it: the field's own pattern is the stricter rule.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            for field in component.get("properties", {}).values():
                _forbid_nul(field)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _forbid_nul(parameter.get("schema", {}))
    return result


def _forbid_nul(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        schema["pattern"] = NO_NUL_PATTERN


def bad_credentials_answer_401(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation may answer 401.

    Authentication runs before any view, public ones included: a wrong, revoked or expired
    token is refused with 401 even where no token is needed. Each operation says so.
    """
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault(
                "401",
                {
                    "description": "The credentials sent are not valid (a wrong, revoked or "
                    "expired token); send none, or a valid one.",
                    "content": {"application/json": {"schema": envelope}},
                },
            )
    return result
