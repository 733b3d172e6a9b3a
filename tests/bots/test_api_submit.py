"""POST /api/bots: create a bot or add a version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

from bots.models import Bot, BotVersion
from bots.validation import CODE_MAX_LENGTH
from tests.bots.support import CODE_V1, CODE_V2, CODE_V3, assert_error

if TYPE_CHECKING:
    from django.contrib.auth.models import User

URL = "/api/bots"


def submit(client: APIClient, **body: Any) -> Any:
    return client.post(URL, body, format="json")


def test_a_new_name_answers_201_with_the_bot_at_version_1(owner_api: APIClient) -> None:
    response = submit(owner_api, name="pacman", code=CODE_V1, description="first")

    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True
    assert body["new_version"] is True
    assert body["bot"]["name"] == "pacman"
    assert body["bot"]["owner"] == "owner"
    assert body["bot"]["version_number"] == 1
    assert body["bot"]["elo_rating"] == 1200.0
    assert body["bot"]["is_active"] is True
    assert body["version"]["version_number"] == 1
    assert body["version"]["description"] == "first"
    assert "code" not in body["bot"]


def test_new_code_for_an_existing_name_answers_200_with_the_next_version(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    response = submit(owner_api, name="pacman", code=CODE_V1 + "# again\n", description="tweak")

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["new_version"]) == (False, True)
    assert body["bot"]["id"] == owner_bot.pk
    assert body["bot"]["version_number"] == 4
    assert body["message"] == "Created version 4."


def test_identical_code_answers_200_and_says_no_version_was_created(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    response = submit(owner_api, name="pacman", code=CODE_V3, description="same again")

    assert response.status_code == 200
    body = response.json()
    assert body["new_version"] is False
    assert body["bot"]["version_number"] == 3
    assert "no new version" in body["message"]
    assert owner_bot.versions.count() == 3


def test_anonymous_callers_get_401_and_nothing_is_stored(anonymous_api: APIClient) -> None:
    response = submit(anonymous_api, name="pacman", code=CODE_V1)

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Bot.objects.exists()


def test_a_wrong_token_gets_401(db: None) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")

    assert_error(submit(client, name="pacman", code=CODE_V1), 401, "authentication_failed")


def test_a_stranger_submitting_the_same_name_gets_a_separate_bot(
    stranger_api: APIClient, owner_bot: Bot
) -> None:
    response = submit(stranger_api, name="pacman", code=CODE_V2)

    assert response.status_code == 201
    assert response.json()["bot"]["id"] != owner_bot.pk
    assert Bot.objects.get(pk=owner_bot.pk).code == CODE_V3


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"name": "bad name!", "code": CODE_V1}, "invalid_name", "name"),
        ({"name": "", "code": CODE_V1}, "invalid_name", "name"),
        ({"name": "n" * 65, "code": CODE_V1}, "invalid_name", "name"),
        ({"name": 42, "code": CODE_V1}, "invalid_name", "name"),
        ({"name": None, "code": CODE_V1}, "invalid_name", "name"),
        ({"name": ".", "code": CODE_V1}, "invalid_name", "name"),
        ({"name": "..", "code": CODE_V1}, "invalid_name", "name"),
        ({"name": "....", "code": CODE_V1}, "invalid_name", "name"),
        ({"name": "pacman\n", "code": CODE_V1}, "invalid_name", "name"),
        ({"name": "pacman", "code": ""}, "empty_code", "code"),
        ({"name": "pacman", "code": "x" * (CODE_MAX_LENGTH + 1)}, "code_too_long", "code"),
        ({"name": "pacman", "code": ["print(1)"]}, "invalid_code", "code"),
        ({"name": "pacman", "code": "a\x00b"}, "nul_character", "code"),
        (
            {"name": "pacman", "code": CODE_V1, "description": "d" * 501},
            "description_too_long",
            "description",
        ),
        (
            {"name": "pacman", "code": CODE_V1, "description": 7},
            "invalid_description",
            "description",
        ),
        ({"name": "pacman", "code": CODE_V1, "colour": "red"}, "unknown_field", "colour"),
        ({"code": CODE_V1}, "missing_field", "name"),
        ({"name": "pacman"}, "missing_field", "code"),
    ],
)
def test_bad_input_gets_a_specific_code_and_changes_nothing(
    owner_api: APIClient, owner_bot: Bot, body: dict[str, Any], code: str, field: str
) -> None:
    response = owner_api.post(URL, body, format="json")

    error = assert_error(response, 400, code)
    assert error["details"]["fields"][field][0]["code"] == code
    assert Bot.objects.count() == 1
    assert (Bot.objects.get().code, BotVersion.objects.count()) == (CODE_V3, 3)


def test_a_lone_surrogate_in_the_json_text_is_refused_as_invalid_code(owner_api: APIClient) -> None:
    raw = '{"name": "pacman", "code": "print(\\"\\ud800\\")"}'

    response = owner_api.post(URL, raw, content_type="application/json")

    assert_error(response, 400, "invalid_code")


def test_several_problems_are_all_reported_under_validation_error(owner_api: APIClient) -> None:
    response = submit(owner_api, name="bad name", code="", extra=1)

    error = assert_error(response, 400, "validation_error")
    assert set(error["details"]["fields"]) == {"name", "code", "extra"}


def test_malformed_json_is_refused_with_malformed_json(owner_api: APIClient) -> None:
    response = owner_api.post(URL, '{"name": "pacman", ', content_type="application/json")

    assert_error(response, 400, "malformed_json")
    assert not Bot.objects.exists()


@pytest.mark.parametrize("raw", ['["pacman"]', '"pacman"', "null", "42"])
def test_a_json_body_that_is_not_an_object_is_refused(owner_api: APIClient, raw: str) -> None:
    response = owner_api.post(URL, raw, content_type="application/json")

    assert_error(response, 400, "body_not_object")


def test_form_encoded_bodies_are_refused_as_unsupported(owner_api: APIClient) -> None:
    response = owner_api.post(URL, {"name": "pacman", "code": CODE_V1})  # multipart

    assert_error(response, 415, "unsupported_media_type")
    assert not Bot.objects.exists()


def test_a_deactivated_bot_keeps_its_state_when_it_gets_a_new_version(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    owner_api.delete(f"/api/bots/{owner_bot.pk}")

    response = submit(owner_api, name="pacman", code=CODE_V1 + "# v4\n")

    assert response.json()["bot"]["is_active"] is False
    assert response.json()["bot"]["version_number"] == 4


def test_a_submission_to_an_inactive_bot_says_it_is_inactive(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    owner_api.delete(f"/api/bots/{owner_bot.pk}")

    new = submit(owner_api, name="pacman", code=CODE_V1 + "# v4\n").json()
    same = submit(owner_api, name="pacman", code=CODE_V1 + "# v4\n").json()

    assert new["message"].startswith("Created version 4. Bot pacman is inactive")
    assert same["message"].startswith("Code is identical to the current version 4;")
    assert "Bot pacman is inactive" in same["message"]


def test_a_submission_to_an_active_bot_does_not_mention_activity(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    assert submit(owner_api, name="pacman", code=CODE_V1).json()["message"] == "Created version 4."


@pytest.mark.parametrize("name", ["a.", ".a", "v1.2", "-", "_"])
def test_names_with_dots_and_other_characters_are_accepted(owner_api: APIClient, name: str) -> None:
    assert submit(owner_api, name=name, code=CODE_V1).status_code == 201


def test_trailing_slash_paths_are_not_routes(owner_api: APIClient, owner: User) -> None:
    response = owner_api.get(URL + "/")

    assert response.status_code == 404


def test_an_oversized_body_is_refused_before_it_is_parsed(
    owner_api: APIClient, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = submit(owner_api, name="pacman", code="#" * 2_000)

    assert_error(response, 413, "body_too_large")
    assert not Bot.objects.exists()


def test_the_longest_code_in_the_most_escaped_json_fits_the_default_body_limit(
    owner_api: APIClient,
) -> None:
    # 100,000 astral characters, each written as a 12-byte surrogate-pair escape.
    raw = '{"name": "big", "code": "' + "\\ud83d\\ude00" * CODE_MAX_LENGTH + '"}'

    response = owner_api.post(URL, raw, content_type="application/json")

    assert response.status_code == 201
