"""Rows against the chain: every row of every audited table is hashed again and compared
with the chain's last word on it (``verify --audit``).

A row whose content differs (with the fields that changed), a row the chain says was
deleted, a row the chain never saw (written outside the app) and a row the chain holds
but the table does not (deleted outside the app) are each reported by table and key.
Read with plain driver rows, table by table, through the ``(entity, entity_id)`` index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
        last: dict[str, tuple[str, str, int]] = {}
        for entity_id, action, digest, entry_id in conn.execute(
            # The (entity, entity_id) index gives each key's entries in id order: no sort.
            "SELECT entity_id, action, digest, id FROM audit_entries WHERE entity = ? AND version = ? "
            "ORDER BY entity_id, id",
            (shape.name, audit.ROWS_VERSION),
        ):
            last[entity_id] = (action, digest, entry_id)
        key_at = [shape.columns.index(k) for k in shape.keys]
        columns = ", ".join(f'"{c}"' for c in shape.columns)
        one_key = key_at[0] if len(key_at) == 1 else None
        name = shape.name
        raw_digest = rowhash.raw_digest
        for raw in conn.execute(f'SELECT {columns} FROM "{name}"'):
            total += 1
            key = str(raw[one_key]) if one_key is not None else ",".join(str(raw[i]) for i in key_at)
            word = last.pop(key, None)
            if word is not None and word[0] != "delete" and raw_digest(name, raw) == word[1]:
                continue
            values = rowhash.raw_values(table, raw)  # type: ignore[arg-type]
            if word is None:
                if due or (shape.name == Meta.__tablename__ and key == BASELINE_DUE):
                    continue  # an upgraded store before its baseline: said once, below
                problems.append(RowProblem(shape.name, key, "written outside the app (the audit chain never saw it)"))
            elif word[0] == "delete":
                problems.append(
                    RowProblem(
                        shape.name, key, f"present, but audit entry {word[2]} deleted it (put back outside the app)"
                    )
                )
            elif rowhash.digest(shape.name, values) != word[1]:
                recorded = conn.execute("SELECT fields FROM audit_entries WHERE id = ?", (word[2],)).fetchone()[0]
                fields = rowhash.changed_fields(table, recorded, values)  # type: ignore[arg-type]
                problems.append(
                    RowProblem(
                        shape.name,
                        key,
                        f"changed outside the app since audit entry {word[2]}: {', '.join(fields) or 'content'} differ",
                    )
                )
        for key, word in last.items():
            if word[0] != "delete":
                problems.append(
                    RowProblem(
                        shape.name,
                        key,
                        f"missing: audit entry {word[2]} holds it, the table does not (deleted outside the app)",
                    )
                )
    return RowsReport(total, problems, due)
