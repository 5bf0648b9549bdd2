"""Rows as they travel in a bundle: read raw from one store, written raw into another, with
their ids unchanged (``store.id_ranges``), so a row's audit hash is the same in both.

A table travels as its column names (``rowhash.shape`` order) and its rows as lists of the
values SQLite holds (blobs as ``{"$b": base64}``). Writing one compares it with the row of
the same key: absent, it is inserted; different, every column is updated; the same,
nothing is written (so importing a bundle twice changes nothing). Each write is chained
into the receiving store's audit trail in the same transaction.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from invigilator_app.store import audit, rowhash
from invigilator_app.store.models import Base

TABLES: dict[str, Table] = {t.name: t for t in Base.metadata.sorted_tables}
ORDER = [t.name for t in Base.metadata.sorted_tables]
"""Parents before children: inserts in this order, deletions in reverse."""


def _out(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _in(value: Any) -> Any:
    if isinstance(value, dict):
        return base64.b64decode(str(value["$b"]))
    return value


def columns(name: str) -> tuple[str, ...]:
    return rowhash.shape(TABLES[name]).columns


def select_sql(name: str) -> str:
    """``SELECT`` of a table's columns in ``rowhash.shape`` order."""
    return _select(name)


def _select(name: str) -> str:
    cols = ", ".join(f'"{c}"' for c in columns(name))
    return f'SELECT {cols} FROM "{name}"'


def read(conn: Any, name: str, where: str = "", params: Sequence[Any] = ()) -> list[list[Any]]:
    """Raw rows of a table (``where``: an SQL condition), for a bundle."""
    sql = _select(name) + (f" WHERE {where}" if where else "")
    return [[_out(v) for v in row] for row in conn.exec_driver_sql(sql, tuple(params))]


def read_ids(conn: Any, name: str, ids: Iterable[int], column: str = "id") -> list[list[Any]]:
    """Raw rows whose ``column`` is one of ``ids`` (in chunks of 500)."""
    wanted = sorted(set(ids))
    out: list[list[Any]] = []
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        out += read(conn, name, f'"{column}" IN ({", ".join("?" * len(chunk))})', chunk)
    return out


def key_of(name: str, raw: Sequence[Any]) -> str:
    """How the audit chain names the row (its primary key)."""
    shape = rowhash.shape(TABLES[name])
    return ",".join(str(raw[shape.columns.index(k)]) for k in shape.keys)


def value(name: str, raw: Sequence[Any], column: str) -> Any:
    return raw[columns(name).index(column)]


def digest(name: str, raw: Sequence[Any]) -> str:
    return rowhash.raw_digest(name, [_in(v) for v in raw])


@dataclass
class Applied:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted

    def count(self, name: str) -> None:
        self.tables[name] = self.tables.get(name, 0) + 1


def where_key(name: str) -> tuple[str, list[str]]:
    keys = rowhash.shape(TABLES[name]).keys
    return " AND ".join(f'"{k}" = ?' for k in keys), list(keys)


def _pending(session: Session, action: str, name: str, key: str, raw: Sequence[Any]) -> None:
    table = TABLES[name]
    values = rowhash.raw_values(table, raw)
    entry = (action, name, key, rowhash.digest(name, values), rowhash.field_hashes(values))
    session.info.setdefault(audit.PENDING_KEY, []).append(entry)


def write(session: Session, name: str, cols: Sequence[str], rows: Iterable[Sequence[Any]], applied: Applied) -> None:
    """Insert or update rows of one table as they came (ids kept), chaining each change."""
    expected = columns(name)
    if tuple(cols) != expected:
        raise ValueError(f"{name}: the bundle's columns {list(cols)} are not this version's {list(expected)}")
    conn = session.connection()
    where, keys = where_key(name)
    key_at = [expected.index(k) for k in keys]
    quoted = ", ".join(f'"{c}"' for c in expected)
    insert_sql = f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join("?" * len(expected))})'
    update_sql = f'UPDATE "{name}" SET {", ".join(f"{chr(34)}{c}{chr(34)} = ?" for c in expected)} WHERE {where}'
    select_sql = f"{_select(name)} WHERE {where}"
    for travelled in rows:
        raw = [_in(v) for v in travelled]
        key_values = tuple(raw[i] for i in key_at)
        here = conn.exec_driver_sql(select_sql, key_values).first()
        if here is not None and rowhash.raw_digest(name, list(here)) == rowhash.raw_digest(name, raw):
            applied.unchanged += 1
            continue
        if here is None:
            conn.exec_driver_sql(insert_sql, tuple(raw))
            applied.inserted += 1
            action = "insert"
        else:
            conn.exec_driver_sql(update_sql, (*raw, *key_values))
            applied.updated += 1
            action = "update"
        applied.count(name)
        _pending(session, action, name, ",".join(str(v) for v in key_values), raw)


def delete(session: Session, name: str, key: str, applied: Applied) -> None:
    """Delete one row named by its audit key, chaining the deletion (absent: nothing)."""
    conn = session.connection()
    where, keys = where_key(name)
    parts = key.split(",")
    kinds = rowhash.shape(TABLES[name])
    values: list[Any] = []
    for k, part in zip(keys, parts, strict=True):
        kind = kinds.kinds[kinds.columns.index(k)]
        values.append(int(part) if kind in ("int", "bool") else part)
    here = conn.exec_driver_sql(f"{_select(name)} WHERE {where}", tuple(values)).first()
    if here is None:
        applied.unchanged += 1
        return
    conn.exec_driver_sql(f'DELETE FROM "{name}" WHERE {where}', tuple(values))
    applied.deleted += 1
    applied.count(name)
    _pending(session, "delete", name, key, list(here))


def write_tables(session: Session, tables: dict[str, Any], applied: Applied) -> None:
    """Every table of a bundle's ``rows`` section, parents first."""
    for name in ORDER:
        part = tables.get(name)
        if part:
            write(session, name, part["columns"], part["rows"], applied)


def delete_tables(session: Session, deleted: dict[str, list[str]], applied: Applied) -> None:
    for name in reversed(ORDER):
        for key in deleted.get(name, []):
            delete(session, name, key, applied)


def section(conn: Any, name: str, rows: list[list[Any]]) -> dict[str, Any]:
    return {"columns": list(columns(name)), "rows": rows}
