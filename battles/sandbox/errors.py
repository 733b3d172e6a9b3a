"""The one exception type of the sandbox: infrastructure faults, never bot faults (STYLE #8)."""

from __future__ import annotations

__all__ = ["SandboxError"]


class SandboxError(Exception):
    """The sandbox itself could not do its job: bwrap missing, a launch that failed, a broken
    cgroup. Never the bot's fault, so never a forfeit. Whatever a bot does is an
    :class:`~battles.sandbox.AnswerStatus` instead.

    ``permanent`` says whether trying again can help. True: the same start fails the same way
    until someone changes the host or the program (bwrap not installed, an interpreter that is
    missing or outside /usr, a missing entry file, code too large to stage); the task should
    give up and say why. False (the default): a passing condition of the host (a fork or exec
    that failed, a sandbox set-up that timed out, a cgroup that could not be created, no free
    seat uid, a process that survived SIGKILL); the task may retry later.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
