"""A scripted stand-in for :class:`~battles.sandbox.BotProcess`, for referee-loop unit tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from battles.sandbox.process import Answer, AnswerStatus

__all__ = ["FakeTransport"]

Step = Answer | str | Callable[[str, int], Answer]


@dataclass
class FakeTransport:
    """Answers from a script, one step per exchange, and records what it was asked.

    A step is a line (answered OK), an :class:`Answer` (any status), or a function of the input
    and the timeout. Once the script is exhausted, or after a fault, it behaves like a stopped
    process: the last fault is repeated, or CRASHED if the script simply ran out.
    """

    script: Iterable[Step]
    inputs: list[tuple[str, int]] = field(default_factory=list)
    closed: bool = False

    def __post_init__(self) -> None:
        self._steps = iter(self.script)
        self._ended: Answer | None = None

    def exchange(self, text: str, timeout_ms: int) -> Answer:
        if self.closed:
            raise RuntimeError("exchange() on a closed FakeTransport")
        self.inputs.append((text, timeout_ms))
        if self._ended is not None:
            return self._ended
        step = next(self._steps, None)
        if step is None:
            answer = Answer(AnswerStatus.CRASHED, detail="script exhausted", exit_code=0)
        elif isinstance(step, str):
            answer = Answer(AnswerStatus.OK, step)
        elif isinstance(step, Answer):
            answer = step
        else:
            answer = step(text, timeout_ms)
        if answer.status is not AnswerStatus.OK:
            self._ended = answer
        return answer

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> FakeTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
