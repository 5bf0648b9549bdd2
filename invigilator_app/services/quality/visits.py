"""EQA visits (000): what the coordinator records about a visit, the EQA's sampling plan
(sessions, candidates, records of this station) ticked off as it is looked at, and the
inspector account the EQA uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotFound, NotPermitted
from invigilator_app.domain.timezones import local
from invigilator_app.services.quality.access import visit_write
from invigilator_app.services.station import Station
from invigilator_app.store.models import Candidate, User
from invigilator_app.store.models import Session as SessionRow
from invigilator_app.store.quality_models import EqaVisit, VisitSample

SAMPLE_KINDS = ("session", "candidate", "record")
PLAN_NOTICE_DAYS = 15
"""The EQA confirms the schedule and sampling plan at most 15 days before an announced visit."""


@dataclass(frozen=True)
class VisitInput:
    eqa_name: str
    planned_on: date
    period_from: date
    period_to: date
    announced: bool = True
    remote: bool = False
    schedule_received_on: date | None = None
    sampling_plan_received_on: date | None = None
    inspector: str = ""
    """The name of the inspector account the EQA uses at this visit (may be empty)."""
    notes: str = ""


@dataclass(frozen=True)
class SampleInput:
    kind: str
    session_id: int | None = None
    registration_number: str = ""
    description: str = ""


@dataclass(frozen=True)
class SampleView:
    id: int
    kind: str
    label: str
    session_id: int | None
    looked_at: str
    looked_by: str


@dataclass(frozen=True)
class VisitView:
    id: int
    eqa_name: str
    planned_on: date
    period_from: date
    period_to: date
    announced: bool
    remote: bool
    schedule_received_on: date | None
    sampling_plan_received_on: date | None
    inspector: str
    notes: str
    samples: list[SampleView] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return f"{'announced' if self.announced else 'unannounced'}, {'remote' if self.remote else 'on site'}"

    @property
    def looked_at(self) -> int:
        return sum(1 for s in self.samples if s.looked_at)


def _day(moment: object, zone: str) -> str:
    return local(moment, zone).strftime("%d %b %Y %H:%M") if moment is not None else ""  # type: ignore[arg-type]


def _sample_label(session: Session, row: VisitSample) -> str:
    parts = []
    if row.session_id is not None:
        s = session.get(SessionRow, row.session_id)
        parts.append(f"session {row.session_id}" + (f" ({s.room.name})" if s is not None else " (purged)"))
    if row.candidate_id is not None:
        c = session.get(Candidate, row.candidate_id)
        if c is not None:
            parts.append(f"{c.full_name} ({c.registration_number})")
    if row.description:
        parts.append(row.description)
    return f"{row.kind}: " + "; ".join(parts)


def _view(station: Station, session: Session, visit: EqaVisit) -> VisitView:
    samples = session.scalars(select(VisitSample).where(VisitSample.visit_id == visit.id).order_by(VisitSample.id))
    names = {u.id: u.name for u in session.scalars(select(User))}
    return VisitView(
        id=visit.id,
        eqa_name=visit.eqa_name,
        planned_on=visit.planned_on,
        period_from=visit.period_from,
        period_to=visit.period_to,
        announced=visit.announced,
        remote=visit.remote,
        schedule_received_on=visit.schedule_received_on,
        sampling_plan_received_on=visit.sampling_plan_received_on,
        inspector=names.get(visit.inspector_id, "") if visit.inspector_id else "",
        notes=visit.notes,
        samples=[
            SampleView(
                s.id,
                s.kind,
                _sample_label(session, s),
                s.session_id,
                _day(s.looked_at, station.zone),
                names.get(s.looked_by_id, "") if s.looked_by_id else "",
            )
            for s in samples
        ],
    )


def _inspector_id(session: Session, name: str) -> int | None:
    if not name.strip():
        return None
    user = session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()
    if user is None:
        raise NotFound(f"Inspector account: there is no user called {name.strip()}.")
    if user.role != Role.INSPECTOR.value:
        raise BadInput(f"Inspector account: {user.name} is a {user.role}, not an inspector.")
    return user.id


def _check(wanted: VisitInput) -> None:
    if not wanted.eqa_name.strip():
        raise BadInput("EQA name: give the name of the external quality assurer.")
    if len(wanted.eqa_name) > 120:
        raise BadInput("EQA name: keep it under 120 characters.")
    if wanted.period_from > wanted.period_to:
        raise BadInput(f"Period: {wanted.period_from:%d %b %Y} is after {wanted.period_to:%d %b %Y}.")
    for label, day in (
        ("Schedule received on", wanted.schedule_received_on),
        ("Sampling plan received on", wanted.sampling_plan_received_on),
    ):
        if day is not None and day > wanted.planned_on:
            raise BadInput(f"{label}: {day:%d %b %Y} is after the visit ({wanted.planned_on:%d %b %Y}).")


def _visit(session: Session, visit_id: int) -> EqaVisit:
    visit = session.get(EqaVisit, visit_id)
    if visit is None:
        raise NotFound(f"There is no visit {visit_id}.")
    return visit


def _apply(session: Session, visit: EqaVisit, wanted: VisitInput) -> None:
    visit.eqa_name = wanted.eqa_name.strip()
    visit.planned_on, visit.period_from, visit.period_to = wanted.planned_on, wanted.period_from, wanted.period_to
    visit.announced, visit.remote = wanted.announced, wanted.remote
    visit.schedule_received_on = wanted.schedule_received_on
    visit.sampling_plan_received_on = wanted.sampling_plan_received_on
    visit.inspector_id = _inspector_id(session, wanted.inspector)
    visit.notes = wanted.notes.strip()


def record_visit(station: Station, wanted: VisitInput) -> VisitView:
    station.require(Role.COORDINATOR, action="record EQA visits")
    _check(wanted)
    with station.write() as session:
        visit = EqaVisit(created_by_id=station.actor.id, created_at=station.now())
        _apply(session, visit, wanted)
        session.add(visit)
        session.flush()
        return _view(station, session, visit)


def update_visit(station: Station, visit_id: int, wanted: VisitInput) -> VisitView:
    station.require(Role.COORDINATOR, action="record EQA visits")
    _check(wanted)
    with station.write() as session:
        visit = _visit(session, visit_id)
        _apply(session, visit, wanted)
        session.flush()
        return _view(station, session, visit)


def link_inspector(station: Station, visit_id: int, inspector: str) -> VisitView:
    """Link the inspector account the EQA uses at this visit (empty: none), e.g. once the
    coordinator has made the account for the day."""
    station.require(Role.COORDINATOR, action="record EQA visits")
    with station.write() as session:
        visit = _visit(session, visit_id)
        visit.inspector_id = _inspector_id(session, inspector)
        session.flush()
        return _view(station, session, visit)


def add_sample(station: Station, visit_id: int, wanted: SampleInput) -> SampleView:
    """An item of the sampling plan: one of this station's sessions, a candidate, or a record."""
    station.require(Role.COORDINATOR, action="record EQA visits")
    if wanted.kind not in SAMPLE_KINDS:
        raise BadInput(f"Sample: {wanted.kind!r} is not one of {', '.join(SAMPLE_KINDS)}.")
    with station.write() as session:
        _visit(session, visit_id)
        row = VisitSample(visit_id=visit_id, kind=wanted.kind, description=wanted.description.strip())
        if wanted.session_id is not None:
            if session.get(SessionRow, wanted.session_id) is None:
                raise NotFound(f"Sample: there is no session {wanted.session_id}.")
            row.session_id = wanted.session_id
        if wanted.registration_number.strip():
            reg = wanted.registration_number.strip().upper()
            cand = session.scalars(select(Candidate).where(func.upper(Candidate.registration_number) == reg)).first()
            if cand is None:
                raise NotFound(f"Sample: there is no candidate {reg}.")
            row.candidate_id = cand.id
        if row.session_id is None and row.candidate_id is None and not row.description:
            raise BadInput("Sample: name a session, a candidate or describe the record.")
        if wanted.kind == "session" and row.session_id is None:
            raise BadInput("Sample: a session sample needs the session's number.")
        if wanted.kind == "candidate" and row.candidate_id is None:
            raise BadInput("Sample: a candidate sample needs the registration number.")
        session.add(row)
        session.flush()
        return next(s for s in _view(station, session, _visit(session, visit_id)).samples if s.id == row.id)


def _may_mark(station: Station, visit: EqaVisit, what: str) -> None:
    station.require(Role.COORDINATOR, Role.INSPECTOR, action=what)
    if station.actor.role is Role.INSPECTOR and visit.inspector_id != station.actor.id:
        raise NotPermitted(f"{station.actor.name} is not the inspector account of visit {visit.id}.")


def mark_looked_at(station: Station, sample_id: int, looked: bool = True) -> SampleView:
    """Tick a sampling-plan item off as looked at (or un-tick it), with who and when."""
    with visit_write(station) as session:
        row = session.get(VisitSample, sample_id)
        if row is None:
            raise NotFound(f"There is no sampling-plan item {sample_id}.")
        _may_mark(station, _visit(session, row.visit_id), "tick off the sampling plan")
        row.looked_at = station.now() if looked else None
        row.looked_by_id = station.actor.id if looked else None
        session.flush()
        return next(s for s in _view(station, session, _visit(session, row.visit_id)).samples if s.id == row.id)


def list_visits(station: Station) -> list[VisitView]:
    """Newest first. Inspectors see the visits their account is linked to."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="view the quality file")
    with station.read() as session:
        query = select(EqaVisit).order_by(EqaVisit.planned_on.desc(), EqaVisit.id.desc())
        if station.actor.role is Role.INSPECTOR:
            query = query.where(EqaVisit.inspector_id == station.actor.id)
        return [_view(station, session, v) for v in session.scalars(query)]


def get_visit(station: Station, visit_id: int) -> VisitView:
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="view the quality file")
    with station.read() as session:
        visit = _visit(session, visit_id)
        if station.actor.role is Role.INSPECTOR and visit.inspector_id != station.actor.id:
            raise NotPermitted(f"{station.actor.name} is not the inspector account of visit {visit_id}.")
        return _view(station, session, visit)


def visit_for_inspector(station: Station) -> VisitView | None:
    """The visit the acting inspector's account is linked to (the latest), if any."""
    if station.actor.role is not Role.INSPECTOR:
        return None
    visits = list_visits(station)
    return visits[0] if visits else None


def plan_notice_days(visit: VisitView) -> int | None:
    """How many days before the visit the sampling plan came (000: at most 15 for an
    announced visit), or None when it has not come."""
    if visit.sampling_plan_received_on is None:
        return None
    return (visit.planned_on - visit.sampling_plan_received_on).days
