"""The stats API: `GET /api/stats/<agent_name>`, where a name may contain a slash; a bot
owner's A/B duels of two versions (`/api/bots/<id>/duel...`, stats/duels.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bots.apis import EnvelopedSchema
from bots.selectors import access_bot
from gamearena.converters import OPENAPI_SCHEMAS
from gamearena.errors import ErrorEnvelopeSerializer
from gamearena.parsers import JSONParser
from stats.duels import duel_create, duel_get, duel_list, duel_progress
from stats.models import Duel
from stats.selectors import get_agent_stats
from stats.serializers import (
    AgentStatsSerializer,
    DuelCreateInputSerializer,
    DuelListResponseSerializer,
    DuelResponseSerializer,
    DuelSerializer,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# owner/name (a username, then a bot name) or house:<name>; the slash is part of the name.
AGENT_NAME_PATTERN = r"[\w.@+-]{1,150}/[A-Za-z0-9_.-]{1,64}|house:[a-z_]{1,64}"


class AgentStatsViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]
    lookup_field = "agent_name"
    lookup_value_regex = AGENT_NAME_PATTERN

    @extend_schema(
        operation_id="stats_retrieve",
        tags=["stats"],
        responses={200: AgentStatsSerializer, 404: OpenApiResponse(ErrorEnvelopeSerializer)},
        auth=[],
    )
    def retrieve(self, request: Request, agent_name: str) -> Response:
        """An agent's record: wins, losses, draws, battles, win rate, faults, last battle."""
        return Response(AgentStatsSerializer(get_agent_stats(agent_name)).data)


# --- duels: /api/bots/<id>/duel, /api/bots/<id>/duel/<duel_id>, /api/bots/<id>/duels ---------


def _duel_errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ErrorEnvelopeSerializer) for status in statuses}


def _duel_body(duel: Duel) -> Any:
    return DuelSerializer(duel_progress(duel=duel)).data


BOT_ID = [OpenApiParameter("bot_id", OPENAPI_SCHEMAS["db_id"], OpenApiParameter.PATH)]
DUEL_ID = [OpenApiParameter("duel_id", OPENAPI_SCHEMAS["db_id"], OpenApiParameter.PATH)]


class DuelStartApi(APIView):
    """Owner only: start an A/B duel of two versions, or list the bot's duels."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    schema = EnvelopedSchema()

    @extend_schema(
        operation_id="bots_duel_start",
        tags=["duels"],
        parameters=BOT_ID,
        request=DuelCreateInputSerializer,
        responses={201: DuelResponseSerializer, **_duel_errors(400, 401, 404, 409, 415)},
    )
    def post(self, request: Request, bot_id: int) -> Response:
        """Plays version `a` against version `b` of this bot in pairs of unrated battles
        (one seed, seats swapped) until the sequential test decides better, worse or equal,
        or the cap on games is reached."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        payload = DuelCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        duel = duel_create(
            bot=bot,
            user=cast("User", request.user),
            version_a=data.pop("a"),
            version_b=data.pop("b"),
            **data,
        )
        return Response({"duel": _duel_body(duel)}, status=201)


class DuelListApi(APIView):
    permission_classes = [IsAuthenticated]
    schema = EnvelopedSchema()

    @extend_schema(
        operation_id="bots_duels_list",
        tags=["duels"],
        parameters=BOT_ID,
        responses={200: DuelListResponseSerializer, **_duel_errors(401, 404)},
    )
    def get(self, request: Request, bot_id: int) -> Response:
        """This bot's duels, newest first, each with its progress."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        return Response({"duels": [_duel_body(duel) for duel in duel_list(bot=bot)]})


class DuelDetailApi(APIView):
    permission_classes = [IsAuthenticated]
    schema = EnvelopedSchema()

    @extend_schema(
        operation_id="bots_duel_retrieve",
        tags=["duels"],
        parameters=[*BOT_ID, *DUEL_ID],
        responses={200: DuelResponseSerializer, **_duel_errors(401, 404)},
    )
    def get(self, request: Request, bot_id: int, duel_id: int) -> Response:
        """A duel's progress: games, W/D/L, both LLRs and their bounds, the decision, and the
        Elo difference of A over B with its 95% interval."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        return Response({"duel": _duel_body(duel_get(bot=bot, duel_id=duel_id))})
