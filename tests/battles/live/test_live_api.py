"""The live battles API (battles/live.py): start, state, turn, summary, on the embedded
default (the SQL live store); each battle played by a live worker's thread (see conftest.py)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from battles.engine import Game
from battles.live_keys import live_clock
from battles.models import Battle, BattleReplay, BattleSeat
from tests.battles.live.conftest import ThreadRunner, greedy_command

pytestmark = pytest.mark.django_db(transaction=True)

SEED = 3  # a game that greedy ends in under 50 turns


def start(api: APIClient, **body: Any) -> dict[str, Any]:
    answer = api.post("/api/battles/live", {"opponent": "house:greedy", **body}, format="json")
    assert answer.status_code == 201, answer.json()
    return dict(answer.json())


def play(api: APIClient, battle_id: str, turn: int, command: str) -> Any:
    return api.post(
        f"/api/battles/{battle_id}/turn", {"turn": turn, "command": command}, format="json"
    )


def test_a_client_plays_a_whole_battle_against_greedy_from_the_state_text_and_reads_the_summary(
    owner_api: APIClient, live_runner: ThreadRunner
) -> None:
    body = start(owner_api, seed=SEED)
    battle_id, turn, text = body["id"], body["turn"], body["text"]
    while True:
        answer = play(owner_api, battle_id, turn, greedy_command(text))
        assert answer.status_code == 200, answer.json()
        played = answer.json()
        assert played["played"] is True
        if played["status"] != "running":
            break
        assert played["turn"] == turn + 1
        turn, text = played["turn"], played["text"]

    summary = APIClient().get(f"/api/battles/{battle_id}/summary").json()
    assert summary == played["summary"]
    assert summary["status"] == "finished"
    assert summary["turns"] == turn
    assert [seat["kind"] for seat in summary["seats"]] == ["player", "house"]
    assert [seat["status"] for seat in summary["seats"]] == ["ok", "ok"]
    assert summary["scores"] == [seat.score for seat in BattleSeat.objects.order_by("seat")]
    battle = Battle.objects.get(public_id=battle_id)
    assert (battle.reason, battle.rated) == ("live", False)
    assert BattleReplay.objects.filter(battle=battle).count() == 1
    over = owner_api.get(f"/api/battles/{battle_id}/state").json()  # a poller sees the end
    assert (over["status"], over["state"]["over"], over["text"], over["deadline"]) == (
        "finished",
        True,
        "",
        None,
    )
    assert over["summary"] == summary
    assert play(owner_api, battle_id, turn + 1, "WAIT").json()["error"]["code"] == "battle_over"


def test_the_state_is_the_exact_input_a_bot_reads_with_the_same_state_as_json(
    owner_api: APIClient, live_runner: ThreadRunner
) -> None:
    body = start(owner_api, seed=SEED, seat=1)
    expected = Game.from_seed(SEED).input_for(1)
    state = owner_api.get(f"/api/battles/{body['id']}/state").json()
    assert body["text"] == state["text"] == expected
    assert (state["seat"], state["turn"], state["status"]) == (1, 1, "running")
    assert state["deadline"].endswith("Z")
    width, height = map(int, expected.split("\n")[0].split())
    assert state["state"]["map"]["width"] == width
    assert len(state["state"]["map"]["rows"]) == height
    mine = [pac for pac in state["state"]["pacs"] if pac["mine"]]
    assert len(mine) == int(expected.split("\n")[height + 2]) // 2


def test_a_command_sent_twice_for_one_turn_gets_409_and_is_played_once(
    owner_api: APIClient, live_runner: ThreadRunner
) -> None:
    body = start(owner_api, seed=SEED)
    command = greedy_command(body["text"])
    assert play(owner_api, body["id"], 1, command).status_code == 200

    again = play(owner_api, body["id"], 1, "MOVE 0 1 1")
    ahead = play(owner_api, body["id"], 5, command)

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "turn_already_played"
    assert ahead.json()["error"]["code"] == "turn_not_open"
    assert owner_api.get(f"/api/battles/{body['id']}/state").json()["turn"] == 2


def test_an_invalid_command_eliminates_the_seat_as_it_would_a_bot(
    owner_api: APIClient, live_runner: ThreadRunner
) -> None:
    body = start(owner_api, seed=SEED)
    answer = play(owner_api, body["id"], 1, "DANCE 0")
    assert answer.status_code == 200
    summary = answer.json()["summary"]
    assert summary["status"] == "finished"
    assert summary["seats"][0]["status"] == "invalid"
    assert summary["winner"] == 1


def test_a_remote_seat_that_stops_answering_times_out(
    owner_api: APIClient, live_runner: ThreadRunner, settings: Any
) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "LIVE_TURN_SECONDS": 1}
    body = start(owner_api, seed=SEED)
    for _ in range(50):
        summary = APIClient().get(f"/api/battles/{body['id']}/summary").json()
        if summary["status"] == "finished":
            break
        time.sleep(0.1)
    assert summary["seats"][0]["status"] == "timeout"
    assert "1 s" in summary["seats"][0]["reason"]
    assert play(owner_api, body["id"], 1, "MOVE 0 1 1").json()["error"]["code"] == "battle_over"


def test_a_battle_past_its_ttl_answers_410_and_is_marked_expired(
    owner_api: APIClient, settings: Any, no_live_worker: None
) -> None:
    body = start(owner_api, seed=SEED)
    live_clock.move(settings.GAMEARENA["BATTLE_TTL_SECONDS"] + 1)

    state = owner_api.get(f"/api/battles/{body['id']}/state")
    turn = play(owner_api, body["id"], 1, "MOVE 0 1 1")

    assert state.status_code == 410
    assert state.json()["error"]["code"] == "battle_expired"
    assert turn.status_code == 410
    assert Battle.objects.get(public_id=body["id"]).status == Battle.Status.EXPIRED
    assert APIClient().get(f"/api/battles/{body['id']}/summary").json()["status"] == "expired"


def test_an_unknown_battle_answers_404_battle_not_found(owner_api: APIClient) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    for answer in (
        owner_api.get(f"/api/battles/{unknown}/state"),
        play(owner_api, unknown, 1, "MOVE 0 1 1"),
        owner_api.get(f"/api/battles/{unknown}/summary"),
        owner_api.get(f"/api/battles/{unknown}/events"),
    ):
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "battle_not_found"


def test_a_stranger_gets_404_for_someone_elses_state_and_turn(
    owner_api: APIClient, stranger_api: APIClient, live_runner: ThreadRunner
) -> None:
    body = start(owner_api, seed=SEED)
    state = stranger_api.get(f"/api/battles/{body['id']}/state")
    turn = play(stranger_api, body["id"], 1, greedy_command(body["text"]))
    anonymous = APIClient().get(f"/api/battles/{body['id']}/state")
    assert [state.status_code, turn.status_code, anonymous.status_code] == [404, 404, 404]
    assert state.json()["error"]["code"] == "battle_not_found"
    assert owner_api.get(f"/api/battles/{body['id']}/state").json()["turn"] == 1  # untouched
    assert stranger_api.get(f"/api/battles/{body['id']}/summary").status_code == 200


def test_a_user_holds_at_most_the_configured_number_of_live_battles(
    owner_api: APIClient, live_runner: ThreadRunner, settings: Any
) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "LIVE_MAX_PER_USER": 1}
    start(owner_api, seed=SEED)
    second = owner_api.post("/api/battles/live", {"opponent": "house:greedy"}, format="json")
    assert second.status_code == 429
    assert second.json()["error"]["code"] == "too_many_live_battles"


def test_starting_needs_an_account_and_a_known_opponent(
    owner_api: APIClient, anonymous_api: APIClient
) -> None:
    anonymous = anonymous_api.post("/api/battles/live", {"opponent": "house:greedy"}, format="json")
    unknown = owner_api.post("/api/battles/live", {"opponent": "house:nobody"}, format="json")
    bad_seat = owner_api.post(
        "/api/battles/live", {"opponent": "house:greedy", "seat": 2}, format="json"
    )
    assert anonymous.status_code == 401
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "bot_not_found"
    assert bad_seat.status_code == 400
    assert not Battle.objects.exists()


def test_a_configured_redis_that_does_not_answer_gives_503_and_loses_nothing(
    owner_api: APIClient, settings: Any, client: Any
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "live": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    answer = owner_api.post("/api/battles/live", {"opponent": "house:greedy"}, format="json")
    health = client.get("/health")
    info = client.get("/api/storage/info").json()["live_battles"]

    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "live_store_unavailable"
    assert not Battle.objects.exists()
    assert health.status_code == 503
    assert health.json()["failing"] == ["live_store"]
    assert health.json()["live_store"]["backend"] == "redis"
    assert (info["store"], info["available"]) == ("redis", False)


def test_start_up_says_loudly_when_the_configured_redis_does_not_answer(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from battles.live_store import live_store_startup_check

    settings.CACHES = {
        **settings.CACHES,
        "live": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    assert live_store_startup_check("web server") is False
    assert "not answering" in caplog.text
    assert any(record.levelname == "ERROR" for record in caplog.records)


def test_a_command_of_two_lines_is_refused_and_the_turn_stays_open(
    owner_api: APIClient, no_live_worker: None
) -> None:
    body = start(owner_api, seed=SEED)
    answer = play(owner_api, body["id"], 1, "MOVE 0 1 1\nMOVE 0 2 2")
    assert answer.status_code == 400
    problems = answer.json()["error"]["details"]["fields"]["command"]
    assert problems == [
        {"message": "A command is one line, without line breaks.", "code": "invalid"}
    ]
    assert owner_api.get(f"/api/battles/{body['id']}/state").json()["turn"] == 1
