"""Domain errors of the stats app; each code is part of the API contract (gamearena/errors.py)."""

from __future__ import annotations

from gamearena.errors import NotFoundError


class AgentNotFoundError(NotFoundError):
    code = "agent_not_found"
    default_message = "No battles are recorded for this agent."
