"""Reads of the stats app."""

from __future__ import annotations

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
