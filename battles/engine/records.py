"""Immutable value types without the ``dataclasses`` module.

Importing ``dataclasses`` pulls in ``inspect`` and with it ``re``, ``ast``, ``dis`` and
``tokenize``: about half of the start-up of a fresh process that plays one game. The engine's
value types need only what ``@dataclass(frozen=True)`` gave them, which ``Record`` provides from
the field names each subclass lists in ``__match_args__``: construction (each subclass writes a
typed ``__init__`` that passes every field to ``_init``), equality and hashing by class and
field values, the same repr, class-pattern positions, and no assignment or deletion afterwards.
Values live in the instance ``__dict__`` as in a dataclass, so pickling and copying behave the
same way. For that reason a module compiled by mypyc (see native.py) marks its records
``@mypyc_attr(native_class=False)``: a native class has no ``__dict__``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is a few milliseconds of start-up; mypy reads this form
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from mypy_extensions import mypyc_attr as mypyc_attr  # re-exported for compiled modules
else:

    def mypyc_attr(*_args: object, **_flags: object) -> object:
        """mypyc reads this decorator from the source; interpreted, it changes nothing (and
        importing ``mypy_extensions`` would import ``typing``)."""
        return _unchanged


def _unchanged[C: type](cls: C) -> C:
    return cls


class FrozenInstanceError(AttributeError):
    """Assigning to or deleting a field of a record (as ``dataclasses.FrozenInstanceError``)."""


class Record:
    # The field names in constructor order; also the positions of class patterns, as in a
    # dataclass (``case Move(pac, x, y, _)``).
    __match_args__: ClassVar[tuple[str, ...]] = ()

    def _init(self, **fields: object) -> None:
        """Set the fields (by keyword, in ``__match_args__`` order) through ``__dict__``, as
        ``__setattr__`` refuses every assignment."""
        self.__dict__.update(fields)

    def _values(self) -> tuple[Any, ...]:
        values = self.__dict__
        return tuple([values[name] for name in self.__match_args__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}"
            for name, value in zip(self.__match_args__, self._values(), strict=True)
        )
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
