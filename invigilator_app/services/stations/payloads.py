"""What a bundle holds, each way (docs/bundles.md).

Hub → station: the centre's reference rows (centre, rooms and their workstations,
qualifications and assessments, accounts and their certificates, the candidate register), the sessions handed to
the station now (with their allocations and acknowledged warnings), the history the
station's own live checks need (every attempt of the candidates it holds, and every
session on the days of its sessions, in any room), cancellations of places, and each
account's travelling key slot.

Station → hub: its audit chain since its last bundle (entries with their signatures,
ending in a checkpoint it signs now), and the rows of the sessions it holds whose last
word in that segment is theirs: inserted or changed rows as they are now, deleted ones by
key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services.stations import rows
from invigilator_app.store import audit, id_ranges
from invigilator_app.store.centre_models import EnrolledStation, StationSession
from invigilator_app.store.models import User

REFERENCE = (
    "centres",
    "rooms",
    "workstations",
    "qualifications",
    "assessments",
    "users",
    "user_certificates",
    "candidates",
)
"""Sent whole each time (unchanged rows cost a comparison at the station, no write): the
candidate register too, so a station can seat a walk-in."""
HANDOVER = ("sessions", "allocations", "rule_acknowledgements", "station_sessions")
RETURNED = (
    "sessions",
    "allocations",
    "identity_checks",
    "log_entries",
    "log_entry_candidates",
    "checklist_answers",
    "rule_acknowledgements",
    "clock_pauses",
    "clock_pause_allocations",
    "amendments",
)
"""The tables of a session's record: what a station sends back, for the sessions it holds."""


def _ids(conn: Any, sql: str, params: Iterable[Any] = ()) -> set[int]:
    return {int(r[0]) for r in conn.exec_driver_sql(sql, tuple(params)) if r[0] is not None}


def _in(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in sorted(set(ids))) or "NULL"


def to_station(
    session: Session, target: EnrolledStation, slots: SlotFile, now: datetime
) -> tuple[dict[str, Any], list[str]]:
    """The hub's payload for ``target`` (inside the hub's write, after its sessions were
    marked sent) and the names of accounts whose key slot cannot travel yet."""
    conn = session.connection()
    tables: dict[str, Any] = {}
    for name in REFERENCE:
        tables[name] = rows.section(conn, name, rows.read(conn, name))
    tables["stations"] = rows.section(conn, "stations", rows.read_ids(conn, "stations", [target.id]))
    held = _ids(conn, "SELECT session_id FROM station_sessions WHERE station_id = ? AND held = 1", (target.id,))
    handed = _ids(
        conn,
        "SELECT session_id FROM station_sessions WHERE station_id = ? AND held = 1 AND sent_at IS NOT NULL",
        (target.id,),
    )
    candidates = _ids(conn, f"SELECT candidate_id FROM allocations WHERE session_id IN ({_in(held)})")
    days = sorted(
        {
            str(r[0])
            for r in conn.exec_driver_sql(f"SELECT DISTINCT date(start_utc) FROM sessions WHERE id IN ({_in(held)})")
        }
    )
    same_days = _ids(
        conn,
        f"SELECT id FROM sessions WHERE date(start_utc) IN ({', '.join('?' * len(days)) or 'NULL'}) "
        f"AND id NOT IN ({_in(held)})",
        days,
    )
    history_allocations = _ids(
        conn,
        f"SELECT id FROM allocations WHERE (candidate_id IN ({_in(candidates)}) OR session_id IN ({_in(same_days)})) "
        f"AND session_id NOT IN ({_in(held)})",
    )
    history_sessions = same_days | _ids(
        conn, f"SELECT session_id FROM allocations WHERE id IN ({_in(history_allocations)})"
    )
    tables["sessions"] = rows.section(conn, "sessions", rows.read_ids(conn, "sessions", handed | history_sessions))
    allocations = rows.read_ids(conn, "allocations", handed, "session_id")
    allocations += rows.read_ids(conn, "allocations", history_allocations)
    tables["allocations"] = rows.section(conn, "allocations", allocations)
    tables["rule_acknowledgements"] = rows.section(
        conn, "rule_acknowledgements", rows.read_ids(conn, "rule_acknowledgements", handed, "session_id")
    )
    tables["station_sessions"] = rows.section(
        conn, "station_sessions", rows.read_ids(conn, "station_sessions", handed, "session_id")
    )
    cancelled = sorted(_ids(conn, f"SELECT id FROM allocations WHERE cancelled = 1 AND session_id IN ({_in(handed)})"))
    accounts, cannot = travelling_slots(session, slots, now)
    payload = {
        "kind": "to_station",
        "tables": tables,
        "handed_over": sorted(handed),
        "cancel_allocations": cancelled,
        "accounts": accounts,
    }
    return payload, cannot


def travelling_slots(session: Session, slots: SlotFile, now: datetime) -> tuple[dict[str, Any], list[str]]:
    """Each live account's travelling key slot (not disabled, not past its last day); the
    names of those whose slot cannot travel."""
    accounts: dict[str, Any] = {}
    cannot = []
    for user in session.scalars(select(User).where(User.disabled.is_(False)).order_by(User.name)):
        if user.expires_at is not None and user.expires_at <= now:
            continue
        owner = user_owner(user.name)
        if owner not in slots.slots:
            continue
        copy = slots.travelling(owner)
        if copy is None:
            cannot.append(user.name)
        else:
            accounts[owner] = copy
    return accounts, cannot


def session_of(conn: Any, name: str, raw: list[Any], known: dict[str, dict[int, int]]) -> int | None:
    """Which session a record row belongs to (``known``: rows of the same bundle, by table and id)."""
    if name == "sessions":
        return int(rows.value(name, raw, "id"))
    cols = rows.columns(name)
    if "session_id" in cols:
        found = rows.value(name, raw, "session_id")
        return int(found) if found is not None else None
    parent = {
        "identity_checks": ("allocation_id", "allocations"),
        "log_entry_candidates": ("entry_id", "log_entries"),
        "clock_pause_allocations": ("pause_id", "clock_pauses"),
    }.get(name)
    if parent is None:
        return None
    column, table = parent
    parent_id = int(rows.value(name, raw, column))
    if parent_id in known.get(table, {}):
        return known[table][parent_id]
    row = conn.exec_driver_sql(f'SELECT session_id FROM "{table}" WHERE id = ?', (parent_id,)).first()
    return int(row[0]) if row is not None else None


def segment(conn: Any, after: int, upto: int) -> list[list[Any]]:
    """The station's own audit entries ``after`` < id <= ``upto`` as plain values."""
    sql = audit.RAW_CHAIN.replace("ORDER BY id", "WHERE id > ? AND id <= ? ORDER BY id")
    return [list(r) for r in conn.exec_driver_sql(sql, (after, upto))]


def to_hub(session: Session, entries: list[list[Any]], owned: set[int], number: int) -> dict[str, Any]:
    """The rows of the sessions this station holds whose last word in ``entries`` is theirs
    (deletions: of rows this station made, ``number`` being its id range)."""
    conn = session.connection()
    last: dict[tuple[str, str], str] = {}
    for entry in entries:
        if entry[4] in RETURNED:
            last[(str(entry[4]), str(entry[5]))] = str(entry[3])
    tables: dict[str, list[list[Any]]] = {}
    deleted: dict[str, list[str]] = {}
    for (name, key), action in last.items():
        if action == "delete":
            if id_ranges.number_of(int(key.split(",")[0])) == number:
                deleted.setdefault(name, []).append(key)
            continue
        where, _keys = rows.where_key(name)
        values = key.split(",")
        found = rows.read(conn, name, where, [int(v) for v in values])
        if found:
            tables.setdefault(name, []).extend(found)
    known: dict[str, dict[int, int]] = {}
    for name in ("allocations", "log_entries", "clock_pauses"):
        for raw in tables.get(name, []):
            sid = rows.value(name, raw, "session_id")
            if sid is not None:
                known.setdefault(name, {})[int(rows.value(name, raw, "id"))] = int(sid)
    kept: dict[str, Any] = {}
    for name, found in tables.items():
        mine = [raw for raw in found if session_of(conn, name, raw, known) in owned]
        if mine:
            kept[name] = rows.section(conn, name, mine)
    returned = sorted(
        _ids(conn, f"SELECT id FROM sessions WHERE id IN ({_in(owned)}) AND state IN ('closed', 'signed_off')")
    )
    return {"kind": "to_hub", "tables": kept, "deleted": deleted, "entries": entries, "signed_off": returned}


def held_by(session: Session, station_id: int) -> set[int]:
    return set(
        session.scalars(
            select(StationSession.session_id).where(
                StationSession.station_id == station_id, StationSession.held.is_(True)
            )
        )
    )
