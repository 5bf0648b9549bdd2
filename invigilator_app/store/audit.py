"""The tamper-evident audit trail: a SHA-256 hash chain of every write.

A listener on the ORM session collects what each flush inserted, changed or deleted;
``append_pending`` turns that into chained ``AuditEntry`` rows in the same transaction,
just before it commits. ``walk_chain`` re-computes the chain and names the first entry
that does not fit (edited, deleted or reordered).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from invigilator_app.store.models import AuditEntry

GENESIS = "0" * 64
PENDING_KEY = "audit_pending"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return value


def _row(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {col.key: _plain(getattr(obj, col.key)) for col in mapper.column_attrs}


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _identity(obj: Any) -> str:
    ident = inspect(obj).identity
    return ",".join(str(v) for v in ident) if ident else "?"


def _before(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.deleted:
            before[attr.key] = _plain(hist.deleted[0])
    return before


def install(session_factory: Any) -> None:
    """Collect every flushed change of a session made by this factory."""

    @event.listens_for(session_factory, "after_flush")
    def _collect(session: Session, _ctx: Any) -> None:
        pending: list[tuple[str, str, str, str]] = session.info.setdefault(PENDING_KEY, [])
        for action, objs in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
            for obj in objs:
                if isinstance(obj, AuditEntry):
                    continue
                if action == "update" and not session.is_modified(obj, include_collections=False):
                    continue
                table = inspect(obj).mapper.local_table.name
                payload = {"after": _row(obj)} if action != "delete" else {"before": _row(obj)}
                if action == "update":
                    payload["before"] = _before(obj)
                pending.append((action, table, _identity(obj), _digest(payload)))


def link_hash(prev_hash: str, at: datetime, actor: str, action: str, entity: str, entity_id: str, digest: str) -> str:
    text = "|".join([prev_hash, at.isoformat(), actor, action, entity, entity_id, digest])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def head(session: Session) -> tuple[int, str]:
    """(entry count, head hash) of the chain."""
    # Entry ids run 1, 2, 3 … without gaps (walk_chain checks it), so the last id is the count.
    last = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None:
        return 0, GENESIS
    return int(last.id), str(last.hash)


def append_pending(session: Session, actor: str, at: datetime) -> int:
    """Chain what this transaction changed. Call after the last flush, before commit."""
    session.flush()
    pending: list[tuple[str, str, str, str]] = session.info.pop(PENDING_KEY, [])
    if not pending:
        return 0
    _, prev = head(session)
    for action, entity, entity_id, digest in pending:
        entry_hash = link_hash(prev, at, actor, action, entity, entity_id, digest)
        session.add(
            AuditEntry(
                at=at, actor=actor, action=action, entity=entity, entity_id=entity_id,
                digest=digest, prev_hash=prev, hash=entry_hash,
            )
        )
        prev = entry_hash
    session.flush()
    session.info.pop(PENDING_KEY, None)
    return len(pending)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head: str
    first_bad: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad is None


class ChainRow(Protocol):
    """What the walk reads of an entry: an ``AuditEntry`` or a plain row of the same columns."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


def walk_chain(rows: Iterable[ChainRow]) -> ChainReport:
    prev = GENESIS
    count = 0
    expected_id = 1
    for row in rows:
        count += 1
        if row.id != expected_id:
            return ChainReport(count, prev, row.id, f"audit entry {expected_id} is missing (the chain jumps to {row.id})")
        if row.prev_hash != prev:
            return ChainReport(count, prev, row.id, f"audit entry {row.id} does not follow entry {row.id - 1}")
        recomputed = link_hash(prev, row.at, row.actor, row.action, row.entity, row.entity_id, row.digest)
        if recomputed != row.hash:
            return ChainReport(count, prev, row.id, f"audit entry {row.id} was altered")
        prev = row.hash
        expected_id += 1
    return ChainReport(count, prev)
