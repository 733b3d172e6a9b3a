"""The bots API: one viewset on a router (bots/urls.py), mounted under /api/.

Thin actions (STYLE #3): validate an input serializer, call one service or selector,
serialize the output. Private data (code, versions, diffs) is reached only through
`access_bot`, which answers 404 to everyone but the owner. Anonymous callers get 401 on
every owner endpoint before any lookup, so they learn nothing about which ids exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

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
from bots.services import bot_rollback, bot_set_active, bot_submit, bot_update
from gamearena.converters import OPENAPI_SCHEMAS
from gamearena.errors import ErrorEnvelopeSerializer
from gamearena.parsers import JSONParser
from gamearena.throttling import SharedScopedRateThrottle

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TAGS = ["bots"]


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ErrorEnvelopeSerializer) for status in statuses}


def _path(*names: str, converter: str = "db_int") -> list[OpenApiParameter]:
    # The URL converters bound every number to what the database can store; the schema
    # says so, so a client (or a fuzzer) knows a bigger number is not a valid address.
    return [
        OpenApiParameter(name, OPENAPI_SCHEMAS[converter], OpenApiParameter.PATH) for name in names
    ]


BOT_ID = _path("bot_id", converter="db_id")


def _owner(request: Request) -> User:
    # Only called behind IsAuthenticated, so the user is a real account.
    return cast("User", request.user)


class SubmitRateThrottle(SharedScopedRateThrottle):
    """Rate-limits writes only: reading one's own bots stays unthrottled. Counts are shared by
    every server process (gamearena/throttling.py)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class EnvelopedSchema(AutoSchema):
    """Every answer of this API is one JSON object (`{"bots": [...]}`), never a bare list.

    drf-spectacular guesses that a viewset's `list` action answers an array and would
    document `[{"bots": [...]}]`; the serializers named in `extend_schema` are the truth.
    """

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class BotViewSet(viewsets.ViewSet):
    """/api/bots, /api/bots/public, /api/bots/<id> and the versions, rollback and diff actions.

    Owner endpoints take signed-in callers and JSON bodies only; the public list is open
    to anybody. Uploads and rollbacks share the "submit" rate limit.
    """

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    schema = EnvelopedSchema()
    throttle_scope = "submit"
    lookup_url_kwarg = "bot_id"
    lookup_value_converter = "db_id"  # gamearena/converters.py: bounded to a bigint

    THROTTLED_ACTIONS = frozenset({"list", "create", "rollback"})

    def get_throttles(self) -> list[BaseThrottle]:
        if self.action in self.THROTTLED_ACTIONS:
            return [SubmitRateThrottle()]
        return []

    # --- /api/bots -------------------------------------------------------------------

    @extend_schema(
        operation_id="bots_list",
        tags=TAGS,
        responses={200: BotListResponseSerializer, **_errors(401)},
    )
    def list(self, request: Request) -> Response:
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
    def create(self, request: Request) -> Response:
        """Upload code: a new name creates a bot; an existing name gets a new version.

        Uploading to an inactive bot still records the code, and the message says the
        bot is inactive.
        """
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

    @extend_schema(
        operation_id="bots_public_list",
        tags=TAGS,
        parameters=[PublicBotQuerySerializer],
        responses={200: PublicBotListResponseSerializer, **_errors(400)},
        auth=[],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="public",
        url_name="public-list",
        permission_classes=[AllowAny],
    )
    def public(self, request: Request) -> Response:
        """Everybody's bots, strongest first: name, owner, rating and counts (never code)."""
        # A plain dict: a QueryDict would make DRF skip an empty `owner=` instead of refusing it.
        query = PublicBotQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        page = bot_list_public(
            owner_username=query.validated_data.get("owner"),
            limit=query.validated_data.get("limit", PUBLIC_LIST_DEFAULT_LIMIT),
            offset=query.validated_data.get("offset", 0),
        )
        return Response(PublicBotListResponseSerializer(page).data)

    # --- /api/bots/<id> --------------------------------------------------------------

    @extend_schema(
        operation_id="bots_retrieve",
        tags=TAGS,
        parameters=BOT_ID,
        responses={200: BotDetailResponseSerializer, **_errors(401, 404)},
    )
    def retrieve(self, request: Request, bot_id: int) -> Response:
        """One of the caller's bots, with its current code."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        return Response(BotDetailResponseSerializer({"bot": bot}).data)

    @extend_schema(
        operation_id="bots_update",
        tags=TAGS,
        parameters=BOT_ID,
        request=BotUpdateInputSerializer,
        responses={200: BotResponseSerializer, **_errors(400, 401, 404, 415)},
    )
    def partial_update(self, request: Request, bot_id: int) -> Response:
        """Change only the fields sent (`is_active`, `description`); `{}` changes nothing.

        Code changes go through POST /api/bots, as a new version.
        """
        bot = access_bot(user=request.user, bot_id=bot_id)
        payload = BotUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        bot = bot_update(bot=bot, **payload.validated_data)
        return Response(BotResponseSerializer({"bot": bot}).data)

    @extend_schema(
        operation_id="bots_deactivate",
        tags=TAGS,
        parameters=BOT_ID,
        request=None,
        responses={200: BotMessageResponseSerializer, **_errors(401, 404)},
    )
    def destroy(self, request: Request, bot_id: int) -> Response:
        """Deactivate a bot. Nothing is deleted: its versions and results are kept."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        bot = bot_set_active(bot=bot, is_active=False)
        message = f"Bot {bot.name} deactivated; its {bot.version_number} version(s) are kept."
        return Response(BotMessageResponseSerializer({"message": message, "bot": bot}).data)

    # --- versions, rollback, diff ----------------------------------------------------

    @extend_schema(
        operation_id="bots_versions_list",
        tags=TAGS,
        parameters=BOT_ID,
        responses={200: BotVersionListResponseSerializer, **_errors(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="versions", url_name="version-list")
    def versions(self, request: Request, bot_id: int) -> Response:
        """The bot's versions, newest first (without code)."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        versions = bot_version_list(bot=bot)
        return Response(BotVersionListResponseSerializer({"versions": versions}).data)

    @extend_schema(
        operation_id="bots_version_retrieve",
        tags=TAGS,
        parameters=[*BOT_ID, *_path("version_number")],
        responses={200: BotVersionResponseSerializer, **_errors(401, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="versions/<db_int:version_number>",
        url_name="version-detail",
    )
    def version(self, request: Request, bot_id: int, version_number: int) -> Response:
        """One version of the bot, with its code."""
        bot = access_bot(user=request.user, bot_id=bot_id)
        version = bot_version_get(bot=bot, version_number=version_number)
        return Response(BotVersionResponseSerializer({"version": version}).data)

    @extend_schema(
        operation_id="bots_rollback",
        tags=TAGS,
        parameters=[*BOT_ID, *_path("version_number")],
        request=BotRollbackInputSerializer,
        responses={200: BotRollbackResponseSerializer, **_errors(400, 401, 404, 415, 429)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="rollback/<db_int:version_number>",
        url_name="rollback",
    )
    def rollback(self, request: Request, bot_id: int, version_number: int) -> Response:
        """Make an old version's code current again, as a new version (history is kept).

        When that code is already current nothing is created (`new_version` false), as
        for a resubmission of identical code.
        """
        bot = access_bot(user=request.user, bot_id=bot_id)
        payload = BotRollbackInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = bot_rollback(bot=bot, version_number=version_number, **payload.validated_data)
        body = {
            "message": result.message,
            "new_version": result.new_version,
            "bot": result.bot,
            "version": result.version,
        }
        return Response(BotRollbackResponseSerializer(body).data)

    @extend_schema(
        operation_id="bots_versions_diff",
        tags=TAGS,
        parameters=[*BOT_ID, *_path("old_number", "new_number")],
        responses={200: BotDiffResponseSerializer, **_errors(401, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="versions/<db_int:old_number>/diff/<db_int:new_number>",
        url_name="version-diff",
    )
    def diff(self, request: Request, bot_id: int, old_number: int, new_number: int) -> Response:
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
