"""Reading sessions: the list, and one session's candidates, workstations and log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from invigilator_app.domain.enums import IncidentType, Role
from invigilator_app.domain.errors import NotFound, NotPermitted
from invigilator_app.domain.timefmt import session_name, time_text, when_text
from invigilator_app.domain.timezones import local, to_utc
from invigilator_app.rules.transitions import register_status
from invigilator_app.services.station import Station
from invigilator_app.store.centre_models import EnrolledStation, StationSession
from invigilator_app.store.models import (
    Allocation,
    Assessment,
    IdentityCheck,
    LogEntry,
    User,
)
from invigilator_app.store.models import Session as SessionRow


@dataclass(frozen=True)
class SessionSummary:
    id: int
    day: date
    start: str
    room: str
    state: str
    candidates: int
    invigilator: str
    out_at: str = ""
    """On a hub: the station the session is out at until its record comes back ("Room A")."""


@dataclass(frozen=True)
class AllocationView:
    id: int
    candidate_name: str
    registration_number: str
    assessment_id: str
    assessment_title: str
    qualification: str
    workstation: str
    state: str
    identity_check: str
    start: str
    finish: str
    result: str
    attempt_number: int
    chargeable: bool
    flags: str
    access_arrangements: str = ""
    extra_time_percent: int = 0
    register: str = ""
    """present, late (arrived HH:MM), absent, withdrawn, transferred to session N: why."""
    remote: bool = False
    """In a remotely invigilated session: ``workstation`` is the candidate's location."""
    rest_breaks: bool = False
    """Supervised rest breaks are among the candidate's access arrangements."""

    @property
    def arrangements_label(self) -> str:
        """Short text for the seating plan, e.g. "+25% time, reader"."""
        parts = [f"+{self.extra_time_percent}% time"] if self.extra_time_percent else []
        if self.access_arrangements:
            parts.append(self.access_arrangements)
        return ", ".join(parts)


@dataclass(frozen=True)
class WorkstationView:
    label: str
    x: float
    y: float
    screen: bool
    privacy_filter: bool


@dataclass(frozen=True)
class EntryView:
    id: int
    at: str
    type: str
    type_label: str
    candidates: str
    note: str
    recorded_by: str
    notify: str
    notified: str
    transcribed: bool
    late: bool
    flags: str
    typed_by: str = ""
    """Who typed a paper-log entry in; ``recorded_by`` wrote it on paper."""


@dataclass(frozen=True)
class SessionDetail:
    summary: SessionSummary
    invigilator_pin: str
    invigilator_status: str = ""
    allocations: list[AllocationView] = field(default_factory=list)
    workstations: list[WorkstationView] = field(default_factory=list)
    entries: list[EntryView] = field(default_factory=list)
    desk: tuple[float, float] | None = None
    door: tuple[float, float] | None = None
    facing: str = "north"
    """The way candidates face (north = the top of the plan)."""
    remote: bool = False
    """Remotely invigilated: candidates at locations (no seating plan)."""


def hhmm(moment: datetime | None, zone: str) -> str:
    return time_text(moment, zone)


def label_of(type_id: str) -> str:
    try:
        return IncidentType(type_id).label
    except ValueError:
        return type_id.replace("_", " ").capitalize()


def list_sessions(station: Station, since: date | None = None) -> list[SessionSummary]:
    """Sessions in start order; from the ``since`` day (centre time) on, when given. On a
    station of a centre with several rooms, the sessions it holds (the rest is history
    for its checks)."""
    with station.read() as session:
        query = select(SessionRow).options(joinedload(SessionRow.room), joinedload(SessionRow.invigilator))
        if station.db.centre_role == "station":
            query = query.where(SessionRow.id.in_(select(StationSession.session_id)))
        if since is not None:
            query = query.where(SessionRow.start_utc >= to_utc(since, time(0, 0), station.zone))
        rows = session.scalars(query.order_by(SessionRow.start_utc, SessionRow.id)).all()
        counts: dict[int, int] = {}
        ids = [r.id for r in rows]
        for chunk in range(0, len(ids), 500):
            counts.update(
                session.execute(
                    select(Allocation.session_id, func.count())
                    .where(Allocation.session_id.in_(ids[chunk : chunk + 500]), Allocation.cancelled.is_(False))
                    .group_by(Allocation.session_id)
                ).all()
            )
        out = _out_at(session, ids) if station.db.centre_role == "hub" else {}
        return [_summary(r, int(counts.get(r.id, 0)), station.zone, out.get(r.id, "")) for r in rows]


def _out_at(session: Session, ids: list[int]) -> dict[int, str]:
    """Which of these sessions are out at a station, and where (a hub)."""
    found: dict[int, str] = {}
    for chunk in range(0, len(ids), 500):
        found.update(
            session.execute(
                select(StationSession.session_id, EnrolledStation.name)
                .join(EnrolledStation, EnrolledStation.id == StationSession.station_id)
                .where(StationSession.session_id.in_(ids[chunk : chunk + 500]), StationSession.held.is_(True))
            ).all()
        )
    return found


def _summary(row: SessionRow, count: int, zone: str, out_at: str = "") -> SessionSummary:
    start = local(row.start_utc, zone)
    return SessionSummary(
        id=row.id,
        day=start.date(),
        start=time_text(start),
        room=row.room.name,
        state=row.state,
        candidates=count,
        invigilator=row.invigilator.name,
        out_at=out_at,
    )


def session_label(row: SessionRow, zone: str | None = None) -> str:
    """A session as people name it: room, date and time ("IT Suite, Tue 1 Dec 2026 09:30")."""
    start = local(row.start_utc, zone)
    return session_name(row.room.name, start.date(), time_text(start))


def get_session_row(session: Session, session_id: int) -> SessionRow:
    row = session.get(SessionRow, session_id)
    if row is None:
        raise NotFound(f"There is no session {session_id}. `invigilator-app sessions list` shows them.")
    return row


def identity_text(check: IdentityCheck | None, zone: str) -> str:
    if check is None:
        return ""
    if check.transcribed:
        what = check.id_type or "identity"
        by = check.checked_by.name if check.checked_by else "the invigilator"
        typed = f"; typed in from the paper log by {check.typed_by.name}" if check.typed_by else "; from the paper log"
        return f"{hhmm(check.at, zone)} {what}, checked on paper by {by}{typed}"
    what = check.id_type or check.method.replace("_", " ")
    if check.method == "id_to_camera":
        what = f"ID to camera ({check.id_type})" if check.id_type else "ID to camera"
    by = f" by {check.checked_by.name}" if check.checked_by else ""
    match = "match confirmed" if check.match_confirmed else "NO MATCH"
    return f"{hhmm(check.at, zone)} {what}, {match}{by}"


def latest_checks(session: Session, allocation_ids: list[int]) -> dict[int, IdentityCheck]:
    checks: dict[int, IdentityCheck] = {}
    if not allocation_ids:
        return checks
    for check in session.scalars(
        select(IdentityCheck)
        .where(IdentityCheck.allocation_id.in_(allocation_ids))
        .options(joinedload(IdentityCheck.checked_by), joinedload(IdentityCheck.typed_by))
        .order_by(IdentityCheck.at)
    ):
        checks[check.allocation_id] = check
    return checks


def session_allocations(session: Session, session_id: int) -> list[Allocation]:
    """A session's allocations that still count, by workstation, with candidate and assessment."""
    return [
        a
        for a in session.scalars(
            select(Allocation)
            .where(Allocation.session_id == session_id)
            .options(
                joinedload(Allocation.candidate),
                joinedload(Allocation.assessment).joinedload(Assessment.qualification),
            )
            .order_by(Allocation.workstation_label, Allocation.id)
        )
        if not a.cancelled
    ]


def session_entries(session: Session, session_id: int) -> list[LogEntry]:
    """A session's log entries in time order, with their candidates and who recorded them."""
    return list(
        session.scalars(
            select(LogEntry)
            .where(LogEntry.session_id == session_id)
            .options(selectinload(LogEntry.candidates), joinedload(LogEntry.recorded_by), joinedload(LogEntry.typed_by))
            .order_by(LogEntry.at, LogEntry.id)
        )
    )


def session_detail(station: Station, session_id: int) -> SessionDetail:
    zone = station.zone
    with station.read() as session:
        row = get_session_row(session, session_id)
        active = session_allocations(session, session_id)
        checks = latest_checks(session, [a.id for a in active])
        entries = session_entries(session, session_id)
        return SessionDetail(
            summary=_summary(
                row,
                len(active),
                zone,
                _out_at(session, [row.id]).get(row.id, "") if station.db.centre_role == "hub" else "",
            ),
            invigilator_pin=row.invigilator.imi_pin,
            invigilator_status=invigilator_status(row.invigilator, session),
            allocations=[
                AllocationView(
                    id=a.id,
                    candidate_name=a.candidate.full_name,
                    registration_number=a.candidate.registration_number,
                    assessment_id=a.assessment.code,
                    assessment_title=a.assessment.title,
                    qualification=a.assessment.qualification.number,
                    workstation=a.location if row.remote else a.workstation_label,
                    state=a.state,
                    identity_check=identity_text(checks.get(a.id), zone),
                    start=hhmm(a.started_at, zone),
                    finish=hhmm(a.finished_at, zone),
                    result=a.result or "",
                    attempt_number=a.attempt_number,
                    chargeable=a.chargeable,
                    flags=a.flags,
                    access_arrangements=a.candidate.arrangements.describe(with_extra_time=False),
                    extra_time_percent=a.candidate.extra_time_percent,
                    remote=row.remote,
                    rest_breaks=bool(a.candidate.rest_breaks),
                    register=register_status(
                        a.state, a.arrived_at, a.transferred_to_session_id, a.transfer_reason, zone
                    ),
                )
                for a in active
            ],
            workstations=[
                WorkstationView(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in row.room.workstations
            ],
            entries=[_entry_view(e, zone) for e in entries],
            desk=(row.room.desk_x, row.room.desk_y)
            if row.room.desk_x is not None and row.room.desk_y is not None
            else None,
            door=(row.room.door_x, row.room.door_y)
            if row.room.door_x is not None and row.room.door_y is not None
            else None,
            facing=row.room.facing or "north",
            remote=row.remote,
        )


def _entry_view(e: LogEntry, zone: str) -> EntryView:
    notified = ""
    if e.notified_at:
        notified = f"{when_text(e.notified_at, zone)} ref {e.notification_reference}".strip()
    note = e.note
    if e.type == IncidentType.QUESTION_ISSUE.value:
        note = f"Q{e.question_number} in {e.assessment_code}: {e.note}"
    return EntryView(
        id=e.id,
        at=hhmm(e.at, zone),
        type=e.type,
        type_label=label_of(e.type),
        candidates=", ".join(f"{c.full_name} ({c.registration_number})" for c in e.candidates),
        note=note,
        recorded_by=e.recorded_by.name if e.recorded_by else "",
        notify=e.notify_party,
        notified=notified,
        transcribed=e.transcribed,
        late=e.late,
        flags=e.flags,
        typed_by=e.typed_by.name if e.typed_by else "",
    )


def may_record(station: Station, invigilator_id: int | None) -> bool:
    """Whether the acting user may record in a session of that invigilator: its
    invigilator, or a coordinator (never an inspector)."""
    role = station.actor.role
    return role is Role.COORDINATOR or (role is Role.INVIGILATOR and invigilator_id == station.actor.id)


def session_for_write(station: Station, session: Session, session_id: int) -> SessionRow:
    """The session, if the acting user may record in it (``may_record``)."""
    row = get_session_row(session, session_id)
    if may_record(station, row.invigilator_id):
        return row
    if station.actor.role is Role.INSPECTOR:
        raise NotPermitted("Inspectors have read-only access.")
    raise NotPermitted(
        f"The session in {session_label(row, station.zone)} is assigned to {row.invigilator.name}, "
        f"not {station.actor.name}."
    )


def invigilator_status(user: User, session: Session) -> str:
    """INV-2 / INV-3 / INV-4 in words: impartiality, assessor authorisation, nomination."""
    parts = []
    if user.impartial:
        parts.append("Impartial: declared no industry qualification or background related to the assessments (INV-3)")
    else:
        parts.append("Not declared impartial")
    if user.assessor:
        if user.assessor_authorisation:
            who = session.get_one(User, user.authorised_by_id).name if user.authorised_by_id else "the coordinator"
            parts.append(f"Assessor, authorised to invigilate by {who}: {user.assessor_authorisation} (INV-2)")
        else:
            parts.append("Assessor, no authorisation recorded (INV-2)")
    if user.nominated_by_id:
        parts.append(f"nominated by {session.get_one(User, user.nominated_by_id).name} (INV-4)")
    return "; ".join(parts)
