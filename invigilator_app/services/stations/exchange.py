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

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role, SessionState
from invigilator_app.domain.errors import BadInput, NotPermitted, VerificationFailed
from invigilator_app.security import bundles, certificates
from invigilator_app.security.keyslots import SlotFile
from invigilator_app.services import files
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.station import Station
from invigilator_app.services.stations import centre, checks, ownership, payloads, receive
from invigilator_app.services.stations.receive import Imported as Imported
from invigilator_app.services.trust import checkpoints, keys
from invigilator_app.store.centre_models import BundleRecord, EnrolledStation, StationSession

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


def _conflicts_refused(path: Path, write: Callable[[], Imported]) -> Imported:
    """A bundle whose rows clash with this store's (a code both PCs gave to different
    assessments, a row that is no longer there to refer to) is refused whole: the write
    rolled back, exit 4."""
    try:
        return write()
    except IntegrityError as exc:
        detail = str(exc.orig).split("\n")[0] if exc.orig is not None else "a constraint"
        raise checks.refuse(path, f"its rows conflict with this store's ({detail}).") from None


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
            f"{path}: this PC is neither a hub with enrolled stations nor an enrolled station, so it takes no "
            "bundles; nothing was imported."
        )
    if role != centre.STATION:
        station.require(Role.COORDINATOR, action="import stations' bundles")
    try:
        opened = bundles.open_bundle(data, mine, centre_cert, str(path))
    except bundles.BundleRefused as exc:
        raise VerificationFailed(str(exc)) from None
    progress(1, 3, "checking")
    if role == centre.STATION:
        result = _conflicts_refused(path, lambda: receive.at_station(station, path, opened))
    else:
        result = _conflicts_refused(path, lambda: receive.at_hub(station, path, opened, progress))
    progress(3, 3, "done")
    return result


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
