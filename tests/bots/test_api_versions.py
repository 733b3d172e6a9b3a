"""GET /api/bots/<id>/versions and GET /api/bots/<id>/versions/<n>."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from bots.models import Bot
from bots.services import bot_submit
from tests.bots.support import CODE_V1, CODE_V2, assert_error


def test_versions_are_listed_newest_first_with_descriptions_and_stats(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    response = owner_api.get(f"/api/bots/{owner_bot.pk}/versions")

    assert response.status_code == 200
    versions = response.json()["versions"]
    assert [v["version_number"] for v in versions] == [3, 2, 1]
    assert [v["description"] for v in versions] == ["avoid ghosts", "chase pellets", "first steps"]
    assert set(versions[0]) == {
        "version_number",
        "description",
        "created_at",
        "match_count",
        "win_count",
        "qualification",
    }
    # Qualification is off in the test settings: every version counts as qualified.
    assert versions[0]["qualification"]["status"] == "qualified"


def test_listing_versions_costs_the_same_queries_however_many_there_are(
    owner_api: APIClient, owner_bot: Bot, django_assert_num_queries: Any
) -> None:
    for index in range(10):
        bot_submit(owner=owner_bot.owner, name="pacman", code=f"print({index})\n")

    # Authentication (token + user), the bot, the versions.
    with django_assert_num_queries(3):
        response = owner_api.get(f"/api/bots/{owner_bot.pk}/versions")

    assert len(response.json()["versions"]) == 13


def test_one_version_comes_with_its_code(owner_api: APIClient, owner_bot: Bot) -> None:
    response = owner_api.get(f"/api/bots/{owner_bot.pk}/versions/2")

    assert response.status_code == 200
    version = response.json()["version"]
    assert (version["version_number"], version["code"], version["description"]) == (
        2,
        CODE_V2,
        "chase pellets",
    )


def test_a_missing_version_is_version_not_found(owner_api: APIClient, owner_bot: Bot) -> None:
    assert_error(owner_api.get(f"/api/bots/{owner_bot.pk}/versions/7"), 404, "version_not_found")


def test_a_stranger_gets_404_for_the_versions_and_each_version(
    stranger_api: APIClient, owner_bot: Bot
) -> None:
    assert_error(stranger_api.get(f"/api/bots/{owner_bot.pk}/versions"), 404, "not_found")
    assert_error(stranger_api.get(f"/api/bots/{owner_bot.pk}/versions/1"), 404, "not_found")
    # Not even "version_not_found": that would confirm the bot exists.
    assert_error(stranger_api.get(f"/api/bots/{owner_bot.pk}/versions/99"), 404, "not_found")


def test_anonymous_callers_get_401_for_versions(anonymous_api: APIClient, owner_bot: Bot) -> None:
    assert_error(anonymous_api.get(f"/api/bots/{owner_bot.pk}/versions"), 401, "not_authenticated")
    assert_error(
        anonymous_api.get(f"/api/bots/{owner_bot.pk}/versions/1"), 401, "not_authenticated"
    )


def test_versions_of_another_users_bot_stay_private_to_them(
    owner_api: APIClient, opponent_bot: Bot
) -> None:
    assert_error(owner_api.get(f"/api/bots/{opponent_bot.pk}/versions/1"), 404, "not_found")


def test_a_new_bot_lists_its_single_version(owner_api: APIClient, owner: Any) -> None:
    bot = bot_submit(owner=owner, name="solo", code=CODE_V1).bot

    versions = owner_api.get(f"/api/bots/{bot.pk}/versions").json()["versions"]

    assert [(v["version_number"], v["description"]) for v in versions] == [(1, "")]
