"""The stats API. Public: `GET /api/stats/<agent_name>` (a name may contain a slash),
`GET /api/leaderboard`, and under `/api/bots/<id>/`: `stats`, `rating-history` and
`head-to-head/<other id>`. A bot owner's own: the A/B duels of two versions
(`/api/bots/<id>/duel...`, stats/duels.py). Thin views over the selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from bots.apis import EnvelopedSchema
from bots.selectors import access_bot, bot_get_public
from gamearena.converters import OPENAPI_SCHEMAS
from gamearena.errors import ErrorEnvelopeSerializer
from gamearena.parsers import JSONParser
from stats.duels import duel_create, duel_get, duel_list, duel_progress
from stats.models import Duel
from stats.selectors import (
    HISTORY_DEFAULT_LIMIT,
    LEADERBOARD_DEFAULT_LIMIT,
    bot_stats_get,
    get_agent_stats,
    head_to_head_get,
    leaderboard_page,
    rating_history_list,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from stats.serializers import (
    AgentStatsSerializer,
    BotStatsSerializer,
    DuelCreateInputSerializer,
    DuelListResponseSerializer,
    DuelResponseSerializer,
    DuelSerializer,
    HeadToHeadSerializer,
    HistoryQuerySerializer,
    LeaderboardQuerySerializer,
    LeaderboardSerializer,
    RatingHistorySerializer,
)

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


class BotDuelViewSet(viewsets.ViewSet):
    """Owner only, under /api/bots/<id>/: start an A/B duel of two versions, list the bot's
    duels, read one duel's progress."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    schema = EnvelopedSchema()
    lookup_url_kwarg = "bot_id"
    lookup_value_converter = "db_id"

    @extend_schema(
        operation_id="bots_duel_start",
        tags=["duels"],
        parameters=BOT_ID,
        request=DuelCreateInputSerializer,
        responses={201: DuelResponseSerializer, **_duel_errors(400, 401, 404, 409, 415)},
    )
    @action(detail=True, methods=["post"], url_path="duel", url_name="duel-start")
    def start(self, request: Request, bot_id: int) -> Response:
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

    @extend_schema(
        operation_id="bots_duels_list",
        tags=["duels"],
        parameters=BOT_ID,
        responses={200: DuelListResponseSerializer, **_duel_errors(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="duels", url_name="duel-list")
    def duels(self, request: Request, bot_id: int) -> Response:
        """This bot's duels, newest first, each with its progress."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        return Response({"duels": [_duel_body(duel) for duel in duel_list(bot=bot)]})

    @extend_schema(
        operation_id="bots_duel_retrieve",
        tags=["duels"],
        parameters=[*BOT_ID, *DUEL_ID],
        responses={200: DuelResponseSerializer, **_duel_errors(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="duel/<db_id:duel_id>", url_name="duel-detail")
    def duel(self, request: Request, bot_id: int, duel_id: int) -> Response:
        """A duel's progress: games, W/D/L, both LLRs and their bounds, the decision, and the
        Elo difference of A over B with its 95% interval."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        return Response({"duel": _duel_body(duel_get(bot=bot, duel_id=duel_id))})


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ErrorEnvelopeSerializer) for status in statuses}


def _path_ids(*names: str) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(name, OPENAPI_SCHEMAS["db_id"], OpenApiParameter.PATH) for name in names
    ]


class LeaderboardViewSet(viewsets.ViewSet):
    """GET /api/leaderboard: every active bot by conservative score, with its rank interval."""

    permission_classes = [AllowAny]
    schema = EnvelopedSchema()

    @extend_schema(
        operation_id="leaderboard_list",
        tags=["stats"],
        parameters=[LeaderboardQuerySerializer],
        responses={200: LeaderboardSerializer, **_errors(400)},
        auth=[],
    )
    def list(self, request: Request) -> Response:
        """Rank, rank interval at 90%, conservative score, Elo, battles, win rate, active
        version and last battle of each bot, best first."""
        query = LeaderboardQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        page = leaderboard_page(
            limit=query.validated_data.get("limit", LEADERBOARD_DEFAULT_LIMIT),
            offset=query.validated_data.get("offset", 0),
        )
        return Response(LeaderboardSerializer(page).data)


class BotStatsViewSet(viewsets.ViewSet):
    """Public reads of any bot under /api/bots/<id>/...: its stats, rating history and
    head-to-head record (the owner-only actions are bots/apis.py's)."""

    permission_classes = [AllowAny]
    lookup_url_kwarg = "bot_id"
    lookup_value_converter = "db_id"

    @extend_schema(
        operation_id="bots_stats_retrieve",
        tags=["stats"],
        parameters=_path_ids("bot_id"),
        responses={200: BotStatsSerializer, **_errors(404)},
        auth=[],
    )
    @action(detail=True, methods=["get"], url_path="stats", url_name="stats")
    def stats(self, request: Request, bot_id: int) -> Response:
        """Per version: battles, wins, draws, faults by kind, rating and its latest history,
        and the time used per turn against the turn limit."""
        return Response(BotStatsSerializer(bot_stats_get(bot_id=bot_id)).data)

    @extend_schema(
        operation_id="bots_rating_history",
        tags=["stats"],
        parameters=[*_path_ids("bot_id"), HistoryQuerySerializer],
        responses={200: RatingHistorySerializer, **_errors(400, 404)},
        auth=[],
    )
    @action(detail=True, methods=["get"], url_path="rating-history", url_name="rating-history")
    def rating_history(self, request: Request, bot_id: int) -> Response:
        """The bot's ratings after each rated battle, newest first, across its versions."""
        query = HistoryQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        limit = query.validated_data.get("limit", HISTORY_DEFAULT_LIMIT)
        history = rating_history_list(bot_id=bot_id, limit=limit)
        bot = bot_get_public(bot_id=bot_id)
        return Response(RatingHistorySerializer({"bot": bot, "history": history}).data)

    @extend_schema(
        operation_id="bots_head_to_head",
        tags=["stats"],
        parameters=_path_ids("bot_id", "opponent_id"),
        responses={200: HeadToHeadSerializer, **_errors(404)},
        auth=[],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="head-to-head/<db_id:opponent_id>",
        url_name="head-to-head",
    )
    def head_to_head(self, request: Request, bot_id: int, opponent_id: int) -> Response:
        """Wins, losses and draws of the first bot against the second, per pair of versions,
        and their latest battles."""
        record = head_to_head_get(bot_id=bot_id, opponent_id=opponent_id)
        return Response(HeadToHeadSerializer(record).data)
