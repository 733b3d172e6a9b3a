"""The battles API: a DRF viewset on a router (battles/urls.py), as thin as the bots API.

Battles are public (anyone may watch any game); requesting one needs an account and one of
the caller's own bots. What a bot printed on stderr reaches its owner only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from battles.live import (
    access_live_battle,
    battle_summary,
    live_battle_start,
    live_state,
    live_state_get,
    live_turn_submit,
)
from battles.live_serializers import (
    BattleSummarySerializer,
    LiveStartInputSerializer,
    LiveStartResponseSerializer,
    LiveStateSerializer,
    LiveTurnInputSerializer,
    LiveTurnResponseSerializer,
)
from battles.models import Battle
from battles.selectors import (
    BATTLE_LIST_DEFAULT_LIMIT,
    battle_get,
    battle_list,
    battle_replay_get,
    owned_seats,
    storage_info_get,
)
from battles.serializers import (
    BattleListQuerySerializer,
    BattleListResponseSerializer,
    BattleRequestInputSerializer,
    BattleResponseSerializer,
    ReplayResponseSerializer,
)
from battles.services import battle_cancel, battle_request
from bots.apis import EnvelopedSchema
from gamearena.errors import ErrorEnvelopeSerializer
from gamearena.parsers import JSONParser

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TAGS = ["battles"]
UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ErrorEnvelopeSerializer) for status in statuses}


def _viewer_seats(request: Request, battles: list[Battle]) -> dict[int, set[int]]:
    return {battle.pk: owned_seats(battle=battle, user=request.user) for battle in battles}


class BattleViewSet(viewsets.ViewSet):
    schema = EnvelopedSchema()
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser]
    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN

    def _battle_body(self, request: Request, battle: Battle) -> Any:
        context = {"owner_seats": _viewer_seats(request, [battle])}
        return BattleResponseSerializer({"battle": battle}, context=context).data

    @extend_schema(
        operation_id="battles_list",
        tags=TAGS,
        parameters=[BattleListQuerySerializer],
        responses={200: BattleListResponseSerializer, **_errors(400)},
    )
    def list(self, request: Request) -> Response:
        """Battles, newest first; filter by bot, by a version of it, by status."""
        query = BattleListQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        page = battle_list(
            bot_id=params.get("bot"),
            version_number=params.get("version"),
            status=params.get("status"),
            limit=params.get("limit", BATTLE_LIST_DEFAULT_LIMIT),
            offset=params.get("offset", 0),
        )
        context = {"owner_seats": _viewer_seats(request, page.battles)}
        return Response(BattleListResponseSerializer(page, context=context).data)

    @extend_schema(
        operation_id="battles_request",
        tags=TAGS,
        request=BattleRequestInputSerializer,
        responses={
            202: OpenApiResponse(BattleResponseSerializer, description="Queued for a worker."),
            **_errors(400, 401, 403, 404, 409, 415, 429),
        },
    )
    def create(self, request: Request) -> Response:
        """Ask for an unrated battle between two bots, one of them yours; a worker plays it."""
        payload = BattleRequestInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        battle = battle_request(user=cast("User", request.user), **payload.validated_data)
        return Response(self._battle_body(request, battle_get(public_id=battle.public_id)), 202)

    @extend_schema(
        operation_id="battles_retrieve",
        tags=TAGS,
        responses={200: BattleResponseSerializer, **_errors(404)},
    )
    def retrieve(self, request: Request, public_id: str) -> Response:
        """One battle: its seats, status, result, attempts and each seat's timing summary."""
        return Response(self._battle_body(request, battle_get(public_id=public_id)))

    @extend_schema(
        operation_id="battles_replay",
        tags=TAGS,
        responses={200: ReplayResponseSerializer, **_errors(404)},
    )
    @action(detail=True, methods=["get"])
    def replay(self, request: Request, public_id: str) -> Response:
        """The replay: every turn's outputs, times and state; stderr only for your own seats."""
        battle = battle_get(public_id=public_id)
        seats = owned_seats(battle=battle, user=request.user)
        replay = battle_replay_get(battle=battle, owner_seats=seats)
        body = {"battle": battle.public_id, "replay": replay}
        return Response(ReplayResponseSerializer(body).data)

    @extend_schema(
        operation_id="battles_cancel",
        tags=TAGS,
        request=None,
        responses={200: BattleResponseSerializer, **_errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, public_id: str) -> Response:
        """Cancel a battle you requested while it is still queued."""
        battle = battle_get(public_id=public_id)
        battle = battle_cancel(battle=battle, user=cast("User", request.user))
        return Response(self._battle_body(request, battle_get(public_id=battle.public_id)))

    # -- live battles (battles/live.py) --------------------------------------------------

    @extend_schema(
        operation_id="battles_live_start",
        tags=TAGS,
        request=LiveStartInputSerializer,
        responses={201: LiveStartResponseSerializer, **_errors(400, 401, 404, 409, 429, 503)},
    )
    @action(detail=False, methods=["post"], url_path="live")
    def live(self, request: Request) -> Response:
        """Start a live battle: you play one seat over the API, turn by turn."""
        payload = LiveStartInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = cast("User", request.user)
        battle = live_battle_start(user=user, **payload.validated_data)
        state = live_state(access_live_battle(battle=battle, user=user))
        return Response({"id": str(battle.public_id), **state}, 201)

    @extend_schema(
        operation_id="battles_live_state",
        tags=TAGS,
        responses={200: LiveStateSerializer, **_errors(404, 410, 503)},
    )
    @action(detail=True, methods=["get"])
    def state(self, request: Request, public_id: str) -> Response:
        """What your seat must answer now: the input text, as JSON too, the turn, the deadline
        (once over: `state.over`, no text, no deadline, and the summary)."""
        battle = battle_get(public_id=public_id)
        return Response(live_state_get(battle=battle, user=request.user))

    @extend_schema(
        operation_id="battles_live_turn",
        tags=TAGS,
        request=LiveTurnInputSerializer,
        responses={200: LiveTurnResponseSerializer, **_errors(400, 401, 404, 409, 410, 503)},
    )
    @action(detail=True, methods=["post"])
    def turn(self, request: Request, public_id: str) -> Response:
        """Play your command for a turn; the answer carries the next state (or the summary)."""
        payload = LiveTurnInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        battle = battle_get(public_id=public_id)
        user = cast("User", request.user)
        return Response(live_turn_submit(battle=battle, user=user, **payload.validated_data))

    @extend_schema(
        operation_id="battles_summary",
        tags=TAGS,
        responses={200: BattleSummarySerializer, **_errors(404, 503)},
    )
    @action(detail=True, methods=["get"])
    def summary(self, request: Request, public_id: str) -> Response:
        """Scores, turns, winner and each seat's status, while running and after (public)."""
        return Response(battle_summary(battle=battle_get(public_id=public_id)))


class StorageInfoApi(APIView):
    """Which storage backends this server uses, so operators and tests can check the truth."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "StorageInfo",
            {
                "database": serializers.DictField(child=serializers.CharField()),
                "cache": serializers.DictField(child=serializers.CharField()),
                "live_battles": serializers.DictField(),
                "finished_battles": serializers.DictField(),
            },
        )
    )
    def get(self, request: Request) -> Response:
        return Response(storage_info_get())
