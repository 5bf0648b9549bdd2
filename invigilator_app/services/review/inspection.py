"""The inspection pack for an external quality assurer's visit (000): for a date range,
every session's signed record, the register of attempts, the pattern report and an
audit checkpoint, written into a folder beside the target and renamed into place only
when complete, so a cancelled or failed export leaves nothing half-written."""

from __future__ import annotations

import base64
import glob
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.errors import Cancelled as ExportCancelled
from invigilator_app.domain.private import FILE_MODE, make_private
from invigilator_app.domain.timezones import local
from invigilator_app.reports.register_csv import RegisterRow, register_csv
from invigilator_app.reports.spreadsheet import csv_bytes
from invigilator_app.rules.transitions import register_status
from invigilator_app.services.console.sessions import hhmm
from invigilator_app.services.files import refuse_link
from invigilator_app.services.review import patterns
from invigilator_app.services.review.records import signed_record_pdf
from invigilator_app.services.station import Station
from invigilator_app.services.stations.centre import STATIONS_FILE, stations_text
from invigilator_app.services.trust import checkpoints, pack
from invigilator_app.store import audit
from invigilator_app.store.models import Allocation, Assessment, Candidate, Centre, Meta, Qualification, Room, User
from invigilator_app.store.models import Session as SessionRow

Progress = Callable[[int, int, str], None]
"""(steps done, steps in all, what is being written)."""
Cancelled = Callable[[], bool]

REGISTER = "register.csv"
PATTERNS = "patterns.pdf"
CHECKPOINT = "checkpoint.txt"


class PackCancelled(ExportCancelled):
    """The export was cancelled; nothing was left behind."""


@dataclass(frozen=True)
class PackSession:
    id: int
    day: date

    @property
    def file_name(self) -> str:
        return f"record-{self.id}-{self.day.isoformat()}.pdf"


@dataclass(frozen=True)
class PackResult:
    out_dir: Path
    sessions: int
    register_rows: int
    files: list[str] = field(default_factory=list)


PART_PREFIX = ".{name}.part-"


def remove_stale_parts(parent: Path, name: str) -> None:
    """Folders an earlier export into the same name left behind when its process was killed
    (power loss, kill -9): they hold personal data, so they go before a new export starts."""
    prefix = PART_PREFIX.format(name=name)
    for stale in parent.glob(f"{glob.escape(prefix)}*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def check_target(out_dir: Path) -> None:
    """The pack goes into a new or empty folder whose parent exists (bad input otherwise);
    never through a symbolic link."""
    refuse_link(out_dir)
    if out_dir.exists():
        if not out_dir.is_dir():
            raise BadInput(f"--out {out_dir}: a file is in the way; give a folder.")
        if any(out_dir.iterdir()):
            raise BadInput(f"--out {out_dir}: the folder is not empty; give a new or empty folder.")
    elif not out_dir.parent.is_dir():
        raise BadInput(f"--out {out_dir}: the folder {out_dir.parent} does not exist.")


def pack_sessions(station: Station, from_day: date, to_day: date) -> list[PackSession]:
    start, end = patterns.day_bounds(station, from_day, to_day)
    with station.read() as session:
        rows = session.execute(
            select(SessionRow.id, SessionRow.start_utc)
            .where(SessionRow.start_utc >= start, SessionRow.start_utc < end)
            .order_by(SessionRow.start_utc, SessionRow.id)
        ).all()
    return [PackSession(r.id, local(r.start_utc, station.zone).date()) for r in rows]


def register_rows(station: Station, from_day: date, to_day: date) -> list[RegisterRow]:
    """One row per allocation in sessions of the range, with its outcome and result."""
    start, end = patterns.day_bounds(station, from_day, to_day)
    zone = station.zone
    with station.read() as session:
        rows = session.execute(
            select(
                SessionRow.start_utc,
                Allocation.started_at,
                Allocation.finished_at,
                Candidate.first_name,
                Candidate.last_name,
                Candidate.registration_number,
                Assessment.code,
                Qualification.number,
                Allocation.workstation_label,
                Room.name,
                User.name,
                Allocation.state,
                Allocation.cancelled,
                Allocation.result,
                Allocation.arrived_at,
                Allocation.transferred_to_session_id,
                Allocation.transfer_reason,
            )
            .join(SessionRow, SessionRow.id == Allocation.session_id)
            .join(Candidate, Candidate.id == Allocation.candidate_id)
            .join(Assessment, Assessment.id == Allocation.assessment_id)
            .join(Qualification, Qualification.id == Assessment.qualification_id)
            .join(Room, Room.id == SessionRow.room_id)
            .join(User, User.id == SessionRow.invigilator_id)
            .where(SessionRow.start_utc >= start, SessionRow.start_utc < end)
            .order_by(SessionRow.start_utc, SessionRow.id, Allocation.workstation_label, Allocation.id)
        ).all()
    return [
        RegisterRow(
            date=local(r[0], zone).date().isoformat(),
            start=hhmm(r[1], zone),
            finish=hhmm(r[2], zone),
            candidate_name=f"{r[3]} {r[4]}".strip(),
            registration_number=r[5],
            assessment_id=r[6],
            qualification=r[7],
            workstation=r[8],
            room=r[9],
            invigilator=r[10],
            outcome="cancelled" if r[12] else r[11],
            result=r[13] or "",
            register=register_status("cancelled" if r[12] else r[11], r[14], r[15], r[16], zone),
        )
        for r in rows
    ]


def checkpoint_text(station: Station, from_day: date, to_day: date) -> str:
    """The audit chain's head, signed, for the inspector to keep away from this PC.

    A coordinator signs a fresh checkpoint; an inspector's connection is read-only, so the
    pack carries the newest checkpoint the station signed, followed (as comments, which
    ``verify --audit --checkpoint`` ignores) by the chain's head as read for this pack."""
    found = (
        checkpoints.export_checkpoint(station)
        if station.actor.role is Role.COORDINATOR
        else checkpoints.latest_checkpoint(station)
    )
    with station.read() as session:
        count, head = audit.head(session)
        store_id = session.get(Meta, "store_id")
        centre = session.scalars(select(Centre)).one()
        notes = [
            f"# Centre: {centre.name} ({centre.number}); store {store_id.value if store_id else 'unknown'}",
            f"# Pack {from_day.isoformat()} to {to_day.isoformat()}, written "
            f"{local(station.now(), station.zone).isoformat(timespec='seconds')} by {station.actor.name} "
            f"({station.actor.role.value})",
            f"# The chain as read for this pack: {count} audit entries, head {head}",
        ]
    if found is None:
        notes.insert(0, "# No signed checkpoint yet: the station signs one at each session close and sign-off.")
        return "\n".join(notes) + "\n"
    return found.to_text() + "\n".join(notes) + "\n"


def _checkpoint_certificate(path: Path) -> bytes | None:
    try:
        found = checkpoints.read_checkpoint_file(path)
    except BadInput:
        return None
    return base64.b64decode(found.certificate) if found.certificate else None


def _write(folder: Path, name: str, data: bytes) -> None:
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def export_inspection_pack(
    station: Station,
    from_day: date,
    to_day: date,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PackResult:
    """Write the pack into ``out_dir`` (new or empty). Cancelling leaves nothing behind."""
    station.require(Role.INSPECTOR, Role.COORDINATOR, action="export an inspection pack")
    patterns.check_range(from_day, to_day)
    out_dir = Path(out_dir)
    check_target(out_dir)
    sessions = pack_sessions(station, from_day, to_day)
    total = len(sessions) + 3
    report = progress or (lambda _done, _total, _what: None)
    stop = cancelled or (lambda: False)
    parent = out_dir.absolute().parent
    remove_stale_parts(parent, out_dir.name)
    work = Path(tempfile.mkdtemp(prefix=f"{PART_PREFIX.format(name=out_dir.name)}", dir=parent))
    make_private(work)  # 0700 (mkdtemp's own mode), the files in it 0600, also once renamed
    files: list[str] = []
    try:
        for done, item in enumerate(sessions):
            if stop():
                raise PackCancelled("Cancelled: no inspection pack was written.")
            report(done, total, item.file_name)
            _write(work, item.file_name, signed_record_pdf(station, item.id))
            files.append(item.file_name)
        register: list[RegisterRow] = []

        def register_bytes() -> bytes:
            register.extend(register_rows(station, from_day, to_day))
            return csv_bytes(register_csv(register))

        steps: list[tuple[str, Callable[[], bytes]]] = [
            (REGISTER, register_bytes),
            (PATTERNS, lambda: patterns.patterns_pdf(station, from_day, to_day, cancelled=stop)),
            (CHECKPOINT, lambda: checkpoint_text(station, from_day, to_day).encode("utf-8")),
        ]
        stations = stations_text(station)
        if stations is not None:  # a hub: up to when each room PC's records are in
            steps.append((STATIONS_FILE, lambda: stations.encode("utf-8")))
            total += 1
        for offset, (name, make) in enumerate(steps):
            if stop():
                raise PackCancelled("Cancelled: no inspection pack was written.")
            report(len(sessions) + offset, total, name)
            try:
                data = make()
            except ExportCancelled as stopped:  # within a long step (the pattern report's pages)
                raise PackCancelled("Cancelled: no inspection pack was written.") from stopped
            _write(work, name, data)
            files.append(name)
        for name, data in pack.trust_files(station, work, list(files), _checkpoint_certificate(work / CHECKPOINT)):
            _write(work, name, data)
            files.append(name)
        if stop():
            raise PackCancelled("Cancelled: no inspection pack was written.")
        check_target(out_dir)
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report(total, total, "done")
    return PackResult(out_dir, len(sessions), len(register), files)
