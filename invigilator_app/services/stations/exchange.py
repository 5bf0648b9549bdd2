"""Bundles out and in: ``bundle export --to STATION|hub`` and ``bundle import FILE``.

An export is one write: the sequence number is taken, the bundle is written (to the
given file or drop folder, and a copy kept in the data folder's ``bundles/sent``) before
the write commits, so a failure leaves neither. An import is checked whole before
anything is written (``security.bundles`` for the file; here the sender, the receiver,
the sequence number, and on the hub every entry's signature and every row against the
station's chain) and then written in one transaction: a kill at any point leaves the
store as it was, and importing the same bundle again is refused as a replay.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import AllocationState, Role, SessionState
from invigilator_app.domain.errors import BadInput, NotPermitted, VerificationFailed
from invigilator_app.security import bundles, certificates
from invigilator_app.security.keyslots import SlotFile
from invigilator_app.services import files
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.station import Station
from invigilator_app.services.stations import accounts, centre, ownership, payloads, recheck, rows
from invigilator_app.services.trust import checkpoints, keys
from invigilator_app.store import audit, id_ranges
from invigilator_app.store.centre_models import BundleRecord, EnrolledStation, StationSession
from invigilator_app.store.models import Allocation, UserCertificate

IMPORTING = ownership.IMPORTING
"""``Session.info`` key set while a bundle is written (the ownership guard lets it through)."""
SUFFIX = ".bundle"
MAX_BYTES = 512 * 1024 * 1024
Progress = Callable[[int, int, str], None]


def _quiet(_done: int, _total: int, _step: str = "") -> None:
    return None


@dataclass(frozen=True)
class Exported:
    path: Path
    seq: int
    to: str
    summary: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    path: Path
    seq: int
    sender: str
    summary: str
    flagged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def safe_name(name: str) -> str:
    """A name as it appears in a bundle's file name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)


def _file_name(sender: str, receiver: str, seq: int) -> str:
    return f"{safe_name(sender)}-to-{safe_name(receiver)}-{seq:06d}{SUFFIX}"


def _destination(out: Path, name: str) -> Path:
    files.refuse_link(out)
    return out / name if out.is_dir() else out


def _write_files(station: Station, target: Path, data: bytes) -> list[Path]:
    kept = station.db.paths.data_dir / "bundles" / centre.SENT_DIR / target.name
    kept.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for path in (kept, target):
            files.write_atomically(path, data)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def export_bundle(
    station: Station, to: str, out: Path, sessions: Sequence[int] = (), progress: Progress = _quiet
) -> Exported:
    """Write the next bundle for ``to`` ("hub" from a station; a station's name on the hub)."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="send bundles")
    with station.read() as session:
        role = centre.role_of(session)
    if role == centre.STATION:
        if to.strip().casefold() != "hub":
            raise BadInput(f"--to {to!r}: a station sends its bundles to the hub only (--to hub).")
        if sessions:
            raise BadInput("--session: sessions are handed to stations by the hub, not by a station.")
        made: list[Path] = []
        try:
            return _to_hub(station, out, progress, made)
        except BaseException:
            for path in made:
                path.unlink(missing_ok=True)
            raise
    station.require(Role.COORDINATOR, action="send bundles to stations")
    if role != centre.HUB:
        raise BadInput("No station is enrolled yet: enrol one first (`station enrol NAME --out FILE`).")
    written: list[Path] = []
    try:
        return _to_station(station, to, out, sessions, progress, written)
    except BaseException:
        for path in written:  # the write did not commit: no bundle may exist for its sequence number
            path.unlink(missing_ok=True)
        raise


def hand_over(session: Session, target: EnrolledStation, session_ids: Sequence[int]) -> None:
    """Give planned sessions to a station (they leave with its next bundle)."""
    for sid in session_ids:
        row = get_session_row(session, sid)
        if row.state != SessionState.PLANNED.value:
            raise BadInput(
                f"--session {sid}: the session is {row.state.replace('_', ' ')}; only a planned one is sent."
            )
        held = session.get(StationSession, sid)
        if held is not None and held.held and held.station_id != target.id:
            other = session.get(EnrolledStation, held.station_id)
            raise BadInput(f"--session {sid}: the session is out at station {other.name if other else '?'} already.")
        if held is None:
            session.add(StationSession(session_id=sid, station_id=target.id, held=True, cancel_sent=False))
        else:
            held.station_id, held.held = target.id, True
    session.flush()


def _to_station(
    station: Station, name: str, out: Path, sessions: Sequence[int], progress: Progress, written: list[Path]
) -> Exported:
    slots = SlotFile.load(station.db.paths.slots)
    progress(0, 3, "reading the centre's records")
    with station.write() as session:
        mine = centre.transport_keys(session)
        if mine is None:
            raise BadInput("This PC has no bundle keys: enrol a station first (`station enrol NAME --out FILE`).")
        target = centre.station_by_name(session, name)
        now = station.now()
        hand_over(session, target, sessions)
        for held in session.scalars(
            select(StationSession).where(
                StationSession.station_id == target.id, StationSession.held.is_(True), StationSession.sent_at.is_(None)
            )
        ):
            held.sent_at = now
        session.flush()
        payload, cannot = payloads.to_station(session, target, slots, now)
        payload["history_as_of"] = now.isoformat()
        seq = target.last_out_seq + 1
        target.last_out_seq, target.last_out_at = seq, now
        header = {
            "centre": centre.fingerprint_of(session),
            "from": {"store_id": station.store_id, "name": "hub", "role": centre.HUB},
            "to": {"store_id": target.store_id, "name": target.name, "role": centre.STATION},
            "seq": seq,
            "created_at": now.isoformat(),
        }
        progress(1, 3, "signing and encrypting")
        data = bundles.seal(header, payload, mine, target.recipient)
        sent = len(payload["handed_over"])
        summary = (
            f"{sent} session(s) out at {target.name}, {len(payload['accounts'])} account(s), "
            f"{len(payload['tables'].get('candidates', {}).get('rows', []))} candidate(s) with their history"
        )
        path = _record_and_write(session, station, target.name, seq, data, summary, out, written, progress)
    progress(3, 3, "done")
    notes = [f"{n} cannot log in at the stations yet: their password must be used once at the hub." for n in cannot]
    return Exported(path, seq, target.name, summary, notes)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record_and_write(
    session: Session,
    station: Station,
    peer: str,
    seq: int,
    data: bytes,
    summary: str,
    out: Path,
    written: list[Path],
    progress: Progress,
) -> Path:
    """The outgoing bundle in ``bundle_log``, then its file and the kept copy, inside the
    sender's write (the caller removes the files when the write does not commit)."""
    session.add(
        BundleRecord(
            direction="out",
            peer=peer,
            seq=seq,
            sha256=_sha(data),
            at=station.now(),
            by_id=station.actor.id,
            summary=summary,
            segment="",
        )
    )
    session.flush()
    progress(2, 3, "writing the file")
    sender = "hub" if peer != "hub" else centre.meta(session, "station_name") or "station"
    path = _destination(out, _file_name(sender, peer, seq))
    written.extend(_write_files(station, path, data))
    return path


def _to_hub(station: Station, out: Path, progress: Progress, written: list[Path]) -> Exported:
    progress(0, 3, "reading this station's records")
    with station.write() as session:
        mine = centre.transport_keys(session)
        hub_recipient = centre.meta(session, centre.HUB_RECIPIENT)
        hub_cert_pem = centre.meta(session, centre.HUB_CERT)
        if mine is None or not hub_recipient or not hub_cert_pem:
            raise VerificationFailed("This station's enrolment is incomplete (no bundle keys): enrol it again.")
        number = int(centre.meta(session, centre.STATION_NUMBER) or "0")
        name = centre.meta(session, "station_name") or "station"
        checkpoint = checkpoints.create_checkpoint(session, "bundle")
        after = int(centre.meta(session, centre.SENT_ENTRIES) or "0")
        conn = session.connection()
        entries = payloads.segment(conn, after, checkpoint.entry_count)
        owned = set(session.scalars(select(StationSession.session_id)))
        payload = payloads.to_hub(session, entries, owned, number)
        payload["checkpoint"] = checkpoint.to_text()
        seq = int(centre.meta(session, centre.OUT_SEQ) or "0") + 1
        centre.set_meta(session, centre.OUT_SEQ, str(seq))
        centre.set_meta(session, centre.SENT_ENTRIES, str(checkpoint.entry_count))
        now = station.now()
        hub_store = bundles.transport_holder(certificates.load(hub_cert_pem))[2]
        header = {
            "centre": centre.fingerprint_of(session),
            "from": {"store_id": station.store_id, "name": name, "role": centre.STATION},
            "to": {"store_id": hub_store, "name": "hub", "role": centre.HUB},
            "seq": seq,
            "created_at": now.isoformat(),
        }
        progress(1, 3, "signing and encrypting")
        data = bundles.seal(header, payload, mine, hub_recipient)
        count = sum(len(t["rows"]) for t in payload["tables"].values())
        summary = (
            f"{len(entries)} audit entries, {count} record row(s), {len(payload['signed_off'])} session(s) signed off"
        )
        path = _record_and_write(session, station, "hub", seq, data, summary, out, written, progress)
    progress(3, 3, "done")
    return Exported(path, seq, "hub", summary)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BadInput(f"{path} is {size // (1024 * 1024)} MiB, more than any bundle: not imported.")
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder.") from None
    except OSError as exc:
        raise BadInput(f"{path} cannot be read: {exc.strerror or exc}.") from None


def import_bundle(station: Station, path: Path, progress: Progress = _quiet) -> Imported:
    """Check a bundle whole, then write it in one transaction (VerificationFailed, exit 4,
    and nothing written, when it must not be imported)."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="import bundles")
    data = _read(path)
    progress(0, 3, "opening")
    with station.read() as session:
        role = centre.role_of(session)
        mine = centre.transport_keys(session)
        centre_cert = keys.centre_certificate(session)
    if mine is None or centre_cert is None or role is None:
        raise VerificationFailed(
            f"{path} is a bundle, but this PC is neither a hub with enrolled stations nor an enrolled station: "
            "nothing was imported."
        )
    try:
        opened = bundles.open_bundle(data, mine, centre_cert, str(path))
    except bundles.BundleRefused as exc:
        raise VerificationFailed(str(exc)) from None
    progress(1, 3, "checking")
    if role == centre.STATION:
        result = _at_station(station, path, opened)
    else:
        station.require(Role.COORDINATOR, action="import stations' bundles")
        result = _at_hub(station, path, opened, progress)
    progress(3, 3, "done")
    return result


def _refuse(path: Path, why: str) -> VerificationFailed:
    return VerificationFailed(f"{path}: {why} Nothing was imported.")


def _check_seq(path: Path, seq: Any, last: int, sender: str) -> int:
    if not isinstance(seq, int) or seq < 1:
        raise _refuse(path, "the bundle has no valid sequence number.")
    if seq <= last:
        raise _refuse(path, f"bundle {seq} from {sender} was already imported (the last one in was {last}): a replay.")
    if seq != last + 1:
        raise _refuse(
            path,
            f"bundle {seq} from {sender} is out of order: the next one expected is {last + 1}. Import the "
            f"missing one(s) first (the sender keeps a copy of every bundle in its data folder, bundles/sent).",
        )
    return seq


def _begin_import(session: Session) -> None:
    session.info[IMPORTING] = True
    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def _at_station(station: Station, path: Path, opened: bundles.Opened) -> Imported:
    header, payload = opened.header, opened.payload
    notes: list[str] = []
    with station.write() as session:
        _begin_import(session)
        to = dict(header.get("to") or {})
        if to.get("store_id") != station.store_id:
            raise _refuse(path, f"the bundle is for station {to.get('name', '?')}, not this one.")
        hub_cert = centre.meta(session, centre.HUB_CERT) or ""
        if not hub_cert or certificates.fingerprint(opened.sender) != certificates.fingerprint(
            certificates.load(hub_cert)
        ):
            raise _refuse(path, "it was not sent by this centre's hub (its sender is not the hub this station trusts).")
        last = int(centre.meta(session, centre.IN_SEQ) or "0")
        seq = _check_seq(path, header.get("seq"), last, "the hub")
        if payload.get("kind") != "to_station":
            raise _refuse(path, "the bundle is not one a hub sends to a station.")
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


def _at_hub(station: Station, path: Path, opened: bundles.Opened, progress: Progress) -> Imported:
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
            raise _refuse(
                path,
                f"it comes from a station this hub has not enrolled ({sender.get('name', '?')}), or one whose "
                "bundle key is not the one enrolled.",
            )
        to = dict(header.get("to") or {})
        if to.get("store_id") != station.store_id:
            raise _refuse(path, "the bundle is addressed to another hub.")
        seq = _check_seq(path, header.get("seq"), target.last_in_seq, f"station {target.name}")
        if payload.get("kind") != "to_hub":
            raise _refuse(path, "the bundle is not one a station sends to its hub.")
        entries = [list(e) for e in payload.get("entries", [])]
        centre_cert = keys.centre_certificate(session)
        assert centre_cert is not None
        count, head, last_at = _verify_segment(session, path, target, entries, centre_cert)
        _verify_checkpoint(path, target, str(payload.get("checkpoint", "")), count, head, centre_cert)
        progress(2, 3, "writing")
        tables = dict(payload.get("tables") or {})
        deleted = {k: [str(x) for x in v] for k, v in dict(payload.get("deleted") or {}).items()}
        touched = _verify_rows(session, path, target, entries, tables, deleted)
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


def _verify_segment(
    session: Session, path: Path, target: EnrolledStation, entries: list[list[Any]], centre_cert: Any
) -> tuple[int, str, Any]:
    """The station's chain since its last bundle: it follows on, every entry fits, every
    write ends with the signature of the person it names, by a certificate this centre
    issued. Returns (entry count, head hash, the last entry's time)."""
    prev = target.chain_head or audit.GENESIS
    expected = target.chain_entries + 1
    writer: str | None = None
    last_at: Any = None
    certs: dict[int, Any] = {}
    for e in entries:
        entry_id, at, actor, action, entity, entity_id, digest, prev_hash, entry_hash, version, fields = e[:11]
        signature = e[11]
        if entry_id != expected or prev_hash != prev:
            raise _refuse(
                path,
                f"station {target.name}'s audit chain does not follow on from what the hub holds "
                f"(entry {entry_id}, expected {expected}): entries are missing or were changed.",
            )
        text = audit.aware_text(str(at))
        parts = [prev, text, actor, action, entity, entity_id, digest]
        if version != 1:
            parts += [f"v{version}", fields]
        if hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest() != entry_hash:
            raise _refuse(path, f"entry {entry_id} of station {target.name}'s audit chain was altered.")
        if writer is not None and actor != writer:
            raise _refuse(
                path, f"entry {entry_id - 1} of station {target.name}'s chain ends a write without a signature."
            )
        writer = actor
        if signature is not None:
            _check_signature(session, path, target, e, text, centre_cert, certs)
            writer = None
        prev, expected, last_at = entry_hash, expected + 1, at
    if writer is not None:
        raise _refuse(path, f"the last write of station {target.name}'s chain is not signed.")
    return expected - 1, prev, last_at


def _check_signature(
    session: Session,
    path: Path,
    target: EnrolledStation,
    e: list[Any],
    at_text: str,
    centre_cert: Any,
    cache: dict[int, Any],
) -> None:
    entry_id, actor = e[0], e[2]
    cert_id = int(e[12]) if e[12] is not None else -1
    if cert_id not in cache:
        row = session.get(UserCertificate, cert_id)
        cache[cert_id] = (row, certificates.load(row.certificate_pem) if row is not None else None)
    row, cert = cache[cert_id]
    what = f"entry {entry_id} of station {target.name}'s chain (by {actor})"
    if row is None or cert is None or not certificates.issued_by(cert, centre_cert):
        raise _refuse(path, f"{what} is signed by no certificate this centre issued.")
    if certificates.holder_of(cert)[0] != actor:
        raise _refuse(path, f"{what} is signed with {certificates.holder_of(cert)[0]}'s certificate.")
    at = datetime.fromisoformat(at_text)
    if row.revoked_at is not None and at > row.revoked_at:
        told = target.last_out_at is not None and target.last_out_at > row.revoked_at
        if told:
            raise _refuse(path, f"{what} is signed after that certificate was revoked ({row.revoked_reason}).")
    try:
        signature = base64.b64decode(str(e[11]), validate=True)
    except ValueError:
        signature = b""
    if not certificates.signature_ok(cert, signature, audit.signed_message(target.store_id, entry_id, e[8])):
        raise _refuse(path, f"{what}: the signature does not fit (forged, or the chain was rewritten).")


def _verify_checkpoint(path: Path, target: EnrolledStation, text: str, count: int, head: str, centre_cert: Any) -> None:
    try:
        checkpoint = checkpoints.parse_checkpoint(text, str(path))
    except BadInput:
        raise _refuse(path, f"station {target.name}'s checkpoint cannot be read.") from None
    if (
        checkpoint.store_id != target.store_id
        or checkpoint.entry_count != count
        or checkpoint.head_hash != head
        or not checkpoints.signature_ok(checkpoint, centre=centre_cert)
    ):
        raise _refuse(path, f"station {target.name}'s signed checkpoint does not match the chain it sent.")


def _verify_rows(
    session: Session,
    path: Path,
    target: EnrolledStation,
    entries: list[list[Any]],
    tables: dict[str, Any],
    deleted: dict[str, list[str]],
) -> set[int]:
    """Every row is the one the station's chain last holds, of a session out at that
    station; returns the sessions touched."""
    last: dict[tuple[str, str], tuple[str, str]] = {}
    for e in entries:
        last[(str(e[4]), str(e[5]))] = (str(e[3]), str(e[6]))
    held = payloads.held_by(session, target.id)
    conn = session.connection()
    known: dict[str, dict[int, int]] = {}
    for name in ("allocations", "log_entries", "clock_pauses"):
        part = tables.get(name)
        for raw in part["rows"] if part else []:
            sid = rows.value(name, raw, "session_id")
            if sid is not None:
                known.setdefault(name, {})[int(rows.value(name, raw, "id"))] = int(sid)
    touched: set[int] = set()
    for name, part in tables.items():
        if name not in payloads.RETURNED and name not in payloads.MADE_AT_STATION:
            raise _refuse(path, f"the bundle carries {name} rows, which a station does not send.")
        if tuple(part["columns"]) != rows.columns(name):
            raise _refuse(path, f"the bundle's {name} rows are of another version of the application.")
        for raw in part["rows"]:
            key = rows.key_of(name, raw)
            word = last.get((name, key))
            if word is None or word[0] == "delete" or word[1] != rows.digest(name, raw):
                raise _refuse(path, f"{name} {key} is not the row station {target.name}'s signed chain holds.")
            if name in payloads.MADE_AT_STATION:
                if id_ranges.number_of(int(key)) != target.number:
                    raise _refuse(path, f"{name} {key} was not made at station {target.name}; only the hub changes it.")
                continue
            sid = payloads.session_of(conn, name, raw, known)
            if sid not in held:
                raise _refuse(path, f"{name} {key} belongs to session {sid}, which is not out at {target.name}.")
            before = conn.exec_driver_sql(
                f"{rows.select_sql(name)} WHERE {rows.where_key(name)[0]}",
                tuple(raw[rows.columns(name).index(k)] for k in rows.where_key(name)[1]),
            ).first()
            if before is not None and payloads.session_of(conn, name, list(before), {}) not in held:
                raise _refuse(path, f"{name} {key} belongs to a session the hub holds, not {target.name}.")
            touched.add(sid)
    for name, keys_ in deleted.items():
        for key in keys_:
            word = last.get((name, key))
            if name not in payloads.RETURNED or word is None or word[0] != "delete":
                raise _refuse(path, f"the deletion of {name} {key} is not in station {target.name}'s signed chain.")
            if id_ranges.number_of(int(key.split(",")[0])) != target.number:
                raise _refuse(path, f"{name} {key} was not made at station {target.name}, so it cannot delete it.")
    return touched


BUNDLE_NAME = re.compile(r"^(?P<sender>.+)-to-(?P<receiver>.+)-(?P<seq>\d{6})$")


def receiver_of(path: Path) -> str | None:
    """The receiver a bundle's file name gives (``SENDER-to-RECEIVER-SEQ.bundle``), or None."""
    match = BUNDLE_NAME.match(path.stem)
    return match["receiver"].casefold() if match else None


def own_name(station: Station) -> str:
    """How bundles for this PC are named: "hub", or the station's name as in file names."""
    with station.read() as session:
        if centre.role_of(session) == centre.STATION:
            return safe_name(centre.meta(session, "station_name") or "").casefold()
    return "hub"


def import_folder(
    station: Station, folder: Path, progress: Progress = _quiet, skipped: list[Path] | None = None
) -> list[Imported | str]:
    """A drop folder: every bundle in it for this PC, in name order, each moved into
    ``imported/`` once in. Bundles whose file names say they are for another PC stay where
    they are, untried (listed in ``skipped``): a drop folder is shared by the whole centre."""
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder.")
    mine = own_name(station)
    done: list[Imported | str] = []
    names = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == SUFFIX):
        receiver = receiver_of(path)
        if receiver is not None and receiver != mine:
            if skipped is not None:
                skipped.append(path)
            continue
        names.append(path)
    for i, path in enumerate(names):
        progress(i, len(names), path.name)
        try:
            result = import_bundle(station, path)
        except VerificationFailed as exc:
            done.append(str(exc))
            continue
        done.append(result)
        moved = folder / "imported" / path.name
        moved.parent.mkdir(exist_ok=True)
        os.replace(path, moved)
    progress(len(names), len(names), "")
    return done


def waiting_in(folder: Path) -> int:
    """How many bundles wait in a drop folder."""
    try:
        return sum(1 for p in folder.iterdir() if p.is_file() and p.suffix == SUFFIX)
    except OSError:
        return 0


def require_not_inspector(station: Station) -> None:
    if station.actor.role is Role.INSPECTOR:
        raise NotPermitted("An inspector's access is read-only: bundles are moved by coordinators and invigilators.")
