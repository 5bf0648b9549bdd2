"""A bundle taken in, once it has passed every check (``checks``): written in one
transaction, each row compared with the one of the same key and chained into this
store's audit trail by the person importing, with its ``bundle_log`` row; foreign keys
checked at the end. On a station, the hub's cancellations are applied and the accounts'
key slots brought in line after the commit; on the hub, returned records are released
and re-checked against the whole centre."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import AllocationState, SessionState
from invigilator_app.security import bundles, certificates
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.station import Station
from invigilator_app.services.stations import accounts, centre, checks, ownership, recheck, rows
from invigilator_app.services.trust import keys
from invigilator_app.store import audit
from invigilator_app.store.centre_models import BundleRecord, EnrolledStation, StationSession
from invigilator_app.store.models import Allocation

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Imported:
    path: Path
    seq: int
    sender: str
    summary: str
    flagged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _begin_import(session: Session) -> None:
    session.info[ownership.IMPORTING] = True
    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def at_station(station: Station, path: Path, opened: bundles.Opened) -> Imported:
    header, payload = opened.header, opened.payload
    notes: list[str] = []
    with station.write() as session:
        _begin_import(session)
        to = dict(header.get("to") or {})
        if to.get("store_id") != station.store_id:
            raise checks.refuse(path, f"the bundle is for station {to.get('name', '?')}, not this one.")
        hub_cert = centre.meta(session, centre.HUB_CERT) or ""
        if not hub_cert or certificates.fingerprint(opened.sender) != certificates.fingerprint(
            certificates.load(hub_cert)
        ):
            raise checks.refuse(
                path, "it was not sent by this centre's hub (its sender is not the hub this station trusts)."
            )
        last = int(centre.meta(session, centre.IN_SEQ) or "0")
        seq = checks.check_seq(path, header.get("seq"), last, "the hub")
        if payload.get("kind") != "to_station":
            raise checks.refuse(path, "the bundle is not one a hub sends to a station.")
        applied = rows.Applied()
        tables = dict(payload.get("tables") or {})
        present = set(session.scalars(select(StationSession.session_id)))
        if present:
            _drop_owned(session, tables, present)
        rows.write_tables(session, tables, applied)
        for alloc_id in payload.get("cancel_allocations", []):
            alloc = session.get(Allocation, int(alloc_id))
            if alloc is None or alloc.cancelled:
                continue
            if alloc.started_at is None and alloc.state == AllocationState.EXPECTED.value:
                alloc.cancelled, alloc.state = True, AllocationState.CANCELLED.value
                notes.append(f"The hub cancelled a place in session {alloc.session_id} (allocation {alloc.id}).")
            else:
                notes.append(
                    f"The hub cancelled allocation {alloc.id} of session {alloc.session_id}, but the candidate had "
                    "already started here: it was not cancelled, and the record says so when it returns."
                )
        centre.set_meta(session, centre.IN_SEQ, str(seq))
        centre.set_meta(session, centre.HISTORY_AS_OF, str(payload.get("history_as_of") or header.get("created_at")))
        centre.set_meta(session, centre.ACCOUNT_SLOTS, json.dumps(payload.get("accounts") or {}, sort_keys=True))
        summary = (
            f"{len(payload.get('handed_over', []))} session(s) held here, {applied.inserted} row(s) new, "
            f"{applied.updated} changed"
        )
        session.add(
            BundleRecord(
                direction="in",
                peer="hub",
                seq=seq,
                sha256=opened.sha256,
                at=station.now(),
                by_id=station.actor.id,
                summary=summary,
                segment="",
            )
        )
    notes += accounts.sync_slots(station)
    return Imported(path, seq, "the hub", summary, [], notes)


def _drop_owned(session: Session, tables: dict[str, Any], owned: set[int]) -> None:
    """Rows of sessions this station already holds are its own now: the hub's copies are not applied."""
    conn = session.connection()
    existing = {
        int(r[0])
        for r in conn.exec_driver_sql(f"SELECT id FROM sessions WHERE id IN ({','.join(map(str, sorted(owned)))})")
    }
    for name in ("sessions", "allocations", "rule_acknowledgements", "station_sessions"):
        part = tables.get(name)
        if not part:
            continue
        column = "id" if name == "sessions" else "session_id"
        at = list(part["columns"]).index(column)
        part["rows"] = [raw for raw in part["rows"] if raw[at] not in existing]


def at_hub(station: Station, path: Path, opened: bundles.Opened, progress: Progress) -> Imported:
    header, payload = opened.header, opened.payload
    sender = dict(header.get("from") or {})
    with station.write() as session:
        _begin_import(session)
        target = session.scalars(
            select(EnrolledStation).where(EnrolledStation.store_id == str(sender.get("store_id", "")))
        ).first()
        if target is None or certificates.fingerprint(opened.sender) != certificates.fingerprint(
            certificates.load(target.certificate_pem)
        ):
            raise checks.refuse(
                path,
                f"it comes from a station this hub has not enrolled ({sender.get('name', '?')}), or one whose "
                "bundle key is not the one enrolled.",
            )
        to = dict(header.get("to") or {})
        if to.get("store_id") != station.store_id:
            raise checks.refuse(path, "the bundle is addressed to another hub.")
        seq = checks.check_seq(path, header.get("seq"), target.last_in_seq, f"station {target.name}")
        if payload.get("kind") != "to_hub":
            raise checks.refuse(path, "the bundle is not one a station sends to its hub.")
        entries = [list(e) for e in payload.get("entries", [])]
        centre_cert = keys.centre_certificate(session)
        assert centre_cert is not None
        count, head, last_at = checks.verify_segment(session, path, target, entries, centre_cert)
        checks.verify_checkpoint(path, target, str(payload.get("checkpoint", "")), count, head, centre_cert)
        progress(2, 3, "writing")
        tables = dict(payload.get("tables") or {})
        deleted = {k: [str(x) for x in v] for k, v in dict(payload.get("deleted") or {}).items()}
        touched = checks.verify_rows(session, path, target, entries, tables, deleted)
        applied = rows.Applied()
        rows.write_tables(session, tables, applied)
        rows.delete_tables(session, deleted, applied)
        now = station.now()
        returned = []
        for sid in payload.get("signed_off", []):
            held = session.get(StationSession, int(sid))
            row = get_session_row(session, int(sid)) if held is not None else None
            if (
                held is not None
                and row is not None
                and held.station_id == target.id
                and held.held
                and row.state in (SessionState.CLOSED.value, SessionState.SIGNED_OFF.value)
            ):
                held.held, held.returned_at = False, now
                returned.append(int(sid))
        target.last_in_seq, target.last_in_at = seq, now
        if entries:
            target.chain_entries, target.chain_head = count, head
            target.records_as_of = datetime.fromisoformat(audit.aware_text(str(last_at)))
        flagged = recheck.flag_sessions(session, station, sorted(touched), target.name)
        summary = (
            f"{len(entries)} audit entries of {target.name} checked; {applied.inserted} row(s) new, "
            f"{applied.updated} changed, {applied.deleted} deleted; {len(returned)} record(s) back signed off"
        )
        session.add(
            BundleRecord(
                direction="in",
                peer=target.name,
                seq=seq,
                sha256=opened.sha256,
                at=now,
                by_id=station.actor.id,
                summary=summary,
                segment=json.dumps({"entries": entries, "checkpoint": payload.get("checkpoint", "")}),
            )
        )
    return Imported(path, seq, f"station {target.name}", summary, flagged)
