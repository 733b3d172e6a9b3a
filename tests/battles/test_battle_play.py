"""battle_play: a worker claims a queued battle, plays it and records it exactly once."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from battles import services
from battles.housebots import HOUSE_BOTS
from battles.match import play_match
from battles.models import Battle, BattleReplay
from battles.replay import as_json, replay_check
from battles.sandbox import BotProgram, Limits, SandboxError, SandboxMode
from battles.services import SeatSpec, battle_create, battle_play, battle_sweep, seat_spec_for
from bots.models import Bot
from stats.models import AgentStats
from tests.battles.conftest import STILL

pytestmark = pytest.mark.usefixtures("unsafe_sandbox")

REPLAY_STORED_BYTES_AIM = 15_000


@pytest.fixture(autouse=True)
def held_queue(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """What the service hands to the broker, held here: each test plays battles itself."""
    sent: list[int] = []
    monkeypatch.setattr(
        services, "battle_enqueue", lambda *, battle_id, countdown=0: sent.append(battle_id)
    )
    return sent


def queued_battle(*seats: SeatSpec, seed: int = 11) -> Battle:
    return battle_create(
        seats=(seats[0], seats[1]), reason=Battle.Reason.REQUESTED, seed=seed, enqueue=False
    )


def test_a_played_battle_stores_result_seats_replay_and_stats(
    owner_bot: Bot, opponent_bot: Bot
) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(bot=opponent_bot))

    played = battle_play(battle_id=battle.pk)

    assert played is not None
    assert played.status == Battle.Status.FINISHED
    assert played.attempts == 1
    assert played.winner_seat == 0  # the opponent's bot crashed on turn 1
    assert played.sandbox_mode == "none"
    seats = list(played.seats.order_by("seat"))
    assert [seat.status for seat in seats] == ["ok", "crashed"]
    assert seats[1].fault_turn == 1
    assert seats[1].last_stderr_line_owner_only == "ZeroDivisionError: division by zero"
    timing = seats[0].timing
    assert timing is not None
    assert timing["turns"] == 1
    assert timing["wall_ms"]["max"] > 0
    replay = BattleReplay.objects.get(battle=played).unpack()
    assert replay_check(replay)
    assert replay["seed"] == 11
    stats = {row.agent_name: row for row in AgentStats.objects.all()}
    assert (stats["owner/pacman"].wins, stats["owner/pacman"].total_battles) == (1, 1)
    assert (stats["opponent/ghost"].losses, stats["opponent/ghost"].crashes) == (1, 1)
    owner_bot.refresh_from_db()
    assert (owner_bot.match_count, owner_bot.win_count) == (1, 1)
    version = owner_bot.versions.get(version_number=2)
    assert (version.match_count, version.win_count) == (1, 1)


def test_a_full_game_replay_is_stored_compressed_under_15_kb(owner_bot: Bot) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"), seed=3)

    played = battle_play(battle_id=battle.pk)

    assert played is not None
    assert played.status == Battle.Status.FINISHED
    assert played.turns is not None
    assert played.turns > 20
    stored = BattleReplay.objects.get(battle=played)
    replay = stored.unpack()
    assert len(json.dumps(replay)) > 40_000  # the whole replay, as the API serves it
    assert len(stored.data) <= REPLAY_STORED_BYTES_AIM
    assert replay_check(replay)


@pytest.mark.parametrize("seed", [3, 8])
def test_a_stored_replay_reads_back_exactly_as_it_was_played(seed: int) -> None:
    program = BotProgram.from_source(STILL)
    greedy = BotProgram.from_source(HOUSE_BOTS["greedy"].read_text())
    played = play_match((program, greedy), seed=seed, limits=Limits(), mode=SandboxMode.NONE)
    # A part that vanishes from one turn's state to the next must not come back on reading.
    played.replay["turns"][1]["state"]["extra"] = [1, 2]

    data, raw_bytes = BattleReplay.pack(played.replay)

    assert as_json(BattleReplay(data=data, raw_bytes=raw_bytes).unpack()) == as_json(played.replay)
    whole = json.dumps(played.replay, separators=(",", ":"), ensure_ascii=False)
    assert raw_bytes < len(whole)  # the parts a turn did not change are not stored again


def test_playing_a_battle_twice_records_it_once(owner_bot: Bot, opponent_bot: Bot) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(bot=opponent_bot))

    assert battle_play(battle_id=battle.pk) is not None
    assert battle_play(battle_id=battle.pk) is None

    battle.refresh_from_db()
    assert battle.attempts == 1
    assert BattleReplay.objects.filter(battle=battle).count() == 1
    assert AgentStats.objects.get(agent_name="owner/pacman").total_battles == 1


def test_an_attempt_that_lost_its_lease_records_nothing(
    owner_bot: Bot, opponent_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(bot=opponent_bot))
    real_play = services.play_match  # type: ignore[attr-defined]

    def sweep_takes_it_meanwhile(*args: Any, **kwargs: Any) -> Any:
        result = real_play(*args, **kwargs)
        # While this attempt played, its lease ran out and the sweep handed the battle on.
        Battle.objects.filter(pk=battle.pk).update(lease_expires_at=timezone.now())
        battle_sweep()
        return result

    monkeypatch.setattr(services, "play_match", sweep_takes_it_meanwhile)

    assert battle_play(battle_id=battle.pk) is None

    battle.refresh_from_db()
    assert battle.status == Battle.Status.QUEUED
    assert not BattleReplay.objects.filter(battle=battle).exists()
    assert not AgentStats.objects.exists()


def test_a_transient_sandbox_fault_puts_the_battle_back_in_the_queue(
    owner_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))

    def cannot_start(*args: Any, **kwargs: Any) -> Any:
        raise SandboxError("bwrap did not set the sandbox up within 10 s")

    monkeypatch.setattr(services, "play_match", cannot_start)

    played = battle_play(battle_id=battle.pk)

    assert played is not None
    assert played.status == Battle.Status.QUEUED
    assert played.attempts == 1
    assert "bwrap did not set the sandbox up" in played.failure_reason
    assert not AgentStats.objects.exists()


def test_a_permanent_sandbox_fault_fails_the_battle_at_once(
    owner_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    error = SandboxError("bot interpreter /usr/bin/python9 does not exist", permanent=True)

    def cannot_ever_start(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(services, "play_match", cannot_ever_start)

    played = battle_play(battle_id=battle.pk)

    assert played is not None
    assert played.status == Battle.Status.FAILED
    assert "python9" in played.failure_reason


def test_a_battle_fails_after_its_last_attempt(
    owner_bot: Bot, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "BATTLE_MAX_ATTEMPTS": 2}
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))

    def cannot_start(*args: Any, **kwargs: Any) -> Any:
        raise SandboxError("cannot launch the bot (prlimit): Resource temporarily unavailable")

    monkeypatch.setattr(services, "play_match", cannot_start)

    first = battle_play(battle_id=battle.pk)
    second = battle_play(battle_id=battle.pk)

    assert first is not None
    assert first.status == Battle.Status.QUEUED
    assert second is not None
    assert second.status == Battle.Status.FAILED
    assert second.attempts == 2
    assert "Resource temporarily unavailable" in second.failure_reason


def test_the_sweep_requeues_a_battle_whose_worker_stopped_renewing_its_lease(
    owner_bot: Bot, held_queue: list[int]
) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    Battle.objects.filter(pk=battle.pk).update(
        status=Battle.Status.RUNNING,
        attempts=1,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )

    report = battle_sweep()

    battle.refresh_from_db()
    assert report.requeued == 1
    assert held_queue == [battle.pk]  # handed to the workers again
    assert battle.status == Battle.Status.QUEUED
    assert "stopped renewing its lease" in battle.failure_reason
    assert battle_play(battle_id=battle.pk) is not None
    battle.refresh_from_db()
    assert (battle.status, battle.attempts) == (Battle.Status.FINISHED, 2)


def test_the_sweep_leaves_a_battle_with_a_live_lease_alone(owner_bot: Bot) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    Battle.objects.filter(pk=battle.pk).update(
        status=Battle.Status.RUNNING, attempts=1, lease_expires_at=timezone.now() + timedelta(60)
    )

    assert battle_sweep().total == 0
    battle.refresh_from_db()
    assert battle.status == Battle.Status.RUNNING


def test_the_sweep_fails_a_lost_battle_with_no_attempt_left(owner_bot: Bot) -> None:
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    Battle.objects.filter(pk=battle.pk).update(
        status=Battle.Status.RUNNING, attempts=3, lease_expires_at=timezone.now()
    )

    assert battle_sweep().failed == 1
    battle.refresh_from_db()
    assert battle.status == Battle.Status.FAILED
    assert "no attempt of 3 finished" in battle.failure_reason


def test_the_sweep_expires_battles_that_waited_too_long(owner_bot: Bot, settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "BATTLE_QUEUE_EXPIRY_SECONDS": 60}
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    Battle.objects.filter(pk=battle.pk).update(created_at=timezone.now() - timedelta(minutes=2))

    assert battle_sweep().expired == 1
    battle.refresh_from_db()
    assert battle.status == Battle.Status.EXPIRED
    assert battle_play(battle_id=battle.pk) is None


def test_a_seat_plays_the_version_pinned_when_the_battle_was_created(
    owner: Any, owner_bot: Bot
) -> None:
    from bots.services import bot_submit
    from tests.battles.conftest import CRASHER

    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="random_mover"))
    bot_submit(owner=owner, name="pacman", code=CRASHER + "# v3\n")  # uploaded meanwhile

    played = battle_play(battle_id=battle.pk)

    assert played is not None
    seat = played.seats.get(seat=0)
    assert seat.display_name == "owner/pacman v2"
    assert seat.status == "ok"  # v2 stands still; v3 would have crashed


def test_the_sweep_hands_a_forgotten_queued_battle_to_the_workers_again(
    owner_bot: Bot, held_queue: list[int]
) -> None:
    never_sent = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    just_sent = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    Battle.objects.filter(pk=just_sent.pk).update(enqueued_at=timezone.now())

    report = battle_sweep()

    assert report.reenqueued == 1
    assert held_queue == [never_sent.pk]


def test_a_worker_renews_its_lease_while_the_game_goes_on(
    owner_bot: Bot, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "BATTLE_LEASE_SECONDS": 3}
    clock = iter(range(0, 10**6))  # each look at the clock: one more second has passed
    monkeypatch.setattr(services, "lease_clock", lambda: float(next(clock)))
    battle = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"), seed=3)
    leases: list[Any] = []

    def note_lease(turn: int) -> None:
        leases.append(Battle.objects.values_list("lease_expires_at", flat=True).get(pk=battle.pk))

    played = battle_play(battle_id=battle.pk, on_turn=note_lease)

    assert played is not None
    assert played.status == Battle.Status.FINISHED
    assert len(set(leases)) > 1  # renewed at least once during the game
    assert leases == sorted(leases)


def test_an_operator_requeues_failed_battles_once_and_cancels_queued_ones(
    owner_bot: Bot, held_queue: list[int]
) -> None:
    failed = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    waiting = queued_battle(seat_spec_for(bot=owner_bot), seat_spec_for(house="greedy"))
    Battle.objects.filter(pk=failed.pk).update(
        status=Battle.Status.FAILED, attempts=3, failure_reason="no attempt of 3 finished"
    )

    assert services.battles_requeue(battle_ids=[failed.pk, waiting.pk]) == 1
    assert services.battles_requeue(battle_ids=[failed.pk]) == 0  # already queued again
    assert held_queue == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.failure_reason) == (Battle.Status.QUEUED, 0, "")
    assert services.battles_cancel_queued(battle_ids=[failed.pk, waiting.pk]) == 2
    assert set(Battle.objects.values_list("status", flat=True)) == {Battle.Status.CANCELLED}
