"""Row ids that stay the same in every store of a centre.

A centre with several rooms moves rows between its hub and its stations with their ids
unchanged, so a row's audit hash, and every reference to it, means the same everywhere.
Each store therefore takes new ids from its own range: the hub from 1 to 99,999,999,
station number N from N x 100,000,000 (N = 1 … 20, all within the 31-bit ids the command
line accepts). A store with no range (a single-PC centre) lets SQLite choose as before.

The range is the ``id_range`` row of ``store_meta`` ("lo:hi"); ``Database`` reads it at
open and ``install`` gives each new ORM row without an id the next free one of its table
within the range (one indexed ``max(id)`` per table and transaction).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

RANGE_META = "id_range"
SPAN = 100_000_000
MAX_STATIONS = 20
HUB = 0
INFO_KEY = "id_range"
_NEXT = "id_range_next"
UNRANGED = frozenset({"audit_entries"})
"""Tables whose ids the writer gives (the chain counts its own entries)."""


def bounds(number: int) -> tuple[int, int]:
    """The ids of store ``number`` (0: the hub): [lo, hi)."""
    if not 0 <= number <= MAX_STATIONS:
        raise ValueError(f"station number {number} is outside 0-{MAX_STATIONS}")
    return max(1, number * SPAN), (number + 1) * SPAN


def encode(number: int) -> str:
    lo, hi = bounds(number)
    return f"{lo}:{hi}"


def decode(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    lo, _, hi = text.partition(":")
    return int(lo), int(hi)


def number_of(any_id: int) -> int:
    """Which store's range an id is from (0: the hub or a single-PC store)."""
    return any_id // SPAN


def read(conn: Any) -> tuple[int, int] | None:
    """The range of an open store (``conn``: a DB-API or SQLAlchemy connection)."""
    try:
        row = conn.exec_driver_sql("SELECT value FROM store_meta WHERE key = ?", (RANGE_META,)).first()
    except Exception:  # a store before its tables exist
        return None
    return decode(row[0]) if row is not None else None


def full(name: str) -> str:
    return f"the {name} table has used every id of this store's range"


def next_free(execute: Any, name: str, span: tuple[int, int]) -> int:
    """The next id of table ``name`` within ``span``; ``execute``: a DB-API or SQLAlchemy
    connection's ``execute``/``exec_driver_sql`` (one indexed ``max(id)``)."""
    lo, hi = span
    top = execute(f'SELECT max(id) FROM "{name}" WHERE id >= ? AND id < ?', (lo, hi)).fetchone()[0]
    found = int(top) + 1 if top is not None else lo
    if found >= hi:
        raise OverflowError(full(name))
    return found


def install(session_factory: Any) -> None:
    """Give new rows of a ranged store their ids from its range."""

    @event.listens_for(session_factory, "before_flush")
    def _assign(session: Session, _ctx: Any, _instances: Any) -> None:
        span = session.info.get(INFO_KEY)
        if span is None or not session.new:
            return
        hi = span[1]
        nexts: dict[str, int] = session.info.setdefault(_NEXT, {})
        for obj in session.new:
            mapper = inspect(obj).mapper
            table = mapper.local_table
            keys = mapper.primary_key
            if table.name in UNRANGED or len(keys) != 1 or keys[0].name != "id":
                continue
            if getattr(obj, "id", None) is not None:
                continue
            name = table.name
            if name not in nexts:
                nexts[name] = next_free(session.connection().exec_driver_sql, name, span)
            if nexts[name] >= hi:
                raise OverflowError(full(name))
            obj.id = nexts[name]
            nexts[name] += 1

    @event.listens_for(session_factory, "after_transaction_end")
    def _forget(session: Session, _transaction: Any) -> None:
        session.info.pop(_NEXT, None)
