"""The canonical content hash of a row, the same whether computed from an ORM object
the app just flushed or from the raw values an SQL reader sees in the file.

Every column is encoded as SQLite stores it (the column type's own bind processing on
the app's side: datetimes as SQLAlchemy's text, booleans as 0/1), in sorted column
order, as compact JSON; the row hash is SHA-256 over the table name and that JSON. Each
field also gets a 4-hex-digit checksum, kept in the audit entry, so a row that no longer
matches can be reported field by field.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Float, Integer, Table
from sqlalchemy.dialects.sqlite import pysqlite

from invigilator_app.store.types import binder

FIELD_HEX = 4
_DIALECT = pysqlite.dialect()


@dataclass(frozen=True)
class TableShape:
    name: str
    columns: tuple[str, ...]
    """Sorted column names."""
    keys: tuple[str, ...]
    """Primary-key columns, in the table's order (how an audit entry names a row)."""
    kinds: tuple[str, ...]
    binders: tuple[Callable[[Any], Any] | None, ...]


@cache
def shape(table: Table) -> TableShape:
    cols = sorted(table.columns, key=lambda c: c.name)
    kinds = []
    binders = []
    for col in cols:
        kind = (
            "float"
            if isinstance(col.type, Float)
            else "bool"
            if isinstance(col.type, Boolean)
            else "int"
            if isinstance(col.type, Integer)
            else "other"
        )
        kinds.append(kind)
        binders.append(binder(col.type, _DIALECT))
    return TableShape(
        table.name,
        tuple(c.name for c in cols),
        tuple(c.name for c in table.primary_key.columns),
        tuple(kinds),
        tuple(binders),
    )


def _normal(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind in ("bool", "int") and isinstance(value, bool):
        return int(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "x'" + bytes(value).hex() + "'"
    if isinstance(value, int | float | str):
        return value
    return f"?{type(value).__name__}:{value!r}"


def bound_values(table: Table, values: Mapping[str, Any]) -> list[Any]:
    """Python values of the app → what the driver is given to store, in shape order."""
    s = shape(table)
    return [
        bind(value) if (value := values.get(name)) is not None and bind is not None else value
        for name, bind in zip(s.columns, s.binders, strict=True)
    ]


def stored_values(table: Table, values: Mapping[str, Any]) -> list[Any]:
    """Python values of the app (as on an ORM object) → what SQLite holds, in shape order."""
    return normal_values(table, bound_values(table, values))


def normal_values(table: Table, bound: Sequence[Any]) -> list[Any]:
    """``bound_values`` as the row hash encodes them."""
    return [_normal(kind, value) for kind, value in zip(shape(table).kinds, bound, strict=True)]


def raw_values(table: Table, row: Sequence[Any]) -> list[Any]:
    """Raw values read from the file in shape order (``SELECT`` of ``shape().columns``)."""
    kinds = shape(table).kinds
    return [_normal(kind, value) for kind, value in zip(kinds, row, strict=True)]


def raw_digest(table_name: str, row: Sequence[Any]) -> str:
    """``digest`` of raw driver values (SQLite gives int, float, str, bytes or None; the
    column affinities already store booleans as 0/1 and REAL columns as floats), without
    per-value work unless a blob is present: the fast path of ``verify --audit``."""
    try:
        encoded = _ENCODER.encode(row)
    except TypeError:  # a blob
        encoded = _ENCODER.encode([_normal("other", v) for v in row])
    return hashlib.sha256((table_name + "\x00" + encoded).encode("utf-8")).hexdigest()


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def digest(table_name: str, values: list[Any]) -> str:
    return hashlib.sha256((table_name + "\x00" + _ENCODER.encode(values)).encode("utf-8")).hexdigest()


def field_hashes(values: list[Any]) -> str:
    """Four hex digits per field (CRC-32 of its repr): enough to name the fields that
    changed. The row hash (SHA-256) is what proves the content; these only point."""
    return "".join(f"{zlib.crc32(repr(v).encode('utf-8')) & 0xFFFF:04x}" for v in values)


def changed_fields(table: Table, recorded: str, values: list[Any]) -> list[str]:
    """Names of the fields whose value differs from what an audit entry recorded."""
    names = shape(table).columns
    now = field_hashes(values)
    if len(recorded) != len(now):
        return list(names)
    width = FIELD_HEX
    return [
        name
        for i, name in enumerate(names)
        if recorded[i * width : (i + 1) * width] != now[i * width : (i + 1) * width]
    ]


def key_of(table: Table, values: Mapping[str, Any]) -> str:
    return ",".join(str(values[k]) for k in shape(table).keys)
