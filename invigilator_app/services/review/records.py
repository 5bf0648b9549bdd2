"""The invigilation record: built from the store, rendered, signed with the station's
certificate, and verified."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, Cancelled, NotPermitted
from invigilator_app.domain.record import (
    InvigilationRecord,
    RecordCandidate,
    RecordChecklistItem,
    RecordEntry,
    RecordWorkstation,
)
from invigilator_app.domain.timefmt import day_text, when_text
from invigilator_app.domain.timezones import local
from invigilator_app.reports.record_pdf import record_csv, render_day, render_record
from invigilator_app.reports.signing import sign_record_pdf
from invigilator_app.reports.spreadsheet import csv_bytes
from invigilator_app.reports.verify import VerifySummary, verify_record_pdf
from invigilator_app.rules.transitions import register_status
from invigilator_app.security import certificates
from invigilator_app.services.console import clock
from invigilator_app.services.console.checklist import items_for as checklist_items_for
from invigilator_app.services.console.sessions import (
    get_session_row,
    identity_text,
    invigilator_status,
    label_of,
    latest_checks,
    list_sessions,
    session_allocations,
    session_entries,
)
from invigilator_app.services.files import write_atomically
from invigilator_app.services.review import amendments
from invigilator_app.services.station import Station
from invigilator_app.services.trust import checkpoints, keys
from invigilator_app.store import audit
from invigilator_app.store.models import (
    Centre,
    ChecklistAnswer,
    RuleAcknowledgement,
    User,
)
from invigilator_app.store.models import Session as SessionRow

CHECKLIST_TEXT = {
    "ROOM-1": "Workstations 1.5 m apart, or screens / privacy filters; invigilator can oversee everyone",
    "ROOM-2": "Suitable seating, adequate light, free from noise and distraction",
    "ROOM-3": "Room clear of charts, posters or anything that could help",
    "ROOM-4": "Auto save disabled on every machine used",
    "ROOM-5": "No websites or programs other than the assessment pages (unless allowed)",
    "ROOM-6": "No books, papers, phones, smart watches, recording or storage devices",
    "ROOM-7": "Invigilator can summon help without leaving the room",
    "ROOM-8": "Blank paper issued is collected and destroyed before candidates leave",
}


DRAFT = "DRAFT \u2014 not signed off"


def _name(user: User | None) -> str:
    return user.name if user is not None else ""


def draft_stamp(state: str) -> str:
    """The stamp on a record exported before the coordinator's sign-off ("" once signed off)."""
    if state == "signed_off":
        return ""
    if state == "closed":
        return f"{DRAFT}: awaiting the coordinator's review"
    return f"{DRAFT}: the session is {state.replace('_', ' ')}"


def _iso(moment: datetime | None, zone: str) -> str:
    return local(moment, zone).isoformat(timespec="minutes") if moment else ""


def initials(first: str, last: str) -> str:
    parts = [p for p in f"{first} {last}".replace("-", " ").split() if p]
    return "".join(p[0].upper() for p in parts if p[0].isalpha())[:3]


def remote_checklist_text(session: Session, row: SessionRow) -> dict[str, str]:
    """A remote session's checklist as the invigilator answered it (REMOTE-1 … and the room
    items that apply at each candidate's location)."""
    return {item.rule_id: item.text for item in checklist_items_for(session, row)}


def build_record(station: Station, session_id: int) -> InvigilationRecord:
    zone = station.zone
    with station.read() as session:
        row = get_session_row(session, session_id)
        centre = session.scalars(select(Centre)).one()
        allocs = session_allocations(session, session_id)
        checks = latest_checks(session, [a.id for a in allocs])
        seat_initials = {a.workstation_label: initials(a.candidate.first_name, a.candidate.last_name) for a in allocs}
        candidates = []
        pauses = clock.pauses_by_allocation(session, session_id, station.now())
        for a in allocs:
            planned_finish = _iso(clock.planned_finish(a, pauses.get(a.id, timedelta())), zone)
            candidates.append(
                RecordCandidate(
                    name=a.candidate.full_name,
                    registration_number=a.candidate.registration_number,
                    assessment_id=a.assessment.code,
                    assessment_title=a.assessment.title,
                    qualification=a.assessment.qualification.number,
                    qualification_title=a.assessment.qualification.title,
                    workstation=a.location if row.remote else a.workstation_label,
                    initials=(
                        initials(a.candidate.first_name, a.candidate.last_name)
                        if row.remote
                        else seat_initials[a.workstation_label]
                    ),
                    identity_check=identity_text(checks.get(a.id), zone),
                    logged_on_confirmed=a.logged_on_at is not None,
                    start=_iso(a.started_at, zone),
                    finish=_iso(a.finished_at, zone),
                    planned_finish=planned_finish,
                    outcome=a.state,
                    result=a.result or "",
                    paper_issued=a.paper_issued_at is not None,
                    paper_collected=a.paper_collected_at is not None,
                    attempt_number=a.attempt_number,
                    resit=a.attempt_number > 1,
                    chargeable=a.chargeable,
                    access_arrangements=a.candidate.arrangements.describe(),
                    register=register_status(
                        a.state, a.arrived_at, a.transferred_to_session_id, a.transfer_reason, zone
                    ),
                )
            )
        entries = session_entries(session, session_id)
        amended = amendments.amendments_in(session, session_id, zone)
        entry_amendments: dict[int, list[str]] = {}
        for amendment in amended:
            if amendment.entity == "log_entry":
                entry_amendments.setdefault(amendment.entity_id, []).append(amendment.line())
        record_entries = [
            RecordEntry(
                at=_iso(e.at, zone),
                type=e.type,
                type_label=label_of(e.type),
                candidates=[f"{c.full_name} ({c.registration_number})" for c in e.candidates],
                note=e.note,
                recorded_by=e.recorded_by.name if e.recorded_by else "",
                question_number=e.question_number,
                assessment_id=e.assessment_code,
                notify=e.notify_party,
                notified_at=_iso(e.notified_at, zone),
                notification_reference=e.notification_reference,
                transcribed=e.transcribed,
                late=e.late,
                late_reason=e.late_reason,
                amendments=entry_amendments.get(e.id, []),
                flags=[f for f in e.flags.splitlines() if f],
                typed_by=e.typed_by.name if e.typed_by else "",
            )
            for e in entries
        ]
        record_entries.extend(amendments.record_entries(session, amended))
        for a in allocs:
            for flag in a.flags.splitlines():
                if flag:
                    record_entries.append(
                        RecordEntry(
                            at=_iso(a.started_at or a.planned_start_utc, zone),
                            type="deviation",
                            type_label="Deviation found in paper log",
                            candidates=[f"{a.candidate.full_name} ({a.candidate.registration_number})"],
                            note=flag,
                            transcribed=True,
                            flags=[flag],
                        )
                    )
        for pause in clock.pauses_for_record(session, session_id):
            record_entries.append(
                RecordEntry(
                    at=_iso(pause.started_at, zone),
                    type="clock_pause",
                    type_label="Exam clock paused",
                    candidates=pause.candidates,
                    note=pause.describe(zone),
                )
            )
        answers = {
            c.rule_id: c
            for c in session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.session_id == session_id))
        }
        checklist = [
            RecordChecklistItem(
                rule_id,
                text,
                answers[rule_id].answer if rule_id in answers else "not completed",
                answers[rule_id].note if rule_id in answers else "",
            )
            for rule_id, text in (remote_checklist_text(session, row) if row.remote else CHECKLIST_TEXT).items()
        ]
        acks = session.scalars(
            select(RuleAcknowledgement)
            .where(RuleAcknowledgement.session_id == session_id)
            .options(joinedload(RuleAcknowledgement.acknowledged_by))
            .order_by(RuleAcknowledgement.id)
        ).all()
        warnings = [
            f"{a.rule_id}: {a.message} (acknowledged by {a.acknowledged_by.name if a.acknowledged_by else '?'}, "
            f"{when_text(a.at, zone)})"
            for a in acks
            if a.severity == "warn"
        ]
        authorisations = [
            f"{a.rule_id}: {a.message} "
            f"({a.acknowledged_by.name if a.acknowledged_by else '?'}, {when_text(a.at, zone)})"
            for a in acks
            if a.severity == "authorise"
        ]
        signed_by = session.get_one(User, row.signed_off_by_id).name if row.signed_off_by_id else ""
        reviewed_by = session.get_one(User, row.reviewed_by_id).name if row.reviewed_by_id else ""
        count, head = audit.head(session)
        signed = checkpoints.latest_in(session, session_id) or checkpoints.latest_in(session)
        start = local(row.start_utc, zone)
        end = row.ended_at or max((a.finished_at for a in allocs if a.finished_at), default=None)
        room = row.room
        return InvigilationRecord(
            centre_name=centre.name,
            centre_number=centre.number,
            centre_address=centre.address,
            site=room.site,
            room=room.name,
            facing=room.facing or "",
            session_id=row.id,
            date=start.date().isoformat(),
            start=start.isoformat(timespec="minutes"),
            end=_iso(end, zone),
            state=row.state,
            invigilator_name=row.invigilator.name,
            invigilator_pin=row.invigilator.imi_pin,
            invigilator_status=invigilator_status(row.invigilator, session),
            zone=zone,
            checklist=checklist,
            candidates=candidates,
            workstations=[
                RecordWorkstation(w.label, w.x, w.y, w.screen, w.privacy_filter, seat_initials.get(w.label, ""))
                for w in room.workstations
            ]
            if not row.remote
            else [],
            desk=(room.desk_x, room.desk_y) if room.desk_x is not None and room.desk_y is not None else None,
            door=(room.door_x, room.door_y) if room.door_x is not None and room.door_y is not None else None,
            entries=sorted(record_entries, key=lambda e: (e.at, e.type)),
            acknowledged_warnings=warnings,
            authorisations=authorisations,
            signed_off_by=signed_by,
            signed_off_at=_iso(row.signed_off_at, zone),
            reviewed_by=reviewed_by,
            reviewed_at=_iso(row.reviewed_at, zone),
            review_comment=row.review_comment,
            audit_checkpoint=signed.describe() if signed else f"{count} audit entries, latest fingerprint {head}",
            generated_at=_iso(station.now(), zone),
            remote=row.remote,
            checkpoint=signed.to_text() if signed is not None and signed.version == 2 else "",
            sign_off_typed_by=_name(session.get(User, row.sign_off_typed_by_id)) if row.sign_off_typed_by_id else "",
            draft=draft_stamp(row.state),
        )


def centre_certificate_pem(station: Station) -> bytes:
    """The centre certificate (PEM): the root every record's signature chains to."""
    with station.read() as session:
        centre = keys.centre_certificate(session)
    if centre is None:
        raise NotPermitted("This store has no centre certificate yet: a coordinator's next unlock makes it.")
    return certificates.pem(centre).encode("ascii")


station_certificate = centre_certificate_pem
"""``station certificate --out``: what an inspector pins is now the centre certificate."""


def own_session_ids(station: Station, session_ids: list[int]) -> set[int]:
    """Of these sessions, the ones the acting user may export: all for a coordinator or an
    inspector; for an invigilator those assigned to them (docs/cli.md: their own only)."""
    if station.actor.role is not Role.INVIGILATOR:
        return set(session_ids)
    with station.read() as session:
        return set(
            session.scalars(
                select(SessionRow.id).where(
                    SessionRow.id.in_(session_ids), SessionRow.invigilator_id == station.actor.id
                )
            )
        )


def require_export_scope(station: Station, session_id: int) -> None:
    """NotPermitted (exit 5) when an invigilator asks for another invigilator's record."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, Role.INSPECTOR, action="export records")
    if station.actor.role is Role.INVIGILATOR and session_id not in own_session_ids(station, [session_id]):
        with station.read() as session:
            row = get_session_row(session, session_id)
            other = row.invigilator.name
        raise NotPermitted(
            f"Session {session_id} is assigned to {other}: {station.actor.name} may export only "
            "the records of their own sessions."
        )


def signed_record_pdf(station: Station, session_id: int) -> bytes:
    """The record of one session as a signed PDF with the record attached as JSON, signed
    by the exporting user's own key, the chain to the centre certificate embedded; every
    page shows who signed and the centre's fingerprint."""
    require_export_scope(station, session_id)
    signer = station.signer
    if signer is None or signer.certificate is None:
        raise NotPermitted(
            f"{station.actor.name} has no signing key on this store yet: a coordinator sets their "
            "password (`users passwd`) to give them one."
        )
    centre_pem = centre_certificate_pem(station)
    record = build_record(station, session_id)
    record.centre_fingerprint = certificates.fingerprint(certificates.load(centre_pem))
    record.exported_by = f"{station.actor.name} ({station.actor.role.value})"
    cert_pem = certificates.pem(signer.certificate).encode("ascii")
    return sign_record_pdf(
        render_record(record), record, certificates.private_pem(signer.key), cert_pem, station.actor.name, (centre_pem,)
    )


def export_record(station: Station, session_id: int, out: Path) -> Path:
    write_atomically(out, signed_record_pdf(station, session_id))
    return out


def verify_file(
    path: Path,
    certificate: Path | None = None,
    *,
    trust: Path | None = None,
    centre: str | None = None,
    data_dir: Path | None = None,
) -> VerifySummary:
    """Check a record PDF: needs no store and no password. Its origin is proven only by a
    trusted centre: ``trust`` (a centre certificate file), ``centre`` (its fingerprint),
    or the ``centre.pem`` of the store in ``data_dir``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    pinned = _read(certificate) if certificate is not None else None
    roots: list[tuple[bytes, str]] = []
    if trust is not None:
        roots.append((_read(trust), str(trust)))
    elif centre is None and data_dir is not None and (data_dir / keys.CENTRE_FILE).exists():
        roots.append((_read(data_dir / keys.CENTRE_FILE), f"the store in {data_dir}"))
    if centre is not None and len(certificates.normalise_fingerprint(centre)) != 64:
        raise BadInput(
            f"--centre {centre!r}: give the centre's SHA-256 fingerprint (64 hex digits, spaces or colons allowed)."
        )
    return verify_record_pdf(data, pinned, trusted=roots, centre=centre)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc}).") from None


def export_record_csv(station: Station, session_id: int, out: Path) -> Path:
    """The record's candidate table as CSV, for the coordinator's spreadsheet."""
    require_export_scope(station, session_id)
    write_atomically(out, csv_bytes(record_csv(build_record(station, session_id))))
    return out


def export_day(
    station: Station,
    day: date,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """All of a day's records (every room) in one PDF, for printing and filing. The signed
    per-session PDFs stay the records of proof. Returns how many sessions it holds; a
    cancelled export writes nothing. An invigilator's PDF holds only their own sessions."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, Role.INSPECTOR, action="export records")
    sessions = [s for s in list_sessions(station, since=day) if s.day == day]
    if not sessions:
        raise BadInput(f"There are no sessions on {day_text(day)}.")
    own = own_session_ids(station, [s.id for s in sessions])
    if len(own) < len(sessions):
        sessions = [s for s in sessions if s.id in own]
        if not sessions:
            raise NotPermitted(
                f"None of the sessions on {day_text(day)} is assigned to {station.actor.name}: "
                "an invigilator may export only the records of their own sessions."
            )
    records = []
    for i, summary in enumerate(sessions, start=1):
        if cancelled is not None and cancelled():
            raise Cancelled("Export cancelled; nothing was written.")
        records.append(build_record(station, summary.id))
        if progress is not None:
            progress(i, len(sessions) + 1)
    data = render_day(records)
    if cancelled is not None and cancelled():
        raise Cancelled("Export cancelled; nothing was written.")
    write_atomically(out, data)
    if progress is not None:
        progress(len(sessions) + 1, len(sessions) + 1)
    return len(sessions)
