"""URL converters for database ids and counters, bounded to what every backend can store.

Django's `<int:...>` accepts any run of digits, and a number past the column's range
crashes the lookup (SQLite raises OverflowError above 2**63 - 1; PostgreSQL refuses an
`integer` above 2**31 - 1). A number that cannot be stored cannot name a row, so these
converters refuse it: the URL does not match and the caller gets the ordinary 404 instead
of a 500. The bounds are the narrowest of the supported backends (SQLite and
PostgreSQL), so a URL means the same thing on both.

Use `<db_id:...>` for primary keys (BigAutoField) and `<db_int:...>` for positive
counters stored in a PositiveIntegerField (version numbers). `OPENAPI_SCHEMAS` describes
each converter for the API schema.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import register_converter

BIG_INTEGER_MAX = 2**63 - 1  # BigAutoField / bigint on SQLite and PostgreSQL
INTEGER_MAX = 2**31 - 1  # PositiveIntegerField is an `integer` column on PostgreSQL


class _BoundedIntConverter:
    regex = "[0-9]+"
    minimum: ClassVar[int]
    maximum: ClassVar[int]

    def to_python(self, value: str) -> int:
        # Checked on the digits before int(): a hostile path of a million digits should
        # not cost a bignum conversion.
        if len(value.lstrip("0")) > len(str(self.maximum)):
            raise ValueError(value)
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            raise ValueError(value)  # Django then tries the next route, and finally 404s
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))

    @classmethod
    def openapi_schema(cls) -> dict[str, Any]:
        return {"type": "integer", "minimum": cls.minimum, "maximum": cls.maximum}


class DatabaseIdConverter(_BoundedIntConverter):
    """A primary key: 0 to 2**63 - 1 (0 is never used, and answers as missing)."""

    minimum = 0
    maximum = BIG_INTEGER_MAX


class DatabaseIntConverter(_BoundedIntConverter):
    """A counter such as a version number: 0 to 2**31 - 1."""

    minimum = 0
    maximum = INTEGER_MAX


CONVERTERS: dict[str, type[_BoundedIntConverter]] = {
    "db_id": DatabaseIdConverter,
    "db_int": DatabaseIntConverter,
}
OPENAPI_SCHEMAS = {name: converter.openapi_schema() for name, converter in CONVERTERS.items()}

# Registered once, when this module is first imported (by any urls.py that uses them):
# Django refuses to register one name twice.
for _name, _converter in CONVERTERS.items():
    register_converter(_converter, _name)
