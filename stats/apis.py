"""The stats API: `GET /api/stats/<agent_name>`, where a name may contain a slash."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from gamearena.errors import ErrorEnvelopeSerializer
from stats.selectors import get_agent_stats
from stats.serializers import AgentStatsSerializer

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
