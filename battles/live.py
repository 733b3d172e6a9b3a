"""Live battles: one seat is remote (a person in a browser, or a program calling the API).

The referee loop is the one of every battle (battles/match.py); only the remote seat's
transport differs. :class:`RemoteSeat` publishes the seat's input in the live store
(battles/live_store.py) and waits, bounded by a person's deadline (LIVE_TURN_SECONDS), for the
command the API writes there once per turn. The other seat is a stored or house bot in the
sandbox, as in any battle.

Where things run:

- the web (``live_battle_start``, ``live_turn_submit``, ...) writes the Battle row, the live
  entry and the commands; it never plays;
- a worker of the ``live`` queue (a threads pool: waiting for a person costs no CPU) plays the
  battle (``live_battle_play``) with the claim and lease of every battle, the lease renewed
  every second while it waits, and records it as any battle (services._finish).

A worker that dies mid-battle leaves its lease to run out; the sweep queues the battle again,
and the next claim ends it as a platform failure that says at which turn (the opponent bot's
process, and what it had learnt, died with the worker: a rebuilt battle would not be the same
game for it). Nothing is ever silently lost or recorded twice.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from battles import live_keys as keys
from battles.bot_sources import BotSourceError, seat_bot
from battles.engine import Game, OutputPolicy
from battles.errors import (
    BattleExpiredError,
    BattleNotFoundError,
    BattleOverError,
    LeaseLostError,
    TooManyLiveBattlesError,
    TurnConflictError,
)
from battles.live_events import live_events_publish_turn
from battles.live_store import BattleStorage, live_store
from battles.match import MatchResult, referee
from battles.models import Battle, BattleSeat
from battles.replay import ReplayTurn
from battles.sandbox import Answer, AnswerStatus, BotProcess, SandboxError, sandbox_level
from battles.sandbox_policy import (
    SandboxRefusedError,
    bot_interpreter,
    ensure_sandbox_ready,
    match_limits,
    sandbox_mode,
)

# The claim, the platform-fault path and the recording are every battle's: reused, not copied.
from battles.services import (
    SeatSpec,
    _claim,
    _finish,
    _platform_fault,
    _requested_seat,
    battle_create,
    lease_clock,
)
from gamearena.env import arena_settings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

logger = logging.getLogger(__name__)

WAITING = "waiting"  # the remote seat's input is published; its command is awaited
OVER = "over"


# -- the state a remote seat sees ---------------------------------------------------------


def parse_input(text: str, board: dict[str, Any] | None) -> dict[str, Any]:
    """The turn input `text` (docs/rules.md §5.2, with the §5.1 map on the first turn) as JSON:
    exactly what the text says, so a page or a program may read either."""
    lines = text.split("\n")
    at = 0
    if board is None:
        width, height = (int(v) for v in lines[0].split())
        board = {"width": width, "height": height, "rows": lines[1 : 1 + height]}
        at = 1 + height
    my_score, their_score = (int(v) for v in lines[at].split())
    count = int(lines[at + 1])
    pacs = []
    for line in lines[at + 2 : at + 2 + count]:
        pac, mine, x, y, kind, speed, cooldown = line.split()
        pacs.append(
            {
                "id": int(pac),
                "mine": mine == "1",
                "x": int(x),
                "y": int(y),
                "type": kind,
                "speed_turns_left": int(speed),
                "ability_cooldown": int(cooldown),
            }
        )
    at += 2 + count
    pellets = [
        {"x": int(x), "y": int(y), "value": int(value)}
        for x, y, value in (line.split() for line in lines[at + 1 : at + 1 + int(lines[at])])
    ]
    return {
        "map": board,
        "scores": {"mine": my_score, "opponent": their_score},
        "pacs": pacs,
        "pellets": pellets,
    }


def fogged_snapshot(whole: dict[str, Any], view: dict[str, Any], seat: int) -> dict[str, Any]:
    """The engine's snapshot shape (what replays and the watching page draw) holding only what
    `seat` sees (its input `view`, parsed): the pacs and pellets in its sight, the super
    pellets. Unknowns of a seen pac (its type once dead, its speed, its last move) are left
    plain: "DEAD", 1 or 2 from its boost counter, 0."""
    scores = view["scores"]
    pacs = [
        [
            seat if pac["mine"] else 1 - seat,
            pac["id"],
            pac["x"],
            pac["y"],
            pac["type"],
            pac["type"],
            2 if pac["speed_turns_left"] else 1,
            pac["speed_turns_left"],
            pac["ability_cooldown"],
            0,
        ]
        for pac in view["pacs"]
    ]
    pellets = view["pellets"]
    return {
        "turn": whole["turn"],
        "over": whole["over"],
        "scores": [scores["mine"], scores["opponent"]][:: 1 if seat == 0 else -1],
        "active": whole["active"],
        "pacs": sorted(pacs, key=lambda row: (row[0], row[1])),
        "pellets": sorted(([p["x"], p["y"]] for p in pellets if p["value"] == 1), key=_row_major),
        "super_pellets": [[p["x"], p["y"]] for p in pellets if p["value"] > 1],
        "fogged_for_seat": seat,
    }


def _row_major(cell: list[int]) -> tuple[int, int]:
    return cell[1], cell[0]


# -- the remote seat's transport ----------------------------------------------------------


@dataclass
class RemoteSeat:
    """A Transport whose answers come over the API through the live store."""

    store: BattleStorage
    battle_id: str
    entry: dict[str, Any]
    turn_seconds: int
    max_line_bytes: int
    heartbeat: Any  # called about every second while waiting: renews the lease or raises
    seat: int = 0
    turn: int = 0
    closed: bool = field(default=False)
    # The last turn's replay record, published with the seat's next view (see hold()).
    held: list[ReplayTurn] = field(default_factory=list)

    def hold(self, record: ReplayTurn) -> None:
        """Keeps a played turn's record until the seat's next input exists: a running live
        battle's stream shows the board as the remote player sees it (fogged), never the whole
        state, or the player could watch their own battle to see through the fog."""
        self.held.append(record)

    def release(self, view: dict[str, Any] | None) -> None:
        """Publishes the held turn: with the player's view, or (view None, the game is over)
        with the whole state, as the replay shows it anyway."""
        for record in self.held:
            shown = None if view is None else fogged_snapshot(record["state"], view, self.seat)
            live_events_publish_turn(battle_id=self.battle_id, record=record, view=shown)
        self.held.clear()

    @property
    def own_deadline_ms(self) -> int:
        return self.turn_seconds * 1000

    def exchange(self, text: str, timeout_ms: int) -> Answer:
        self.turn += 1
        self._publish(text)
        started = time.monotonic()
        command = self.store.wait_for(
            self.battle_id, keys.command_name(self.turn), self.turn_seconds, tick=self.heartbeat
        )
        elapsed_ms = (time.monotonic() - started) * 1000
        if command is None:
            return Answer(
                AnswerStatus.TIMEOUT,
                elapsed_ms=elapsed_ms,
                detail=f"the remote player sent no command within {self.turn_seconds} s",
            )
        if len(command.encode()) > self.max_line_bytes:
            return Answer(AnswerStatus.OUTPUT_TOO_LONG, elapsed_ms=elapsed_ms)
        return Answer(AnswerStatus.OK, command.rstrip("\r\n"), elapsed_ms=elapsed_ms)

    def _publish(self, text: str) -> None:
        state = parse_input(text, None if self.turn == 1 else self.entry.get("map"))
        self.entry.update(
            status=WAITING,
            turn=self.turn,
            text=text,
            map=state["map"],
            state=state,
            deadline=keys.live_clock() + self.turn_seconds,
        )
        self.store.save_battle(self.battle_id, self.entry)  # the TTL starts again
        if self.turn > 1:  # wakes the request that sent the previous turn's command
            self.store.put_once(self.battle_id, keys.played_name(self.turn - 1), "1")
        self.release(state)

    def close(self) -> None:
        self.closed = True


# -- starting ------------------------------------------------------------------------------


def live_battle_start(
    *, user: User, opponent: int | str, seat: int | None = None, seed: int | None = None
) -> Battle:
    """A live battle of `user` (remote seat) against a bot or ``house:<name>``; queued for a
    live worker once the transaction commits. The first input is computed here (the engine is
    deterministic), so the answer carries it at once."""
    store = live_store()
    store.ping()  # a store that does not answer: 503 before anything is written
    opponent_spec = _requested_seat(user=user, bot=opponent)
    seat = 0 if seat is None else seat
    player = SeatSpec(player=user)
    seats = (player, opponent_spec) if seat == 0 else (opponent_spec, player)
    with transaction.atomic():
        _check_live_limits(user)
        battle = battle_create(
            seats=seats, reason=Battle.Reason.LIVE, requested_by=user, seed=seed, enqueue=False
        )
        entry = _first_entry(battle, seat=seat, player=user)
        store.save_battle(str(battle.public_id), entry)
        battle_id = battle.pk
        transaction.on_commit(lambda: live_enqueue(battle_id=battle_id))
    return battle


def _check_live_limits(user: User) -> None:
    arena = arena_settings()
    # The user's row lock queues one user's concurrent starts (as battle_request does).
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    open_live = Battle.objects.filter(reason=Battle.Reason.LIVE, status__in=Battle.OPEN_STATUSES)
    mine = open_live.filter(requested_by=user).count()
    if mine >= arena["LIVE_MAX_PER_USER"]:
        raise TooManyLiveBattlesError(
            f"You already play {mine} live battles (at most {arena['LIVE_MAX_PER_USER']}).",
            details={"open": mine, "limit": arena["LIVE_MAX_PER_USER"]},
        )
    running = open_live.count()
    if running >= arena["LIVE_MAX_BATTLES"]:
        raise TooManyLiveBattlesError(
            f"The arena runs {running} live battles, its most; try again in a while.",
            code="live_battles_full",
            details={"open": running, "limit": arena["LIVE_MAX_BATTLES"]},
        )


def _first_entry(battle: Battle, *, seat: int, player: User) -> dict[str, Any]:
    game = Game.from_seed(battle.seed, policy=OutputPolicy(battle.policy))
    text = game.input_for(seat)
    state = parse_input(text, None)
    return {
        "battle": str(battle.public_id),
        "seat": seat,
        "player": player.pk,
        "status": WAITING,
        "turn": 1,
        "text": text,
        "map": state["map"],
        "state": state,
        "deadline": keys.live_clock() + arena_settings()["LIVE_TURN_SECONDS"],
    }


def live_enqueue(*, battle_id: int, countdown: float = 0) -> None:
    """Hands a live battle to the live workers (never to the ladder's)."""
    from battles.tasks import play_live_battle

    if play_live_battle.app.conf.task_always_eager:
        # Eager tasks run inside the request: this one would wait there for the very player
        # whose request it holds. In a thread of this process instead, as a live worker's.
        threading.Thread(
            target=_play_in_this_process, args=(battle_id,), daemon=True, name="live-battle"
        ).start()
        return
    try:
        queue = arena_settings()["LIVE_QUEUE"]
        play_live_battle.apply_async(args=[battle_id], countdown=countdown, queue=queue)
    except Exception:
        logger.exception(
            "live battle %s: the broker did not take it; the sweep will retry", battle_id
        )


def _play_in_this_process(battle_id: int) -> None:
    try:
        live_battle_play(battle_id=battle_id)
    except Exception:
        logger.exception("live battle %s: played in this process, it failed", battle_id)
    finally:
        connection.close()  # this thread's own connection


# -- playing (the worker) ------------------------------------------------------------------


def live_battle_play(*, battle_id: int) -> Battle | None:
    """The live worker's service: claims the battle, plays it against the remote seat, records
    it as any battle and deletes its live entry. None when there was nothing to do."""
    claim = _claim(battle_id)
    if claim is None:
        return None
    battle = claim.battle
    public_id = str(battle.public_id)
    store = live_store()
    entry = store.get_battle(public_id)
    if entry is None:
        return _expire_claimed(claim)
    if claim.battle.attempts > 1 and entry.get("turn", 1) > 1:
        reason = (
            f"the worker playing this live battle stopped at turn {entry['turn']}; "
            "a live battle cannot be resumed (its opponent's process died with it)"
        )
        return _end_with_fault(claim, store, reason)
    try:
        result, seats = _play(claim, store, entry)
    except LeaseLostError:
        logger.warning("live battle %s: lease lost (expired or taken over)", battle.pk)
        return None
    except SandboxError as error:
        return _end_with_fault(claim, store, f"sandbox: {error}")
    except (SandboxRefusedError, BotSourceError) as error:
        return _end_with_fault(claim, store, str(error))
    finished = _finish(claim, seats, result)
    _close_entry(store, public_id, entry, last_turn=result.outcome.turns)
    return finished


def _play(
    claim: Any, store: BattleStorage, entry: dict[str, Any]
) -> tuple[MatchResult, list[BattleSeat]]:
    battle = claim.battle
    seats = list(battle.seats.select_related("bot_version__bot__owner").order_by("seat"))
    mode = sandbox_mode()
    ensure_sandbox_ready(mode)
    limits = match_limits()
    arena = arena_settings()
    remote = RemoteSeat(
        store=store,
        battle_id=str(battle.public_id),
        entry=entry,
        turn_seconds=arena["LIVE_TURN_SECONDS"],
        max_line_bytes=limits.max_line_bytes,
        heartbeat=lambda: _renew_lease(claim),
        seat=int(entry["seat"]),
    )
    with ExitStack() as stack:
        transports: list[Any] = []
        for seat in seats:
            if seat.is_remote:
                transports.append(remote)
            else:
                program = seat_bot(seat, interpreter=bot_interpreter()).program
                transports.append(
                    stack.enter_context(BotProcess.start(program, limits=limits, mode=mode))
                )
        result = referee(
            transports,
            seed=battle.seed,
            limits=limits,
            mode=mode,
            level=str(sandbox_level(mode)),
            policy=OutputPolicy(battle.policy),
            on_turn=lambda turn: _renew_lease(claim),
            on_record=remote.hold,
        )
    remote.release(None)  # the last turn, whole: the game is over
    return result, seats


def _renew_lease(claim: Any) -> None:
    """Renews the lease (a compare-and-set on the claim's token) every sixth of it; raises
    LeaseLostError when it was lost: the battle expired meanwhile (a sixth of the lease is
    how long a worker may go on waiting for an expired battle), or another attempt has it."""
    seconds = arena_settings()["BATTLE_LEASE_SECONDS"]
    if lease_clock() - claim.renewed_at < seconds / 6:
        return
    claim.renewed_at = lease_clock()
    lease = timedelta(seconds=seconds)
    renewed = Battle.objects.filter(
        pk=claim.battle.pk, status=Battle.Status.RUNNING, lease_token=claim.token
    ).update(lease_expires_at=timezone.now() + lease)
    if not renewed:
        raise LeaseLostError()


def _close_entry(
    store: BattleStorage, public_id: str, entry: dict[str, Any], *, last_turn: int
) -> None:
    """After the result is recorded: wakes the last turn's request, ends the stream, and
    deletes the entry (the Battle row now answers for it)."""
    entry.update(status=OVER)
    try:
        store.save_battle(public_id, entry)
        store.put_once(public_id, keys.played_name(int(entry.get("turn", last_turn))), "1")
        store.delete_battle(public_id)
    except Exception as error:  # the result is recorded; its TTL will remove the entry
        logger.warning("live battle %s: entry not closed (%r)", public_id, error)


def _end_with_fault(claim: Any, store: BattleStorage, reason: str) -> Battle | None:
    battle = _platform_fault(claim, reason, permanent=True)
    public_id = str(claim.battle.public_id)
    entry = store.get_battle(public_id) or {}
    _close_entry(store, public_id, entry, last_turn=int(entry.get("turn", 0)))
    return battle


def _expire_claimed(claim: Any) -> Battle | None:
    changed = Battle.objects.filter(
        pk=claim.battle.pk, status=Battle.Status.RUNNING, lease_token=claim.token
    ).update(**_expired_fields())
    return Battle.objects.get(pk=claim.battle.pk) if changed else None


def _expired_fields() -> dict[str, Any]:
    return {
        "status": Battle.Status.EXPIRED,
        "finished_at": timezone.now(),
        "lease_token": None,
        "lease_expires_at": None,
        "failure_reason": "its live entry outlived its TTL (BATTLE_TTL_SECONDS)",
    }


def live_battles_expire(*, public_ids: list[str]) -> int:
    """Marks expired the open live battles among `public_ids` (a compare-and-set): their
    entries outlived the TTL. A worker still holding one loses its lease at its next beat."""
    return Battle.objects.filter(
        public_id__in=[uuid.UUID(value) for value in public_ids],
        reason=Battle.Reason.LIVE,
        status__in=Battle.OPEN_STATUSES,
    ).update(**_expired_fields())


# -- the API's reads and writes -------------------------------------------------------------


def access_live_battle(*, battle: Battle, user: User | AnonymousUser) -> dict[str, Any]:
    """The live entry of `battle` for the player who started it; 404 for everybody else (its
    existence is not theirs to learn here), 410 once its TTL lapsed, 409 once it is over."""
    if battle.reason != Battle.Reason.LIVE or battle.requested_by_id != user.pk:
        raise BattleNotFoundError()
    entry = live_store().get_battle(str(battle.public_id))
    if entry is not None and entry.get("status") == WAITING:
        return entry
    battle.refresh_from_db()
    if battle.status in Battle.OPEN_STATUSES and entry is None:
        live_battles_expire(public_ids=[str(battle.public_id)])
        battle.refresh_from_db()
    if battle.status == Battle.Status.EXPIRED:
        raise BattleExpiredError()
    if battle.status in Battle.OPEN_STATUSES and entry is not None:
        return entry  # the last turn is being played
    raise BattleOverError(
        f"This battle is {battle.status}: GET /api/battles/{battle.public_id}/summary.",
        details={"status": battle.status},
    )


def live_state(entry: dict[str, Any]) -> dict[str, Any]:
    """What the remote seat must answer now: its input text byte for byte, the same as JSON,
    the turn awaited and its deadline (ISO 8601, UTC)."""
    deadline = datetime.fromtimestamp(entry["deadline"], tz=UTC)
    return {
        "battle": entry["battle"],
        "seat": entry["seat"],
        "status": "running",
        "turn": entry["turn"],
        "text": entry["text"],
        "state": entry["state"],
        "deadline": deadline.isoformat().replace("+00:00", "Z"),
    }


def live_state_get(*, battle: Battle, user: User | AnonymousUser) -> dict[str, Any]:
    """The state to answer now; once the battle is over, a last state saying so (`state.over`,
    no text, no deadline) with the summary, so a client polling for its next turn sees the end
    rather than an error. Expired: 410; not the caller's: 404."""
    try:
        return live_state(access_live_battle(battle=battle, user=user))
    except BattleOverError:
        summary = battle_summary(battle=battle)
    seat = next(s.seat for s in battle.seats.all() if s.is_remote)
    scores = summary["scores"]
    return {
        "battle": str(battle.public_id),
        "seat": seat,
        "status": battle.status,
        "turn": summary["turns"] or 0,
        "text": "",
        "state": {
            "over": True,
            "scores": {"mine": scores[seat], "opponent": scores[1 - seat]},
        },
        "deadline": None,
        "summary": summary,
    }


def live_turn_submit(*, battle: Battle, user: User, turn: int, command: str) -> dict[str, Any]:
    """Sends the remote seat's command for `turn`, once: a second command for the same turn,
    or one for a turn already played or not open, is a 409 and is never applied. Waits for the
    turn to be played (the opponent answers within its own deadline) and returns what follows:
    the next state, or the summary once the game is over."""
    entry = access_live_battle(battle=battle, user=user)
    awaited = int(entry["turn"])
    if turn != awaited:
        state = "already played" if turn < awaited else "not open yet"
        raise TurnConflictError(
            f"Turn {turn} is {state}: the battle awaits turn {awaited}.",
            code="turn_already_played" if turn < awaited else "turn_not_open",
            details={"awaited": awaited},
        )
    store = live_store()
    public_id = str(battle.public_id)
    if not store.put_once(public_id, keys.command_name(turn), command):
        raise TurnConflictError(
            f"A command for turn {turn} was already sent; it is the one played.",
            code="turn_already_played",
            details={"awaited": awaited},
        )
    wait = arena_settings()["LIVE_TURN_WAIT_SECONDS"]
    played = store.wait_for(public_id, keys.played_name(turn), wait)
    return live_turn_outcome(battle=battle, turn=turn, played=played is not None)


def live_turn_outcome(*, battle: Battle, turn: int, played: bool) -> dict[str, Any]:
    entry = live_store().get_battle(str(battle.public_id))
    if entry is not None and entry.get("status") == WAITING and int(entry["turn"]) > turn:
        return {"played": True, **live_state(entry)}
    battle.refresh_from_db()
    if battle.status not in Battle.OPEN_STATUSES:
        return {
            "played": True,
            "status": battle.status,
            "turn": turn,
            "summary": battle_summary(battle=battle),
        }
    # Accepted, not played yet (no live worker took the battle so far): GET state later.
    return {"played": False, "status": "running", "turn": turn}


def battle_summary(*, battle: Battle) -> dict[str, Any]:
    """Scores, turns, winner and each seat's status, while running and after; no stderr."""
    seats = sorted(battle.seats.all(), key=lambda s: s.seat)
    entry = None
    if battle.status in Battle.OPEN_STATUSES and battle.reason == Battle.Reason.LIVE:
        entry = live_store().get_battle(str(battle.public_id))
        if entry is None and live_battles_expire(public_ids=[str(battle.public_id)]):
            battle.refresh_from_db()  # its TTL lapsed: the summary tells the truth
    scores = [seat.score for seat in seats]
    turn = battle.turns
    if entry is not None and entry.get("state"):
        mine, theirs = entry["state"]["scores"]["mine"], entry["state"]["scores"]["opponent"]
        scores = [mine, theirs] if entry["seat"] == 0 else [theirs, mine]
        turn = int(entry["turn"]) - 1  # turns played so far
    return {
        "id": str(battle.public_id),
        "status": battle.status,
        "reason": battle.reason,
        "turns": turn,
        "scores": scores,
        "winner": battle.winner_seat,
        "termination": battle.termination or None,
        "failure_reason": battle.failure_reason or None,
        "seats": [
            {
                "seat": seat.seat,
                "name": seat.display_name,
                "kind": "player" if seat.is_remote else ("house" if seat.house_bot else "bot"),
                "score": scores[seat.seat],
                "status": seat.status or None,
                "reason": seat.reason or None,
            }
            for seat in seats
        ],
    }


def live_store_health() -> dict[str, Any]:
    """/health's part for the live store: does the backend in use answer."""
    store = None
    try:
        store = live_store()
        store.ping()
    except Exception as error:
        name = store.name if store is not None else "unknown"
        logger.warning("health: live store %s is not answering: %r", name, error)
        return {"ok": False, "backend": name, "error": type(error).__name__}
    return {"ok": True, "backend": store.name}
