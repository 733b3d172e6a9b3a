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
