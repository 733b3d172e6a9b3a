"""Reads of the stats app: agents' records and the leaderboard."""

from __future__ import annotations

from datetime import datetime

from bots.selectors import PUBLIC_LIST_DEFAULT_LIMIT, PublicBotPage, bot_list_public
from stats.errors import AgentNotFoundError
from stats.models import AgentStats


def get_agent_stats(agent_name: str) -> AgentStats:
    """The stats of `agent_name` (``owner/name`` or ``house:<name>``); the seed's call.

    Raises AgentNotFoundError for an agent that has not played a battle yet.
    """
    stats = AgentStats.objects.filter(agent_name=agent_name).first()
    if stats is None:
        raise AgentNotFoundError(f"No battles recorded for agent {agent_name!r}.")
    return stats


def leaderboard_get(*, limit: int = PUBLIC_LIST_DEFAULT_LIMIT) -> PublicBotPage:
    """The leaderboard's first page: the first page of GET /api/bots/public, from the same
    selector with the same defaults, so the page and the API always list the same bots."""
    return bot_list_public(limit=limit)


def last_battle_at_by_agent(*, agent_names: list[str]) -> dict[str, datetime]:
    """When each of these agents last played (agents that never played are left out)."""
    rows = AgentStats.objects.filter(agent_name__in=agent_names, last_battle_at__isnull=False)
    return {name: at for name, at in rows.values_list("agent_name", "last_battle_at") if at}
