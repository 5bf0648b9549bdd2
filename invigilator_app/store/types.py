"""Column types."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def naive_utc(value: Any) -> datetime | None:
    """An aware datetime as the store keeps it: naive UTC (a naive one is refused)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"expected datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")
    return (value if value.tzinfo is UTC else value.astimezone(UTC)).replace(tzinfo=None)


def utc_text(value: Any) -> str | None:
    """What ``UTCDateTime`` hands the driver for ``value`` (SQLAlchemy's SQLite text of the
    naive UTC time, 'YYYY-MM-DD HH:MM:SS.ffffff'), made directly: the writers that bind
    every value themselves (``store.lean``, the audit entries) call this for each time."""
    naive = naive_utc(value)
    return naive.isoformat(" ", "microseconds") if naive is not None else None


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        return naive_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def binder(column_type: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column type's bind processing for ``dialect`` (``utc_text`` for a UTC time)."""
    if isinstance(column_type, UTCDateTime):
        return utc_text
    processor: Callable[[Any], Any] | None = column_type.dialect_impl(dialect).bind_processor(dialect)
    return processor
