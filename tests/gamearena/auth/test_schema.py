"""The OpenAPI schema of the auth endpoints tells clients about limits and password rules."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
import yaml
from django.contrib.auth import password_validation
from django.core.management import call_command

OPERATIONS = [
    ("/api/auth/register", "post"),
    ("/api/auth/token", "post"),
    ("/api/auth/token", "delete"),
    ("/api/auth/token/regenerate", "post"),
]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    out = StringIO()
    call_command(
        "spectacular",
        "--urlconf",
        "tests.gamearena.auth.schema_urls",
        "--fail-on-warn",
        "--validate",
        stdout=out,
    )
    return dict(yaml.safe_load(out.getvalue()))


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_throttled_auth_operation_documents_429_as_the_envelope(
    schema: dict[str, Any], path: str, method: str
) -> None:
    throttled = schema["paths"][path][method]["responses"]["429"]

    assert "throttled" in throttled["description"]
    content = throttled["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}


def test_the_token_login_documents_the_failed_login_lock(schema: dict[str, Any]) -> None:
    description = schema["paths"]["/api/auth/token"]["post"]["responses"]["429"]["description"]

    assert "too_many_failed_logins" in description


def test_the_register_schema_states_the_password_rules(schema: dict[str, Any]) -> None:
    body = schema["paths"]["/api/auth/register"]["post"]["requestBody"]["content"]
    reference = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    password = schema["components"]["schemas"][reference]["properties"]["password"]

    rules = password_validation.password_validators_help_texts()
    assert rules
    for rule in rules:
        assert rule in password["description"]
    assert "1024" in password["description"]
    assert password["maxLength"] == 1024


def test_revoking_and_regenerating_need_a_token(schema: dict[str, Any]) -> None:
    for path, method in OPERATIONS[2:]:
        operation = schema["paths"][path][method]
        assert "401" in operation["responses"]
        assert operation.get("security") != [{}]
