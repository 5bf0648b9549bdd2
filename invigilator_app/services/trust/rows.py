"""Rows against the chain: every row of every audited table is hashed again and compared
with the chain's last word on it (``verify --audit``).

A row whose content differs (with the fields that changed), a row the chain says was
deleted, a row the chain never saw (written outside the app) and a row the chain holds
but the table does not (deleted outside the app) are each reported by table and key.
Read with plain driver rows, table by table, through the ``(entity, entity_id)`` index.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from invigilator_app.services.trust.upgrade import BASELINE_DUE, audited_tables
from invigilator_app.store import audit, rowhash
from invigilator_app.store.models import Meta


@dataclass(frozen=True)
class RowProblem:
    table: str
    key: str
    what: str

    def line(self) -> str:
        return f"{self.table} {self.key}: {self.what}"


@dataclass(frozen=True)
class RowsReport:
    rows: int
    problems: list[RowProblem]
    pending_baseline: bool = False


def compare_rows(conn: Any) -> RowsReport:
    """``conn``: the DB-API (sqlcipher3) connection of a read transaction."""
    due = conn.execute("SELECT 1 FROM store_meta WHERE key = ?", (BASELINE_DUE,)).fetchone() is not None
    problems: list[RowProblem] = []
    total = 0
    for table in audited_tables():
        shape = rowhash.shape(table)
        fast = "float" not in shape.kinds
        try:
            count, found = _compare_table(conn, table, due, fast=fast)
        except sqlcipher.OperationalError:
            if not fast:
                raise
            count, found = _compare_table(conn, table, due, fast=False)  # a blob: JSON cannot hold it
        total += count
        problems += found
    return RowsReport(total, problems, due)


def _compare_table(conn: Any, table: Any, due: bool, *, fast: bool) -> tuple[int, list[RowProblem]]:
    """Every row of one table against the chain's last word on it.

    ``fast``: SQLite encodes each row (``json_array``, the same compact JSON as
    ``rowhash`` for text, integers and NULL) and only the hash is made here; a row whose
    hash differs is read again and judged by ``rowhash`` itself, so the shortcut can only
    cost time, never a verdict. Tables with REAL columns are encoded here (SQLite writes
    some floats with other digits)."""
    shape = rowhash.shape(table)
    name = shape.name
    last: dict[str, tuple[str, str, int]] = {}
    for entity_id, action, digest, entry_id in conn.execute(
        # The (entity, entity_id) index gives each key's entries in id order: no sort.
        "SELECT entity_id, action, digest, id FROM audit_entries WHERE entity = ? AND version = ? "
        "ORDER BY entity_id, id",
        (name, audit.ROWS_VERSION),
    ):
        last[entity_id] = (action, digest, entry_id)
    key_at = [shape.columns.index(k) for k in shape.keys]
    columns = ", ".join(f'"{c}"' for c in shape.columns)
    problems: list[RowProblem] = []
    total = 0
    if fast:
        keys = ", ".join(f'"{k}"' for k in shape.keys)
        prefix = name + "\x00"
        sha256 = hashlib.sha256
        single = len(key_at) == 1
        for row in conn.execute(f'SELECT rowid, json_array({columns}), {keys} FROM "{name}"'):
            total += 1
            key = str(row[2]) if single else ",".join(str(v) for v in row[2:])
            word = last.pop(key, None)
            if word is not None and word[0] != "delete" and sha256((prefix + row[1]).encode()).hexdigest() == word[1]:
                continue
            raw = conn.execute(f'SELECT {columns} FROM "{name}" WHERE rowid = ?', (row[0],)).fetchone()
            problem = _judge(conn, table, key, word, raw, due)
            if problem is not None:
                problems.append(problem)
    else:
        one_key = key_at[0] if len(key_at) == 1 else None
        for raw in conn.execute(f'SELECT {columns} FROM "{name}"'):
            total += 1
            key = str(raw[one_key]) if one_key is not None else ",".join(str(raw[i]) for i in key_at)
            problem = _judge(conn, table, key, last.pop(key, None), raw, due)
            if problem is not None:
                problems.append(problem)
    for key, word in last.items():
        if word[0] != "delete":
            problems.append(
                RowProblem(
                    name, key, f"missing: audit entry {word[2]} holds it, the table does not (deleted outside the app)"
                )
            )
    return total, problems


def _judge(
    conn: Any, table: Any, key: str, word: tuple[str, str, int] | None, raw: Any, due: bool
) -> RowProblem | None:
    """What is wrong with one row (its raw values) given the chain's last word on it, if anything."""
    name = table.name
    if word is not None and word[0] != "delete" and rowhash.raw_digest(name, raw) == word[1]:
        return None
    values = rowhash.raw_values(table, raw)
    if word is None:
        if due or (name == Meta.__tablename__ and key == BASELINE_DUE):
            return None  # an upgraded store before its baseline: said once, by the caller
        return RowProblem(name, key, "written outside the app (the audit chain never saw it)")
    if word[0] == "delete":
        return RowProblem(name, key, f"present, but audit entry {word[2]} deleted it (put back outside the app)")
    if rowhash.digest(name, values) != word[1]:
        recorded = conn.execute("SELECT fields FROM audit_entries WHERE id = ?", (word[2],)).fetchone()[0]
        fields = rowhash.changed_fields(table, recorded, values)
        return RowProblem(
            name, key, f"changed outside the app since audit entry {word[2]}: {', '.join(fields) or 'content'} differ"
        )
    return None
