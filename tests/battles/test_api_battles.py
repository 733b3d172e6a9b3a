"""The battles API: request a battle, list and read battles, read a replay, cancel."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from battles.models import Battle
from bots.models import Bot
from bots.services import bot_set_active, bot_submit
from tests.battles.conftest import CRASHER

pytestmark = pytest.mark.usefixtures("unsafe_sandbox")


def request_battle(
    api: APIClient, bots: list[Any], capture: Any, *, seed: int | None = 5, run: bool = True
) -> Any:
    body: dict[str, Any] = {"bots": bots}
    if seed is not None:
        body["seed"] = seed
    with capture(execute=run):
        return api.post("/api/battles", body, format="json")


def test_a_requested_battle_is_queued_then_played_and_stored(
    owner_api: APIClient,
    owner_bot: Bot,
    opponent_bot: Bot,
    django_capture_on_commit_callbacks: Any,
) -> None:
    answer = request_battle(
        owner_api, [owner_bot.pk, opponent_bot.pk], django_capture_on_commit_callbacks
    )

    assert answer.status_code == 202, answer.json()
    queued = answer.json()["battle"]
    assert queued["status"] == "queued"
    assert queued["reason"] == "requested"
    assert queued["requested_by"] == "owner"
    assert queued["rated"] is False
    assert [seat["display_name"] for seat in queued["seats"]] == [
        "owner/pacman v2",
        "opponent/ghost v1",
    ]
    shown = owner_api.get(f"/api/battles/{queued['id']}").json()["battle"]
    assert shown["status"] == "finished"
    assert shown["result"] == {
        "winner_seat": 0,
        "draw": False,
        "scores": shown["result"]["scores"],
        "turns": 1,
        "termination": "one_player_left",
    }
    assert shown["attempts"] == 1
    assert shown["sandbox"]["mode"] == "none"
    assert shown["seats"][1]["status"] == "crashed"
    assert shown["seats"][0]["timing"]["turns"] == 1


def test_a_house_bot_takes_a_seat_by_name(
    owner_api: APIClient, owner_bot: Bot, django_capture_on_commit_callbacks: Any
) -> None:
    answer = request_battle(
        owner_api, ["house:greedy", owner_bot.pk], django_capture_on_commit_callbacks, run=False
    )

    assert answer.status_code == 202
    seats = answer.json()["battle"]["seats"]
    assert seats[0]["agent_name"] == "house:greedy"
    assert seats[0]["house_bot"] == "greedy"
    assert seats[0]["bot_id"] is None
    assert seats[1]["version_number"] == 2


@pytest.mark.parametrize(
    ("bots", "status", "code"),
    [
        ([], 400, "invalid_bots"),
        (["house:greedy"], 400, "invalid_bots"),
        (["house:greedy", "house:greedy", "house:greedy"], 400, "invalid_bots"),
        (["house:nobody", "OWN"], 404, "bot_not_found"),
        (["house:GREEDY", "OWN"], 400, "invalid_bots"),
        ([True, "OWN"], 400, "invalid_bots"),
        ([0, "OWN"], 400, "invalid_bots"),
        ([10**30, "OWN"], 400, "invalid_bots"),
        ([987654, "OWN"], 404, "bot_not_found"),
        ("house:greedy", 400, "invalid_bots"),
    ],
)
def test_bad_seats_get_a_clear_error(
    owner_api: APIClient,
    owner_bot: Bot,
    bots: Any,
    status: int,
    code: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    if isinstance(bots, list):
        bots = [owner_bot.pk if bot == "OWN" else bot for bot in bots]

    answer = request_battle(owner_api, bots, django_capture_on_commit_callbacks)

    assert answer.status_code == status, answer.json()
    error = answer.json()["error"]
    assert code in (
        error["code"],
        *(f["code"] for f in error["details"].get("fields", {}).get("bots", [])),
    )
    assert not Battle.objects.exists()


def test_one_of_the_bots_must_be_the_callers_own(
    stranger_api: APIClient, opponent_bot: Bot, django_capture_on_commit_callbacks: Any
) -> None:
    answer = request_battle(
        stranger_api, [opponent_bot.pk, "house:greedy"], django_capture_on_commit_callbacks
    )

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_your_bot"


def test_an_inactive_opponent_cannot_be_played(
    owner_api: APIClient,
    owner_bot: Bot,
    opponent_bot: Bot,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bot_set_active(bot=opponent_bot, is_active=False)

    answer = request_battle(
        owner_api, [owner_bot.pk, opponent_bot.pk], django_capture_on_commit_callbacks
    )

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "bot_inactive"


def test_requesting_needs_an_account(
    anonymous_api: APIClient, opponent_bot: Bot, django_capture_on_commit_callbacks: Any
) -> None:
    answer = request_battle(
        anonymous_api, [opponent_bot.pk, "house:greedy"], django_capture_on_commit_callbacks
    )

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


def test_unknown_fields_and_bad_seeds_are_refused(owner_api: APIClient, owner_bot: Bot) -> None:
    for body, field in [
        ({"bots": [owner_bot.pk, "house:greedy"], "sede": 3}, "sede"),
        ({"bots": [owner_bot.pk, "house:greedy"], "seed": 2**63}, "seed"),
        ({"bots": [owner_bot.pk, "house:greedy"], "seed": "7"}, "seed"),
    ]:
        answer = owner_api.post("/api/battles", body, format="json")
        assert answer.status_code == 400
        assert field in answer.json()["error"]["details"]["fields"]


def test_too_many_open_requested_battles_get_429(
    owner_api: APIClient,
    owner_bot: Bot,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "MAX_OPEN_REQUESTED_BATTLES": 2}
    bots = [owner_bot.pk, "house:greedy"]
    statuses = [
        request_battle(owner_api, bots, django_capture_on_commit_callbacks, run=False).status_code
        for _ in range(3)
    ]

    assert statuses == [202, 202, 429]
    answer = request_battle(owner_api, bots, django_capture_on_commit_callbacks, run=False)
    assert answer.json()["error"]["code"] == "too_many_open_battles"
    assert answer.json()["error"]["details"] == {"open": 2, "limit": 2}
    Battle.objects.filter(status=Battle.Status.QUEUED).update(status=Battle.Status.FINISHED)
    assert (
        request_battle(owner_api, bots, django_capture_on_commit_callbacks, run=False).status_code
        == 202
    )


def test_battles_are_listed_newest_first_and_filtered(
    owner_api: APIClient,
    anonymous_api: APIClient,
    owner: Any,
    owner_bot: Bot,
    opponent_bot: Bot,
    django_capture_on_commit_callbacks: Any,
) -> None:
    other = bot_submit(owner=owner, name="other", code=CRASHER).bot
    first = request_battle(
        owner_api, [owner_bot.pk, opponent_bot.pk], django_capture_on_commit_callbacks
    )
    second = request_battle(
        owner_api, [other.pk, "house:greedy"], django_capture_on_commit_callbacks, run=False
    )
    first_id, second_id = first.json()["battle"]["id"], second.json()["battle"]["id"]

    everything = anonymous_api.get("/api/battles").json()
    assert [b["id"] for b in everything["battles"]] == [second_id, first_id]
    assert everything["count"] == 2
    assert [
        b["id"] for b in anonymous_api.get(f"/api/battles?bot={other.pk}").json()["battles"]
    ] == [second_id]
    assert [
        b["id"]
        for b in anonymous_api.get(f"/api/battles?bot={owner_bot.pk}&version=2").json()["battles"]
    ] == [first_id]
    assert anonymous_api.get(f"/api/battles?bot={owner_bot.pk}&version=1").json()["count"] == 0
    # A version number alone: battles of any bot's version 1 (the opponent's ghost v1 here).
    assert [b["id"] for b in anonymous_api.get("/api/battles?version=1").json()["battles"]] == [
        second_id,
        first_id,
    ]
    assert [b["id"] for b in anonymous_api.get("/api/battles?status=queued").json()["battles"]] == [
        second_id
    ]
    page = anonymous_api.get("/api/battles?limit=1&offset=1").json()
    assert ([b["id"] for b in page["battles"]], page["count"], page["limit"]) == ([first_id], 2, 1)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=sleeping", "status"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("bot=99999999999999999999", "bot"),
        ("status=", "status"),
        ("limit=", "limit"),
    ],
)
def test_bad_list_filters_get_400(anonymous_api: APIClient, query: str, field: str) -> None:
    answer = anonymous_api.get(f"/api/battles?{query}")

    assert answer.status_code == 400
    assert field in answer.json()["error"]["details"]["fields"]


def test_an_unknown_battle_is_404_in_the_envelope(anonymous_api: APIClient) -> None:
    for path in (
        f"/api/battles/{uuid.uuid4()}",
        f"/api/battles/{uuid.uuid4()}/replay",
        "/api/battles/not-a-uuid",
    ):
        answer = anonymous_api.get(path)
        assert answer.status_code == 404, path
        assert "code" in answer.json()["error"]


def test_the_replay_shows_stderr_only_to_the_owner_of_the_seat(
    owner_api: APIClient,
    opponent_api: APIClient,
    stranger_api: APIClient,
    anonymous_api: APIClient,
    owner_bot: Bot,
    opponent_bot: Bot,
    django_capture_on_commit_callbacks: Any,
) -> None:
    answer = request_battle(
        owner_api, [owner_bot.pk, opponent_bot.pk], django_capture_on_commit_callbacks
    )
    battle_id = answer.json()["battle"]["id"]

    def crash_stderr(api: APIClient) -> str:
        replay = api.get(f"/api/battles/{battle_id}/replay").json()["replay"]
        return str(replay["turns"][0]["players"][1]["stderr_owner_only"])

    assert "ZeroDivisionError" in crash_stderr(opponent_api)
    for viewer in (owner_api, stranger_api, anonymous_api):
        assert crash_stderr(viewer) == ""

    def last_line(api: APIClient) -> Any:
        return api.get(f"/api/battles/{battle_id}").json()["battle"]["seats"][1]["owner_only"]

    assert last_line(opponent_api) == {"last_stderr_line": "ZeroDivisionError: division by zero"}
    assert last_line(owner_api) is None
    assert last_line(anonymous_api) is None


def test_a_queued_battle_has_no_replay_yet(
    owner_api: APIClient, owner_bot: Bot, django_capture_on_commit_callbacks: Any
) -> None:
    answer = request_battle(
        owner_api, [owner_bot.pk, "house:greedy"], django_capture_on_commit_callbacks, run=False
    )

    replay = owner_api.get(f"/api/battles/{answer.json()['battle']['id']}/replay")

    assert replay.status_code == 404
    assert replay.json()["error"]["code"] == "replay_not_found"


def test_who_requested_a_queued_battle_may_cancel_it(
    owner_api: APIClient,
    stranger_api: APIClient,
    owner_bot: Bot,
    django_capture_on_commit_callbacks: Any,
) -> None:
    answer = request_battle(
        owner_api, [owner_bot.pk, "house:greedy"], django_capture_on_commit_callbacks, run=False
    )
    battle_id = answer.json()["battle"]["id"]

    refused = stranger_api.post(f"/api/battles/{battle_id}/cancel")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_your_battle")
    cancelled = owner_api.post(f"/api/battles/{battle_id}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["battle"]["status"] == "cancelled"
    again = owner_api.post(f"/api/battles/{battle_id}/cancel")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_cancellable")
