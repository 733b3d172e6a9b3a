"""GET /api/battles/<id>/events: every battle's turns as Server-Sent Events, then the end;
resumed after Last-Event-ID; its owner's stream alone carries their seat's stderr."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from battles.live_views import battle_events
from bots.models import Bot
from tests.battles.live.conftest import ThreadRunner
from tests.battles.live.players import greedy_command

pytestmark = pytest.mark.django_db(transaction=True)


def read_stream(user: Any, battle_id: str, **headers: str) -> tuple[int, list[dict[str, Any]]]:
    """The whole stream, read as uvicorn reads it: through Django's ASGI handler."""
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        headers["Authorization"] = f"Bearer {token.key}"

    async def read() -> tuple[int, str]:
        answer = await AsyncClient().get(f"/api/battles/{battle_id}/events", headers=headers)
        if answer.status_code != 200:
            return answer.status_code, ""
        assert answer["Content-Type"].startswith("text/event-stream")
        chunks = answer.streaming_content  # type: ignore[attr-defined]
        return 200, b"".join([chunk async for chunk in chunks]).decode()

    status, text = async_to_sync(read)()
    return status, parse_events(text)


def parse_events(text: str) -> list[dict[str, Any]]:
    events = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if "data" in fields:
            events.append(
                {"id": int(fields["id"]), "event": fields["event"], **json.loads(fields["data"])}
            )
    return events


@pytest.fixture
def ladder_battle(
    owner_api: APIClient, owner_bot: Bot, opponent_bot: Bot, unsafe_sandbox: None
) -> str:
    """A battle played at once (eager tasks): the opponent's crasher prints on stderr, turn 1."""
    answer = owner_api.post(
        "/api/battles", {"bots": [owner_bot.pk, opponent_bot.pk], "seed": 5}, format="json"
    )
    battle_id = str(answer.json()["battle"]["id"])
    assert APIClient().get(f"/api/battles/{battle_id}").json()["battle"]["status"] == "finished"
    return battle_id


def test_a_ladder_battle_streams_each_turn_then_its_end(ladder_battle: str) -> None:
    status, events = read_stream(None, ladder_battle)
    assert status == 200
    assert [event["event"] for event in events] == ["turn", "end"]
    assert [event["id"] for event in events] == [1, 2]
    turn = events[0]
    assert turn["turn"] == 1
    assert set(turn["state"]) >= {"scores", "pacs", "pellets"}
    assert turn["players"][1]["status"] == "crashed"
    assert events[1]["summary"]["status"] == "finished"


def test_only_the_owner_of_a_seat_reads_its_stderr_on_the_stream(
    ladder_battle: str, opponent: Any, stranger: Any
) -> None:
    _, as_opponent = read_stream(opponent, ladder_battle)
    _, as_stranger = read_stream(stranger, ladder_battle)
    _, as_anyone = read_stream(None, ladder_battle)
    assert "ZeroDivisionError" in as_opponent[0]["stderr"]["1"]
    assert as_stranger[0]["stderr"] == as_anyone[0]["stderr"] == {}
    assert "ZeroDivisionError" not in json.dumps(as_stranger)


def test_reconnecting_with_last_event_id_resumes_after_it_and_204_after_the_end(
    ladder_battle: str,
) -> None:
    _, resumed = read_stream(None, ladder_battle, **{"Last-Event-ID": "1"})
    status, _ = read_stream(None, ladder_battle, **{"Last-Event-ID": "2"})
    assert [event["event"] for event in resumed] == ["end"]
    assert status == 204


def test_the_events_view_is_async_so_a_viewer_holds_no_thread_while_it_waits() -> None:
    assert inspect.iscoroutinefunction(battle_events)
    status, _ = read_stream(None, "00000000-0000-4000-8000-000000000000")
    assert status == 404


def test_a_running_live_battle_streams_the_board_as_the_player_sees_it_never_the_whole_state(
    owner: Any, owner_api: APIClient, live_runner: ThreadRunner
) -> None:
    body = owner_api.post(
        "/api/battles/live", {"opponent": "house:greedy", "seed": 3}, format="json"
    ).json()
    turn, text = body["turn"], body["text"]
    for _ in range(2):
        played = owner_api.post(
            f"/api/battles/{body['id']}/turn",
            {"turn": turn, "command": greedy_command(text)},
            format="json",
        ).json()
        turn, text = played["turn"], played["text"]
    owner_api.post(
        f"/api/battles/{body['id']}/turn", {"turn": turn, "command": "DANCE"}, format="json"
    )

    _, events = read_stream(owner, body["id"])

    assert [event["event"] for event in events] == ["turn", "turn", "turn", "end"]
    first, second, last = events[:3]
    assert [first["state"]["fogged_for_seat"], second["state"]["fogged_for_seat"]] == [0, 0]
    shown = played["state"]  # what the player was shown after turn 2, as JSON
    assert [(row[1], row[2], row[3]) for row in second["state"]["pacs"]] == [
        (pac["id"], pac["x"], pac["y"])
        for pac in sorted(shown["pacs"], key=lambda pac: (not pac["mine"], pac["id"]))
    ]
    assert len(second["state"]["pellets"]) < len(last["state"]["pellets"])  # the fog hides some
    assert "fogged_for_seat" not in last["state"]  # over: the whole board, as in the replay
    assert last["players"][0]["fault"]["kind"] == "invalid"
