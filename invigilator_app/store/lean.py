"""Writes straight through the SQLCipher driver, for the entry an invigilator makes all
session long (``services.console.recording.record_entry``).

An ORM write spends about a millisecond in Python above the driver: the unit of work,
the listeners of every flush, the identity map. This path keeps everything that makes a
write a record, and leaves out only that machinery:

- one ``BEGIN IMMEDIATE`` transaction on the store's writer connection (``Database.writer``:
  the same key, pragmas and ``synchronous=FULL`` as the engine's), with the busy wait the
  station asked for;
- every row inserted with all of its columns given (the model's defaults filled in here),
  its row hash computed from exactly the values handed to the driver, and an audit entry
  for it chained after the head, the last one signed by the acting user;
- ``COMMIT``, or ``ROLLBACK`` of all of it; driver errors mean what they mean on the ORM
  path (``engine.store_error``: a damaged store, another writer, a full disk).

What the ORM's ``before_flush`` guards would decide for these rows, the caller decides by
hand before inserting (``record_entry`` names each one). The path takes inserts only: a
change or a deletion of a row goes through the ORM and all of its guards.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Table

from invigilator_app.store import audit, id_ranges, rowhash
from invigilator_app.store.engine import BUSY_WAIT_MS, store_error

Pending = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class _Plan:
    sql: str
    """INSERT of every column, in the row hash's (sorted) column order."""
    defaults: dict[str, Any]
    """The model's scalar defaults."""
    must_give: tuple[str, ...]
    """Columns whose default must be computed (or only the schema knows): the caller gives them."""
    id_at: int | None
    """Where ``id`` is among the columns, for a table keyed by it alone."""


@cache
def _plan(table: Table) -> _Plan:
    shape = rowhash.shape(table)
    defaults: dict[str, Any] = {}
    must_give = []
    for column in table.columns:
        default = column.default
        if default is not None and getattr(default, "is_scalar", False):
            defaults[column.name] = default.arg  # type: ignore[attr-defined]
        elif default is not None or column.server_default is not None:
            must_give.append(column.name)
    names = ", ".join(f'"{c}"' for c in shape.columns)
    marks = ", ".join("?" for _ in shape.columns)
    return _Plan(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
        defaults,
        tuple(sorted(must_give)),
        shape.columns.index("id") if shape.keys == ("id",) else None,
    )


class LeanWrite:
    """One open transaction of the lean path (see the module)."""

    def __init__(self, cursor: Any, span: tuple[int, int] | None) -> None:
        self._cursor = cursor
        self._span = span
        self.pending: list[Pending] = []

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._cursor.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._cursor.execute(sql, params).fetchall()
        return rows

    def insert(self, table: Table, given: Mapping[str, Any]) -> int | None:
        """Insert one row; its audit entry is chained at commit. Returns its ``id`` (for a
        table keyed by one ``id`` column)."""
        plan = _plan(table)
        missing = [name for name in plan.must_give if name not in given]
        if missing:
            raise ValueError(f"{table.name}: give {', '.join(missing)} (no plain default)")
        values = {**plan.defaults, **given}
        if plan.id_at is not None and values.get("id") is None and self._span is not None:
            values["id"] = id_ranges.next_free(self._cursor.execute, table.name, self._span)
        bound = rowhash.bound_values(table, values)
        self._cursor.execute(plan.sql, bound)
        if plan.id_at is not None and values.get("id") is None:
            values["id"] = bound[plan.id_at] = self._cursor.lastrowid
        stored = rowhash.normal_values(table, bound)
        self.pending.append(
            (
                "insert",
                table.name,
                rowhash.key_of(table, values),
                rowhash.digest(table.name, stored),
                rowhash.field_hashes(stored),
            )
        )
        return values.get("id")

    def chain(
        self,
        actor: str,
        at: datetime,
        signer: audit.EntrySigner | None,
        store_id: str,
        known_head: tuple[int, str] | None,
        dialect: Any,
    ) -> tuple[int, str] | None:
        """The audit entries of every row inserted, after ``known_head`` when it is still the
        head (else after the head read now); returns the new head."""
        if not self.pending:
            return known_head
        start = known_head if len(self.pending) <= audit.MANY else None
        while True:
            if start is None:
                found = self.one(audit.HEAD)
                start = (int(found[0]), str(found[1])) if found is not None else (0, audit.GENESIS)
                retry = False
            else:
                retry = True
            entries = audit.chain_entries(self.pending, start, actor, at, signer, store_id)
            try:
                self._cursor.execute(audit.insert_at_once(len(entries)), audit.driver_values(dialect, entries))
                break
            except sqlcipher.IntegrityError:
                if not retry:
                    raise
                start = None  # another writer's entry holds the next id: read the head
        self.pending = []
        return entries[-1]["id"], entries[-1]["hash"]


@contextmanager
def transaction(db: Any, busy_ms: int | None = None) -> Iterator[LeanWrite]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` on the store's writer connection (``Database.writer``);
    rolled back if anything raises."""
    wait = int(busy_ms or BUSY_WAIT_MS)
    with db.writer() as (conn, kept):
        try:
            cursor = conn.cursor()
            if kept.get("busy_timeout") != wait:  # kept by the connection: set again only when it changes
                cursor.execute(f"PRAGMA busy_timeout = {wait}")
                kept["busy_timeout"] = wait
            cursor.execute("BEGIN IMMEDIATE")
        except sqlcipher.Error as exc:
            raise store_error(db.paths.db, exc, wait) or exc from None
        try:
            yield LeanWrite(cursor, db.id_range)
            cursor.execute("COMMIT")
        except BaseException as exc:
            with suppress(sqlcipher.Error):  # SQLite may have rolled back itself (a full disk, an I/O error)
                cursor.execute("ROLLBACK")
            if isinstance(exc, sqlcipher.Error):
                raise store_error(db.paths.db, exc, wait) or exc from None
            raise
        finally:
            cursor.close()
