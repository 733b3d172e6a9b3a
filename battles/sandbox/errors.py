"""The one exception type of the sandbox: infrastructure faults, never bot faults (STYLE #8)."""

from __future__ import annotations

__all__ = ["SandboxError"]


class SandboxError(Exception):
    """The sandbox itself could not do its job: bwrap missing, a launch that failed, a broken
    cgroup. Worth a retry or an operator's attention; never the bot's fault, so never a forfeit.
    Whatever a bot does is an :class:`~battles.sandbox.AnswerStatus` instead.
    """
