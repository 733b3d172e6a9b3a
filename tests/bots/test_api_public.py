"""GET /api/bots/public: everybody's bots, profile data only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from bots.models import Bot
from tests.bots.support import assert_error

URL = "/api/bots/public"
PUBLIC_FIELDS = {"id", "name", "owner", "elo_rating", "match_count", "win_count", "is_active"}


def test_anyone_sees_every_bots_profile_but_never_its_code(
    anonymous_api: APIClient, owner_bot: Bot, opponent_bot: Bot
) -> None:
    response = anonymous_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {(bot["name"], bot["owner"]) for bot in body["bots"]} == {
        ("pacman", "owner"),
        ("ghostbuster", "opponent"),
    }
    assert all(set(bot) == PUBLIC_FIELDS for bot in body["bots"])


def test_the_strongest_bots_come_first(
    stranger_api: APIClient, owner_bot: Bot, opponent_bot: Bot
) -> None:
    Bot.objects.filter(pk=opponent_bot.pk).update(elo_rating=1500.0)

    names = [bot["name"] for bot in stranger_api.get(URL).json()["bots"]]

    assert names == ["ghostbuster", "pacman"]


def test_the_list_can_be_filtered_by_owner_and_paged(
    anonymous_api: APIClient, owner_bot: Bot, opponent_bot: Bot
) -> None:
    only_theirs = anonymous_api.get(URL, {"owner": "opponent"}).json()
    assert [bot["name"] for bot in only_theirs["bots"]] == ["ghostbuster"]

    page = anonymous_api.get(URL, {"limit": 1, "offset": 1}).json()
    assert (len(page["bots"]), page["count"], page["limit"], page["offset"]) == (1, 2, 1, 1)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"limit": "0"}, "invalid_limit"),
        ({"limit": "1000"}, "invalid_limit"),
        ({"limit": "ten"}, "invalid_limit"),
        ({"offset": "-1"}, "invalid_offset"),
    ],
)
def test_bad_paging_parameters_are_refused(
    anonymous_api: APIClient, db: None, query: dict[str, str], code: str
) -> None:
    assert_error(anonymous_api.get(URL, query), 400, code)


def test_the_public_list_is_read_only(owner_api: APIClient) -> None:
    assert_error(owner_api.post(URL, {}, format="json"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"owner": ""}, "invalid_owner"),
        ({"owner": "x" * 151}, "invalid_owner"),
        ({"owner": "a\x00b"}, "nul_character"),  # refused before any view: gamearena.middleware
        ({"offset": str(10**9 + 1)}, "invalid_offset"),
        ({"limit": ""}, "invalid_limit"),
    ],
)
def test_owner_and_paging_values_outside_the_documented_schema_are_refused(
    anonymous_api: APIClient, owner_bot: Bot, query: dict[str, str], code: str
) -> None:
    assert_error(anonymous_api.get(URL, query), 400, code)


def test_the_largest_documented_offset_answers_an_empty_page(
    anonymous_api: APIClient, owner_bot: Bot
) -> None:
    body = anonymous_api.get(URL, {"offset": str(10**9)}).json()

    assert (body["bots"], body["count"], body["offset"]) == ([], 1, 10**9)
