"""GET /api/bots/<id>/versions/<a>/diff/<b>."""

from __future__ import annotations

from rest_framework.test import APIClient

from bots.models import Bot
from tests.bots.support import assert_error


def diff_url(bot: Bot, old: int, new: int) -> str:
    return f"/api/bots/{bot.pk}/versions/{old}/diff/{new}"


def test_the_diff_comes_as_unified_text_and_as_lines(owner_api: APIClient, owner_bot: Bot) -> None:
    response = owner_api.get(diff_url(owner_bot, 1, 2))

    assert response.status_code == 200
    body = response.json()
    assert body["diff"] == (
        "--- v1\n"
        "+++ v2\n"
        "@@ -1,4 +1,4 @@\n"
        " import sys\n"
        " \n"
        " for line in sys.stdin:\n"
        "-    print('MOVE 0 1 1')\n"
        "+    print('MOVE 0 5 5')\n"
    )
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert (body["insertions"], body["deletions"]) == (1, 1)
    assert body["lines"][0] == {
        "op": "hunk",
        "old_no": None,
        "new_no": None,
        "text": "@@ -1,4 +1,4 @@",
        "missing_newline": False,
    }
    assert [(line["op"], line["old_no"], line["new_no"]) for line in body["lines"][1:]] == [
        ("equal", 1, 1),
        ("equal", 2, 2),
        ("equal", 3, 3),
        ("delete", 4, None),
        ("insert", None, 4),
    ]


def test_a_version_diffed_with_itself_is_empty(owner_api: APIClient, owner_bot: Bot) -> None:
    body = owner_api.get(diff_url(owner_bot, 2, 2)).json()

    assert (body["diff"], body["lines"], body["insertions"], body["deletions"]) == ("", [], 0, 0)


def test_the_diff_can_go_backwards(owner_api: APIClient, owner_bot: Bot) -> None:
    body = owner_api.get(diff_url(owner_bot, 2, 1)).json()

    assert body["diff"].startswith("--- v2\n+++ v1\n")


def test_a_missing_version_on_either_side_is_version_not_found(
    owner_api: APIClient, owner_bot: Bot
) -> None:
    assert_error(owner_api.get(diff_url(owner_bot, 1, 9)), 404, "version_not_found")
    assert_error(owner_api.get(diff_url(owner_bot, 9, 1)), 404, "version_not_found")


def test_a_stranger_gets_404_for_a_diff(stranger_api: APIClient, owner_bot: Bot) -> None:
    assert_error(stranger_api.get(diff_url(owner_bot, 1, 2)), 404, "not_found")


def test_anonymous_callers_get_401_for_a_diff(anonymous_api: APIClient, owner_bot: Bot) -> None:
    assert_error(anonymous_api.get(diff_url(owner_bot, 1, 2)), 401, "not_authenticated")
