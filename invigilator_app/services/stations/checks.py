"""What a bundle must pass before anything of it is written (docs/bundles.md): its
sequence number, and on the hub a station's chain segment (it follows on, every entry
fits, every write is signed by the person it names with a certificate the centre
issued), its signed checkpoint, and every row against that chain and the sessions out
at the station. Each failure is VerificationFailed (exit 4) with the reason."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from invigilator_app.domain.errors import BadInput, VerificationFailed
from invigilator_app.security import certificates
from invigilator_app.services.stations import payloads, rows
from invigilator_app.services.trust import checkpoints
from invigilator_app.store import audit, id_ranges
from invigilator_app.store.centre_models import EnrolledStation
from invigilator_app.store.models import UserCertificate


def refuse(path: Path, why: str) -> VerificationFailed:
    return VerificationFailed(f"{path}: {why} Nothing was imported.")


def check_seq(path: Path, seq: Any, last: int, sender: str) -> int:
    if not isinstance(seq, int) or seq < 1:
        raise refuse(path, "the bundle has no valid sequence number.")
    if seq <= last:
        raise refuse(path, f"bundle {seq} from {sender} was already imported (the last one in was {last}): a replay.")
    if seq != last + 1:
        raise refuse(
            path,
            f"bundle {seq} from {sender} is out of order: the next one expected is {last + 1}. Import the "
            f"missing one(s) first (the sender keeps a copy of every bundle in its data folder, bundles/sent).",
        )
    return seq


def verify_segment(
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
            raise refuse(
                path,
                f"station {target.name}'s audit chain does not follow on from what the hub holds "
                f"(entry {entry_id}, expected {expected}): entries are missing or were changed.",
            )
        text = audit.aware_text(str(at))
        parts = [prev, text, actor, action, entity, entity_id, digest]
        if version != 1:
            parts += [f"v{version}", fields]
        if hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest() != entry_hash:
            raise refuse(path, f"entry {entry_id} of station {target.name}'s audit chain was altered.")
        if writer is not None and actor != writer:
            raise refuse(
                path, f"entry {entry_id - 1} of station {target.name}'s chain ends a write without a signature."
            )
        writer = actor
        if signature is not None:
            check_signature(session, path, target, e, text, centre_cert, certs)
            writer = None
        prev, expected, last_at = entry_hash, expected + 1, at
    if writer is not None:
        raise refuse(path, f"the last write of station {target.name}'s chain is not signed.")
    return expected - 1, prev, last_at


def check_signature(
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
        raise refuse(path, f"{what} is signed by no certificate this centre issued.")
    if certificates.holder_of(cert)[0] != actor:
        raise refuse(path, f"{what} is signed with {certificates.holder_of(cert)[0]}'s certificate.")
    at = datetime.fromisoformat(at_text)
    if row.revoked_at is not None and at > row.revoked_at:
        told = target.last_out_at is not None and target.last_out_at > row.revoked_at
        if told:
            raise refuse(path, f"{what} is signed after that certificate was revoked ({row.revoked_reason}).")
    try:
        signature = base64.b64decode(str(e[11]), validate=True)
    except ValueError:
        signature = b""
    if not certificates.signature_ok(cert, signature, audit.signed_message(target.store_id, entry_id, e[8])):
        raise refuse(path, f"{what}: the signature does not fit (forged, or the chain was rewritten).")


def verify_checkpoint(path: Path, target: EnrolledStation, text: str, count: int, head: str, centre_cert: Any) -> None:
    try:
        checkpoint = checkpoints.parse_checkpoint(text, str(path))
    except BadInput:
        raise refuse(path, f"station {target.name}'s checkpoint cannot be read.") from None
    if (
        checkpoint.store_id != target.store_id
        or checkpoint.entry_count != count
        or checkpoint.head_hash != head
        or not checkpoints.signature_ok(checkpoint, centre=centre_cert)
    ):
        raise refuse(path, f"station {target.name}'s signed checkpoint does not match the chain it sent.")


def verify_rows(
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
        if name not in payloads.RETURNED:
            raise refuse(path, f"the bundle carries {name} rows, which a station does not send.")
        if tuple(part["columns"]) != rows.columns(name):
            raise refuse(path, f"the bundle's {name} rows are of another version of the application.")
        for raw in part["rows"]:
            key = rows.key_of(name, raw)
            word = last.get((name, key))
            if word is None or word[0] == "delete" or word[1] != rows.digest(name, raw):
                raise refuse(path, f"{name} {key} is not the row station {target.name}'s signed chain holds.")
            sid = payloads.session_of(conn, name, raw, known)
            if sid not in held:
                raise refuse(path, f"{name} {key} belongs to session {sid}, which is not out at {target.name}.")
            before = conn.exec_driver_sql(
                f"{rows.select_sql(name)} WHERE {rows.where_key(name)[0]}",
                tuple(raw[rows.columns(name).index(k)] for k in rows.where_key(name)[1]),
            ).first()
            if before is not None and payloads.session_of(conn, name, list(before), {}) not in held:
                raise refuse(path, f"{name} {key} belongs to a session the hub holds, not {target.name}.")
            touched.add(sid)
    for name, keys_ in deleted.items():
        for key in keys_:
            word = last.get((name, key))
            if name not in payloads.RETURNED or word is None or word[0] != "delete":
                raise refuse(path, f"the deletion of {name} {key} is not in station {target.name}'s signed chain.")
            if id_ranges.number_of(int(key.split(",")[0])) != target.number:
                raise refuse(path, f"{name} {key} was not made at station {target.name}, so it cannot delete it.")
    return touched
