"""The bots API (mounted under /api/ by gamearena/urls.py; routes in bots/urls.py).

Thin views (STYLE #3): validate an input serializer, call one service or selector,
serialize the output. Private data (code, versions, diffs) is reached only through
`access_bot`, which answers 404 to everyone but the owner. Anonymous callers get 401 on
every owner endpoint before any lookup, so they learn nothing about which ids exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bots.selectors import (
    PUBLIC_LIST_DEFAULT_LIMIT,
    access_bot,
    bot_list,
    bot_list_public,
    bot_version_diff,
    bot_version_get,
    bot_version_list,
)
from bots.serializers import (
    BotDetailResponseSerializer,
    BotDiffResponseSerializer,
    BotListResponseSerializer,
    BotMessageResponseSerializer,
    BotResponseSerializer,
    BotRollbackInputSerializer,
    BotRollbackResponseSerializer,
    BotSubmitInputSerializer,
    BotSubmitResponseSerializer,
    BotUpdateInputSerializer,
    BotVersionListResponseSerializer,
    BotVersionResponseSerializer,
    PublicBotListResponseSerializer,
    PublicBotQuerySerializer,
)
from bots.services import bot_rollback, bot_set_active, bot_submit
from gamearena.errors import ErrorEnvelopeSerializer
from gamearena.parsers import JSONParser

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TAGS = ["bots"]


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ErrorEnvelopeSerializer) for status in statuses}


def _owner(request: Request) -> User:
    # Only called behind IsAuthenticated, so the user is a real account.
    return cast("User", request.user)


class SubmitRateThrottle(ScopedRateThrottle):
    """Rate-limits writes only: reading one's own bots stays unthrottled."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class OwnerApi(APIView):
    """Common policy of the owner endpoints: signed-in callers, JSON bodies only."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]


class BotListApi(OwnerApi):
    throttle_classes = [SubmitRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        operation_id="bots_list",
        tags=TAGS,
        responses={200: BotListResponseSerializer, **_errors(401)},
    )
    def get(self, request: Request) -> Response:
        """The caller's bots, active and inactive, by name."""
        bots = bot_list(owner=_owner(request))
        return Response(BotListResponseSerializer({"bots": bots}).data)

    @extend_schema(
        operation_id="bots_submit",
        tags=TAGS,
        request=BotSubmitInputSerializer,
        responses={
            201: OpenApiResponse(BotSubmitResponseSerializer, description="A new bot (version 1)."),
            200: OpenApiResponse(
                BotSubmitResponseSerializer,
                description="A new version, or none if the code is identical (new_version=false).",
            ),
            **_errors(400, 401, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        """Upload code: a new name creates a bot; an existing name gets a new version."""
        payload = BotSubmitInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = bot_submit(owner=_owner(request), **payload.validated_data)
        body = BotSubmitResponseSerializer(
            {
                "message": result.message,
                "created": result.created,
                "new_version": result.new_version,
                "bot": result.bot,
                "version": result.version,
            }
        ).data
        return Response(body, status=201 if result.created else 200)


class BotDetailApi(OwnerApi):
    @extend_schema(
        operation_id="bots_retrieve",
        tags=TAGS,
        responses={200: BotDetailResponseSerializer, **_errors(401, 404)},
    )
    def get(self, request: Request, bot_id: int) -> Response:
        """One of the caller's bots, with its current code."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        return Response(BotDetailResponseSerializer({"bot": bot}).data)

    @extend_schema(
        operation_id="bots_update",
        tags=TAGS,
        request=BotUpdateInputSerializer,
        responses={200: BotResponseSerializer, **_errors(400, 401, 404, 415)},
    )
    def patch(self, request: Request, bot_id: int) -> Response:
        """Switch a bot on or off (`is_active`); code changes go through POST /api/bots."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        payload = BotUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        bot = bot_set_active(bot=bot, is_active=payload.validated_data["is_active"])
        return Response(BotResponseSerializer({"bot": bot}).data)

    @extend_schema(
        operation_id="bots_deactivate",
        tags=TAGS,
        request=None,
        responses={200: BotMessageResponseSerializer, **_errors(401, 404)},
    )
    def delete(self, request: Request, bot_id: int) -> Response:
        """Deactivate a bot. Nothing is deleted: its versions and results are kept."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        bot = bot_set_active(bot=bot, is_active=False)
        message = f"Bot {bot.name} deactivated; its {bot.version_number} version(s) are kept."
        return Response(BotMessageResponseSerializer({"message": message, "bot": bot}).data)


class BotVersionListApi(OwnerApi):
    @extend_schema(
        operation_id="bots_versions_list",
        tags=TAGS,
        responses={200: BotVersionListResponseSerializer, **_errors(401, 404)},
    )
    def get(self, request: Request, bot_id: int) -> Response:
        """The bot's versions, newest first (without code)."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        versions = bot_version_list(bot=bot)
        return Response(BotVersionListResponseSerializer({"versions": versions}).data)


class BotVersionDetailApi(OwnerApi):
    @extend_schema(
        operation_id="bots_version_retrieve",
        tags=TAGS,
        responses={200: BotVersionResponseSerializer, **_errors(401, 404)},
    )
    def get(self, request: Request, bot_id: int, version_number: int) -> Response:
        """One version of the bot, with its code."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        version = bot_version_get(bot=bot, version_number=version_number)
        return Response(BotVersionResponseSerializer({"version": version}).data)


class BotRollbackApi(OwnerApi):
    throttle_classes = [SubmitRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        operation_id="bots_rollback",
        tags=TAGS,
        request=BotRollbackInputSerializer,
        responses={200: BotRollbackResponseSerializer, **_errors(400, 401, 404, 415, 429)},
    )
    def post(self, request: Request, bot_id: int, version_number: int) -> Response:
        """Make an old version's code current again, as a new version (history is kept)."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        payload = BotRollbackInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = bot_rollback(bot=bot, version_number=version_number, **payload.validated_data)
        body = {
            "message": f"Rolled back to version {version_number}",
            "bot": bot,
            "version": version,
        }
        return Response(BotRollbackResponseSerializer(body).data)


class BotVersionDiffApi(OwnerApi):
    @extend_schema(
        operation_id="bots_versions_diff",
        tags=TAGS,
        responses={200: BotDiffResponseSerializer, **_errors(401, 404)},
    )
    def get(self, request: Request, bot_id: int, old_number: int, new_number: int) -> Response:
        """Unified diff from version `old_number` to version `new_number`."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        diff = bot_version_diff(bot=bot, old_number=old_number, new_number=new_number)
        body = {
            "from_version": old_number,
            "to_version": new_number,
            "diff": diff.text,
            "lines": diff.lines,
            "insertions": diff.insertions,
            "deletions": diff.deletions,
        }
        return Response(BotDiffResponseSerializer(body).data)


class PublicBotListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="bots_public_list",
        tags=TAGS,
        parameters=[PublicBotQuerySerializer],
        responses={200: PublicBotListResponseSerializer, **_errors(400)},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        """Everybody's bots, strongest first: name, owner, rating and counts (never code)."""
        query = PublicBotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = bot_list_public(
            owner_username=query.validated_data.get("owner"),
            limit=query.validated_data.get("limit", PUBLIC_LIST_DEFAULT_LIMIT),
            offset=query.validated_data.get("offset", 0),
        )
        return Response(PublicBotListResponseSerializer(page).data)
