"""The tamper-evident audit trail: a SHA-256 hash chain of every write, holding every row.

A listener on the ORM session collects what each flush inserted, changed or deleted, with
the row's canonical content hash (``store.rowhash``); ``append_pending`` turns that into
chained ``AuditEntry`` rows in the same transaction, just before it commits, and the
acting user's key signs the last entry's hash (which covers every entry before it).
``walk_chain`` re-computes the chain and names the first entry that does not fit (edited,
deleted or reordered). Entries of version 1 were written before rows were in the chain.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invigilator_app.store import rowhash
from invigilator_app.store.models import AuditEntry
from invigilator_app.store.types import binder

GENESIS = "0" * 64
PENDING_KEY = "audit_pending"
ROWS_VERSION = 2
SIGNATURE_CONTEXT = "invigilator-app audit signature v1"


class EntrySigner(Protocol):
    certificate_id: int

    def sign(self, message: bytes) -> bytes: ...


def signed_message(store_id: str, entry_id: int, entry_hash: str) -> bytes:
    """What the acting user signs at the end of a write: the chain up to that entry."""
    return f"{SIGNATURE_CONTEXT}|{store_id}|{entry_id}|{entry_hash}".encode()


def _values(obj: Any) -> tuple[Any, list[Any]]:
    """The row's table and its stored values in canonical order (store.rowhash)."""
    mapper = inspect(obj).mapper
    table = mapper.local_table
    values = {attr.columns[0].name: getattr(obj, attr.key) for attr in mapper.column_attrs}
    return table, rowhash.stored_values(table, values)


def _identity(obj: Any) -> str:
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(v) for v in ident)


def install(session_factory: Any) -> None:
    """Collect every flushed change of a session made by this factory."""

    @event.listens_for(session_factory, "after_flush")
    def _collect(session: Session, _ctx: Any) -> None:
        pending: list[tuple[str, str, str, str, str]] = session.info.setdefault(PENDING_KEY, [])
        for action, objs in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
            for obj in objs:
                if isinstance(obj, AuditEntry):
                    continue
                if action == "update" and not session.is_modified(obj, include_collections=False):
                    continue
                table, values = _values(obj)
                pending.append(
                    (
                        action,
                        table.name,
                        _identity(obj),
                        rowhash.digest(table.name, values),
                        rowhash.field_hashes(values),
                    )
                )
                _collect_links(obj, action, pending)


def _collect_links(obj: Any, action: str, pending: list[tuple[str, str, str, str, str]]) -> None:
    """Rows of many-to-many link tables (``relationship(secondary=…)``), which the ORM
    writes without objects of their own."""
    state = inspect(obj)
    for prop in state.mapper.relationships:
        if prop.secondary is None:
            continue
        hist = state.attrs[prop.key].history
        changes = (
            [("delete", c) for c in (*hist.unchanged, *hist.deleted)]
            if action == "delete"
            else [("insert", c) for c in hist.added] + [("delete", c) for c in hist.deleted]
        )
        for what, child in changes:
            values: dict[str, Any] = {}
            for pairs, source in ((prop.synchronize_pairs, obj), (prop.secondary_synchronize_pairs, child)):
                mapper = inspect(source).mapper
                for src_col, link_col in pairs:
                    values[link_col.name] = getattr(source, mapper.get_property_by_column(src_col).key)
            table = prop.secondary
            stored = rowhash.stored_values(table, values)
            pending.append(
                (
                    what,
                    table.name,
                    rowhash.key_of(table, values),
                    rowhash.digest(table.name, stored),
                    rowhash.field_hashes(stored),
                )
            )


def append_rows(
    session: Session,
    actor: str,
    at: datetime,
    rows: Iterable[tuple[str, str, str, str, str]],
    signer: EntrySigner | None,
    store_id: str,
    batch: int = 5_000,
) -> int:
    """Chain entries for rows the ORM did not flush (the baseline of an upgraded store),
    written in batches with plain inserts so ten years of rows fit in memory; the last is
    signed. Returns how many."""
    session.flush()
    count, prev = head(session)
    table = insert(AuditEntry)
    conn = session.connection()
    at_text = at.isoformat()
    buffer: list[dict[str, Any]] = []
    added = 0
    for action, entity, entity_id, digest, fields in rows:
        if len(buffer) >= batch:
            conn.execute(table, buffer)
            buffer = []
        count += 1
        added += 1
        text = "|".join([prev, at_text, actor, action, entity, entity_id, digest, f"v{ROWS_VERSION}", fields])
        new = hashlib.sha256(text.encode("utf-8")).hexdigest()
        buffer.append(
            {
                "id": count,
                "at": at,
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "digest": digest,
                "prev_hash": prev,
                "hash": new,
                "version": ROWS_VERSION,
                "fields": fields,
                "signature": None,
                "certificate_id": None,
            }
        )
        prev = new
    if buffer:
        if signer is not None:
            buffer[-1]["signature"] = base64.b64encode(signer.sign(signed_message(store_id, count, prev))).decode(
                "ascii"
            )
            buffer[-1]["certificate_id"] = signer.certificate_id
        conn.execute(table, buffer)
    session.info[HEAD_KEY] = (count, prev)
    return added


def link_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    digest: str,
    version: int = 1,
    fields: str = "",
) -> str:
    parts = [prev_hash, at.isoformat(), actor, action, entity, entity_id, digest]
    if version != 1:
        parts += [f"v{version}", fields]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


HEAD = "SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1"
"""The chain's last entry, read on a plain driver connection."""


def head(session: Session) -> tuple[int, str]:
    """(entry count, head hash) of the chain."""
    # Entry ids run 1, 2, 3 … without gaps (walk_chain checks it), so the last id is the count.
    last = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None:
        return 0, GENESIS
    return int(last.id), str(last.hash)


_COLUMNS = tuple(AuditEntry.__table__.columns)


@cache
def insert_at_once(count: int) -> str:
    """INSERT of ``count`` entries in one statement (its text made once per count: an ORM
    or Core multi-row insert would be compiled again at every write)."""
    row = "(" + ", ".join("?" for _ in _COLUMNS) + ")"
    return f"INSERT INTO audit_entries ({', '.join(c.name for c in _COLUMNS)}) VALUES " + ", ".join([row] * count)


@cache
def _binders(dialect: Any) -> list[tuple[str, Any]]:
    return [(c.name, binder(c.type, dialect)) for c in _COLUMNS]


def driver_values(dialect: Any, entries: list[dict[str, Any]]) -> tuple[Any, ...]:
    """The entries' values as the driver takes them: each column type's own bind processing."""
    binders = _binders(dialect)
    return tuple(
        bind(entry[name]) if bind is not None and entry[name] is not None else entry[name]
        for entry in entries
        for name, bind in binders
    )


HEAD_KEY = "audit_head"
"""``session.info`` key of (entry count, head hash) after this transaction's last entries."""
MANY = 1_000
"""Entries written in one statement at most; a longer write reads the head first."""


def append_pending(
    session: Session,
    actor: str,
    at: datetime,
    signer: EntrySigner | None = None,
    store_id: str = "",
    known_head: tuple[int, str] | None = None,
) -> int:
    """Chain what this transaction changed and sign its last entry with ``signer``. Call
    after the last flush, before commit.

    ``known_head``: the chain's head as this writer left it after its last commit. The
    entries then go in without reading the head first: they are one statement whose first
    entry id is the next after that head, and ids are the primary key, so if anyone else
    has added an entry since, that id is taken, the statement writes nothing, and the head
    is read and the entries made again."""
    session.flush()
    pending: list[tuple[str, str, str, str, str]] = session.info.pop(PENDING_KEY, [])
    if not pending:
        return 0
    start = session.info.get(HEAD_KEY, known_head) if len(pending) <= MANY else None
    conn = session.connection()
    while True:
        count, prev = start if start is not None else head(session)
        entries = chain_entries(pending, (count, prev), actor, at, signer, store_id)
        if start is None:
            conn.execute(insert(AuditEntry), entries)  # the head was read under the write lock
            break
        try:
            conn.exec_driver_sql(insert_at_once(len(entries)), driver_values(conn.dialect, entries))  # all or nothing
            break
        except IntegrityError:
            start = None  # another writer's entry holds the next id: read the head
    session.info[HEAD_KEY] = (entries[-1]["id"], entries[-1]["hash"])
    return len(pending)


def chain_entries(
    pending: list[tuple[str, str, str, str, str]],
    after: tuple[int, str],
    actor: str,
    at: datetime,
    signer: EntrySigner | None,
    store_id: str,
) -> list[dict[str, Any]]:
    """The audit entries of ``pending`` rows chained after the head ``after`` (entry
    count, hash), the last one signed by ``signer``."""
    count, prev = after
    entries = []
    for what, entity, entity_id, digest, fields in pending:
        count += 1
        entry_hash = link_hash(prev, at, actor, what, entity, entity_id, digest, ROWS_VERSION, fields)
        entries.append(
            {
                "id": count,
                "at": at,
                "actor": actor,
                "action": what,
                "entity": entity,
                "entity_id": entity_id,
                "digest": digest,
                "prev_hash": prev,
                "hash": entry_hash,
                "version": ROWS_VERSION,
                "fields": fields,
                "signature": None,
                "certificate_id": None,
            }
        )
        prev = entry_hash
    if signer is not None:
        entries[-1]["signature"] = base64.b64encode(signer.sign(signed_message(store_id, count, prev))).decode("ascii")
        entries[-1]["certificate_id"] = signer.certificate_id
    return entries


def aware_text(stored: str) -> str:
    """``at.isoformat()`` of an aware UTC datetime, from the text SQLite holds for it
    ('2026-12-01 09:30:00.000000'), without parsing it."""
    text = stored.replace(" ", "T", 1)
    if text.endswith(".000000"):
        text = text[:-7]
    return text + "+00:00"


RAW_CHAIN = (
    "SELECT id, at, actor, action, entity, entity_id, digest, prev_hash, hash, version, fields, "
    "signature, certificate_id FROM audit_entries ORDER BY id"
)
"""The chain as plain driver rows (the fast walk of ``verify --audit``)."""


def walk_raw(
    rows: Iterable[tuple[Any, ...]], observe: Callable[[tuple[Any, ...], str], None] | None = None
) -> ChainReport:
    """``walk_chain`` over ``RAW_CHAIN`` rows; ``observe(row, aware_at)`` sees every entry that fits."""
    prev = GENESIS
    count = 0
    expected_id = 1
    sha = hashlib.sha256
    last_stored, last_text = None, ""
    for row in rows:
        count += 1
        entry_id, stored_at, actor, action, entity, entity_id, digest, prev_hash, entry_hash, version, fields = row[:11]
        if entry_id != expected_id:
            return ChainReport(
                count, prev, entry_id, f"audit entry {expected_id} is missing (the chain jumps to {entry_id})"
            )
        if prev_hash != prev:
            return ChainReport(count, prev, entry_id, f"audit entry {entry_id} does not follow entry {entry_id - 1}")
        if stored_at != last_stored:
            last_stored, last_text = stored_at, aware_text(str(stored_at))
        parts = [prev, last_text, actor, action, entity, entity_id, digest]
        if version != 1:
            parts += [f"v{version}", fields]
        if sha("|".join(parts).encode("utf-8")).hexdigest() != entry_hash:
            return ChainReport(count, prev, entry_id, f"audit entry {entry_id} was altered")
        if observe is not None:
            observe(row, last_text)
        prev = entry_hash
        expected_id += 1
    return ChainReport(count, prev)


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
    @property
    def version(self) -> int: ...
    @property
    def fields(self) -> str: ...


def walk_chain(rows: Iterable[ChainRow], observe: Callable[[Any], None] | None = None) -> ChainReport:
    """Re-compute the chain; ``observe`` sees every entry that fits."""
    prev = GENESIS
    count = 0
    expected_id = 1
    for row in rows:
        count += 1
        if row.id != expected_id:
            return ChainReport(
                count, prev, row.id, f"audit entry {expected_id} is missing (the chain jumps to {row.id})"
            )
        if row.prev_hash != prev:
            return ChainReport(count, prev, row.id, f"audit entry {row.id} does not follow entry {row.id - 1}")
        recomputed = link_hash(
            prev, row.at, row.actor, row.action, row.entity, row.entity_id, row.digest, row.version, row.fields
        )
        if recomputed != row.hash:
            return ChainReport(count, prev, row.id, f"audit entry {row.id} was altered")
        if observe is not None:
            observe(row)
        prev = row.hash
        expected_id += 1
    return ChainReport(count, prev)
