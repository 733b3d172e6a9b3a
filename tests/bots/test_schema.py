"""The OpenAPI schema of the bots and auth endpoints: complete, valid, warning-free."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
import yaml
from django.core.management import call_command

BOT_PATHS = {
    "/api/bots",
    "/api/bots/public",
    "/api/bots/{bot_id}",
    "/api/bots/{bot_id}/versions",
    "/api/bots/{bot_id}/versions/{version_number}",
    "/api/bots/{bot_id}/rollback/{version_number}",
    "/api/bots/{bot_id}/versions/{old_number}/diff/{new_number}",
    "/api/auth/register",
    "/api/auth/token",
    "/api/auth/token/regenerate",
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    out = StringIO()
    # --fail-on-warn turns any unresolved field, type or parameter into a failure here.
    call_command(
        "spectacular",
        "--urlconf",
        "tests.bots.schema_urls",
        "--fail-on-warn",
        "--validate",
        stdout=out,
    )
    return dict(yaml.safe_load(out.getvalue()))


def test_every_bots_endpoint_is_in_the_schema(schema: dict[str, Any]) -> None:
    assert set(schema["paths"]) == BOT_PATHS


def test_errors_are_documented_as_the_one_envelope(schema: dict[str, Any]) -> None:
    rollback = schema["paths"]["/api/bots/{bot_id}/rollback/{version_number}"]["post"]

    for status in ("400", "401", "404"):
        content = rollback["responses"][status]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {
        "code",
        "message",
        "details",
    }


def test_bearer_tokens_are_the_documented_scheme(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_the_guide_fields_are_in_the_documented_responses(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]

    assert set(components["BotVersion"]["properties"]) >= {
        "version_number",
        "description",
        "created_at",
    }
    assert set(components["BotRollbackResponse"]["properties"]) >= {"message", "bot"}
    assert "versions" in components["BotVersionListResponse"]["properties"]


def _request_schema(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[1]
    return dict(schema["components"]["schemas"][name])


def _parameter(schema: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    parameters = schema["paths"][path][method]["parameters"]
    return dict(next(p for p in parameters if p["name"] == name))


def test_patch_documents_every_field_as_optional(schema: dict[str, Any]) -> None:
    body = _request_schema(schema, "/api/bots/{bot_id}", "patch")

    assert set(body["properties"]) == {"is_active", "description"}
    assert "required" not in body


def test_descriptions_are_documented_as_possibly_empty(schema: dict[str, Any]) -> None:
    for path, method in [
        ("/api/bots", "post"),
        ("/api/bots/{bot_id}", "patch"),
        ("/api/bots/{bot_id}/rollback/{version_number}", "post"),
    ]:
        description = _request_schema(schema, path, method)["properties"]["description"]
        assert "minLength" not in description, (path, description)
        assert description["maxLength"] == 500


def test_the_public_list_documents_its_paging_bounds_and_a_non_empty_owner(
    schema: dict[str, Any],
) -> None:
    offset = _parameter(schema, "/api/bots/public", "get", "offset")["schema"]
    owner = _parameter(schema, "/api/bots/public", "get", "owner")["schema"]

    assert (offset["minimum"], offset["maximum"]) == (0, 10**9)
    assert (owner["minLength"], owner["maxLength"]) == (1, 150)


def test_path_numbers_are_documented_with_the_databases_bounds(schema: dict[str, Any]) -> None:
    diff = "/api/bots/{bot_id}/versions/{old_number}/diff/{new_number}"

    bot_id = _parameter(schema, diff, "get", "bot_id")["schema"]
    new_number = _parameter(schema, diff, "get", "new_number")["schema"]

    assert bot_id == {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
    assert new_number == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


def test_the_rollback_answer_documents_whether_a_version_was_made(schema: dict[str, Any]) -> None:
    assert "new_version" in schema["components"]["schemas"]["BotRollbackResponse"]["properties"]


def test_every_answer_is_documented_as_one_object_never_a_bare_list(schema: dict[str, Any]) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if "content" not in response:  # only "no content" may have no body
                    assert status == "204", (method, path, status)
                    continue
                body = response["content"]["application/json"]["schema"]
                assert "$ref" in body, (method, path, status, body)


def test_the_name_rule_is_documented_as_a_pattern(schema: dict[str, Any]) -> None:
    name = _request_schema(schema, "/api/bots", "post")["properties"]["name"]

    assert name["pattern"] == r"^(?!\.+$)[A-Za-z0-9_.\-]{1,64}$"
