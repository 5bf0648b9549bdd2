"""Planning a session: the JSON plan format, the rule checks, and the write.

A block refuses the whole plan (RuleRefused, exit 3, every violation listed); warnings
are returned and recorded as acknowledged by the acting user.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.arrangements import AccessArrangements
from invigilator_app.domain.enums import Role, Severity
from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.domain.timezones import to_utc
from invigilator_app.domain.violations import Violation
from invigilator_app.reports.seating import FACING
from invigilator_app.rules.clashes import plan_booking
from invigilator_app.rules.facts import AttemptFact, InvigilatorFact, PlanFact, QualificationFact, WorkstationFact
from invigilator_app.rules.plan import blocking, check_plan, needs_authorisation, sort_violations
from invigilator_app.rules.retake_list import default_retake_hours
from invigilator_app.rules.retakes import attempt_number
from invigilator_app.rules.room import check_room_layout
from invigilator_app.rules.standards import is_standard
from invigilator_app.services import bounds, facts
from invigilator_app.services.admin.catalogue import (
    MOT_QUALIFICATIONS,
    ensure_assessment,
    ensure_qualification,
    two_hour_list,
)
from invigilator_app.services.jsonfile import Fields, load_json, raise_problems
from invigilator_app.services.planning.plan_arrangements import apply_arrangements, parse_arrangements
from invigilator_app.services.planning.plan_invigilator import (
    DeclarationChangeRequest,
    invigilator_for_plan,
    invigilator_preview,
)
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator as PlannedInvigilator
from invigilator_app.services.station import Station
from invigilator_app.services.stations import ownership
from invigilator_app.store.models import (
    Allocation,
    Assessment,
    Candidate,
    Room,
    RuleAcknowledgement,
    Workstation,
)
from invigilator_app.store.models import Session as SessionRow


@dataclass(frozen=True)
class PlannedCandidate:
    registration_number: str
    assessment_id: str
    qualification: str
    workstation: str
    support_note: str = ""
    notice_date: date | None = None
    readiness_confirmed: bool | None = None
    assessment_title: str = ""
    planned_minutes: int | None = None
    path: str = ""
    arrangements: AccessArrangements | None = None
    """Given in the plan: written to the candidate before the rules are checked."""


@dataclass(frozen=True)
class PlanRequest:
    day: date
    start: time
    room: str
    invigilator: PlannedInvigilator
    candidates: tuple[PlannedCandidate, ...]
    workstations: tuple[WorkstationFact, ...] | None = None
    site: str = ""
    desk: tuple[float, float] | None = None
    door: tuple[float, float] | None = None
    facing: str = ""
    """The way candidates face: north (the top of the plan), east, south or west."""


@dataclass(frozen=True)
class PlanResult:
    session_id: int
    warnings: list[Violation] = field(default_factory=list)


def parse_plan(data: Any, source: str) -> PlanRequest:
    """Check the plan's shape; every problem names its JSON path. Nothing is written."""
    problems: list[str] = []
    top = Fields(data, "$", problems)
    day = top.day("date")
    start = top.clock_time("start")
    room = top.text("room", max_len=100)
    site = top.text("site", required=False, max_len=100)
    workstations: tuple[WorkstationFact, ...] | None = None
    raw_ws = top.items("workstations", required=False, most=bounds.MAX_WORKSTATIONS)
    if raw_ws is not None:
        found = []
        for i, item in enumerate(raw_ws):
            w = Fields(item, f"$.workstations[{i}]", problems)
            label = w.text("label", max_len=40)
            x, y = w.coordinate("x"), w.coordinate("y")
            found.append(
                WorkstationFact(
                    label=label,
                    x=x or 0.0,
                    y=y or 0.0,
                    screen=bool(w.flag("screen")),
                    privacy_filter=bool(w.flag("privacy_filter")),
                )
            )
        workstations = tuple(found)
    desk: tuple[float, float] | None = None
    if top.has("desk"):
        d = Fields(top.data["desk"], "$.desk", problems)
        dx, dy = d.coordinate("x"), d.coordinate("y")
        if dx is not None and dy is not None:
            desk = (dx, dy)
    door: tuple[float, float] | None = None
    if top.has("door"):
        dd = Fields(top.data["door"], "$.door", problems)
        door_x, door_y = dd.number("x"), dd.number("y")
        if door_x is not None and door_y is not None:
            door = (door_x, door_y)
    facing = top.text("facing", required=False, max_len=10).strip().lower()
    if facing and facing not in FACING:
        problems.append(
            f"$.facing: {facing!r} is not a direction; use {', '.join(FACING)} (north = the top of the plan)"
        )
    if workstations and (wide := bounds.extent_problem([(w.x, w.y) for w in workstations] + ([desk] if desk else []))):
        problems.append(f"$.workstations: {wide}")
    inv = top.child("invigilator")
    invigilator = PlannedInvigilator("", "")
    if inv is not None:
        change = None
        if inv.has("declaration_change"):
            ch = Fields(inv.data["declaration_change"], "$.invigilator.declaration_change", problems)
            change = DeclarationChangeRequest(ch.text("reason", max_len=2000), ch.text("confirmed_by", max_len=120))
        invigilator = PlannedInvigilator(
            name=inv.text("name", max_len=120),
            imi_pin=inv.text("imi_pin", max_len=40),
            assessor=inv.flag("assessor", default=None),
            impartial=inv.flag("impartial", default=None),
            change=change,
        )
    candidates: list[PlannedCandidate] = []
    raw = top.items("candidates")
    for i, item in enumerate(raw or []):
        path = f"$.candidates[{i}]"
        c = Fields(item, path, problems)
        candidates.append(
            PlannedCandidate(
                registration_number=c.text("registration_number", max_len=40),
                assessment_id=c.text("assessment_id", max_len=60),
                qualification=c.text("qualification", max_len=40),
                workstation=c.text("workstation", max_len=40),
                support_note=c.text("support_note", required=False, max_len=2000),
                notice_date=c.day("notice_date", required=False),
                readiness_confirmed=c.flag("readiness_confirmed", default=None),
                assessment_title=c.text("assessment_title", required=False),
                planned_minutes=c.integer("planned_minutes", minimum=1, maximum=24 * 60),
                path=path,
                arrangements=parse_arrangements(item, path, problems),
            )
        )
    if raw is not None and not raw:
        problems.append("$.candidates: the plan has no candidates")
    seats: dict[str, str] = {}
    for planned in candidates:
        if planned.workstation and planned.workstation in seats:
            problems.append(
                f"{planned.path}.workstation: {planned.workstation} is already given to {seats[planned.workstation]}"
            )
        elif planned.workstation:
            seats[planned.workstation] = planned.registration_number
    raise_problems(source, problems)
    assert day is not None and start is not None
    return PlanRequest(day, start, room, invigilator, tuple(candidates), workstations, site, desk, door, facing)


def load_plan(path: Path) -> PlanRequest:
    return parse_plan(load_json(path), str(path))


def _apply_layout(session: Session, room: Room, layout: tuple[WorkstationFact, ...]) -> None:
    existing = {w.label: w for w in room.workstations}
    wanted = {w.label for w in layout}
    for fact in layout:
        row = existing.get(fact.label)
        if row is None:
            room.workstations.append(
                Workstation(
                    label=fact.label, x=fact.x, y=fact.y, screen=fact.screen, privacy_filter=fact.privacy_filter
                )
            )
        else:
            row.x, row.y, row.screen, row.privacy_filter = fact.x, fact.y, fact.screen, fact.privacy_filter
    for label, row in existing.items():
        if label not in wanted:
            room.workstations.remove(row)
    session.flush()


def _unknown(
    request: PlanRequest,
    found: dict[str, Candidate],
    labels: set[str],
    room: str,
    source: str,
    *,
    seats_required: bool = True,
) -> None:
    """Bad input shared by the write and the preview: unknown candidates or workstations."""
    problems = []
    for c in request.candidates:
        if c.registration_number.upper() not in found:
            problems.append(f"{c.path}.registration_number: {c.registration_number} is not a registered candidate")
        if not c.workstation and not seats_required:
            continue
        if c.workstation not in labels:
            problems.append(f"{c.path}.workstation: {c.workstation} is not a workstation in {room}")
    raise_problems(source, problems)


def _candidates(session: Session, request: PlanRequest) -> dict[str, Candidate]:
    regs = [c.registration_number.upper() for c in request.candidates]
    return {
        c.registration_number.upper(): c
        for c in session.scalars(select(Candidate).where(func.upper(Candidate.registration_number).in_(regs)))
    }


@dataclass(frozen=True)
class _Seated:
    """A planned candidate resolved against the store: who, and what the assessment is."""

    request: PlannedCandidate
    candidate: Candidate
    assessment_code: str
    qualification: str
    planned_minutes: int | None


def _rule_check(
    session: Session,
    station: Station,
    start_utc: datetime,
    room: str,
    workstations: tuple[WorkstationFact, ...],
    invigilator: InvigilatorFact,
    seated: list[_Seated],
    qualifications: dict[str, QualificationFact],
) -> tuple[list[Violation], list[AttemptFact], tuple[AttemptFact, ...]]:
    """Every rule over a plan (the write and the preview share it): violations, history, attempts."""
    history = facts.history_for(
        session,
        [s.candidate.id for s in seated],
        around=[start_utc],
        assessment_codes=[s.assessment_code for s in seated],
    )
    attempts = tuple(
        AttemptFact(
            key=f"plan:{i}",
            registration_number=s.candidate.registration_number,
            candidate_name=s.candidate.full_name,
            assessment_id=s.assessment_code,
            qualification=s.qualification,
            start=start_utc,
            room=room,
            planned_minutes=s.planned_minutes,
            support_note=s.request.support_note,
            notice_date=s.request.notice_date,
            readiness_confirmed=s.request.readiness_confirmed,
            workstation=s.request.workstation,
            extra_time_percent=s.candidate.extra_time_percent,
        )
        for i, s in enumerate(seated)
    )
    plan = PlanFact(
        session_id=None,
        start=start_utc,
        room=room,
        invigilator=invigilator,
        workstations=workstations,
        attempts=attempts,
        qualifications=qualifications,
    )
    booking = plan_booking(plan)
    others = facts.bookings_near(session, booking.start, booking.finish)
    return check_plan(plan, history, station.zone, station.now(), others=others), history, attempts


def preview_plan(station: Station, request: PlanRequest, source: str = "plan") -> list[Violation]:
    """Every violation ``plan_session`` would find for this request, without writing.

    Runs in a read transaction. Unknown qualifications and assessments are judged as
    ``plan_session`` would add them; an invigilator not yet known counts as nominated by
    the coordinator planning (INV-4). Candidates without a workstation yet are checked
    too (no rule depends on the seat); ``plan_session`` refuses them.
    """
    station.require(Role.COORDINATOR, action="plan sessions")
    start_utc = to_utc(request.day, request.start, station.zone)
    with station.read() as session:
        room = facts.room_by_name(session, request.room)
        if room is None and request.workstations is None:
            raise BadInput(f"{source}: $.room: {request.room!r} is not a known room; give its layout in $.workstations")
        layout = request.workstations
        if layout is None:
            assert room is not None
            layout = tuple(WorkstationFact(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in room.workstations)
        found = _candidates(session, request)
        _unknown(request, found, {w.label for w in layout}, request.room, source, seats_required=False)
        invigilator, contradictions = invigilator_preview(session, request.invigilator)
        qualifications = facts.all_qualifications(session)
        listed = two_hour_list()
        known = {
            a.code: a
            for a in session.scalars(
                select(Assessment).where(Assessment.code.in_([c.assessment_id for c in request.candidates]))
            )
        }
        seated = []
        for c in request.candidates:
            assessment = known.get(c.assessment_id)
            if assessment is not None and assessment.qualification.number != c.qualification:
                raise BadInput(
                    f"{source}: {c.path}.assessment_id: assessment {c.assessment_id} belongs to qualification "
                    f"{assessment.qualification.number}, not {c.qualification}"
                )
            if c.qualification not in qualifications:
                qualifications[c.qualification] = QualificationFact(
                    number=c.qualification,
                    title=listed.get(c.qualification, ""),
                    retake_hours=default_retake_hours(c.qualification, listed),
                    apprenticeship_standard=is_standard(c.qualification),
                    other_software_allowed=c.qualification in MOT_QUALIFICATIONS,
                )
            minutes = (assessment.planned_minutes if assessment is not None else None) or c.planned_minutes
            seated.append(_Seated(c, found[c.registration_number.upper()], c.assessment_id, c.qualification, minutes))
        violations, _, _ = _rule_check(
            session, station, start_utc, request.room, layout, invigilator, seated, qualifications
        )
        return sort_violations([*contradictions, *violations])


def plan_session(station: Station, request: PlanRequest, source: str = "plan") -> PlanResult:
    """Create a session from a plan, after every rule check (see module docstring)."""
    station.require(Role.COORDINATOR, action="plan sessions")
    ownership.refuse_planning_at_station(station.db.centre_role)
    start_utc = to_utc(request.day, request.start, station.zone)
    with station.write() as session:
        room = facts.room_by_name(session, request.room)
        if room is None:
            if request.workstations is None:
                raise BadInput(
                    f"{source}: $.room: {request.room!r} is not a known room; give its layout in $.workstations"
                )
            room = Room(name=request.room, site=request.site)
            session.add(room)
            session.flush()
        if request.workstations is not None:
            layout_blocks = blocking(check_room_layout(request.workstations))
            if layout_blocks:
                raise RuleRefused(layout_blocks)
            _apply_layout(session, room, request.workstations)
        if request.desk is not None:
            room.desk_x, room.desk_y = request.desk
        if request.door is not None:
            room.door_x, room.door_y = request.door
        if request.facing:
            room.facing = request.facing
        if request.site.strip():
            room.site = request.site.strip()
        found = _candidates(session, request)
        _unknown(request, found, {w.label for w in room.workstations}, room.name, source)
        invigilator = invigilator_for_plan(session, station, request.invigilator, source)
        for c in request.candidates:
            apply_arrangements(found[c.registration_number.upper()], c.arrangements)
        seated, assessments = seat_candidates(
            session, request.candidates, found, lambda c: f"{source}: {c.path}.assessment_id"
        )
        workstations = tuple(WorkstationFact(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in room.workstations)
        violations, history, attempts = _rule_check(
            session,
            station,
            start_utc,
            room.name,
            workstations,
            facts.invigilator_fact(invigilator),
            seated,
            facts.all_qualifications(session),
        )
        refused = blocking(violations) + needs_authorisation(violations)
        if refused:
            raise RuleRefused(refused)
        now = station.now()
        row = SessionRow(
            room=room,
            invigilator=invigilator,
            start_utc=start_utc,
            state="planned",
            created_by_id=station.actor.id,
            created_at=now,
        )
        session.add(row)
        session.flush()
        merged = history + list(attempts)
        for s, assessment, attempt in zip(seated, assessments, attempts, strict=True):
            number = attempt_number(attempt, merged)
            c = s.request
            session.add(
                Allocation(
                    session_id=row.id,
                    candidate_id=s.candidate.id,
                    assessment_id=assessment.id,
                    workstation_label=c.workstation,
                    planned_start_utc=start_utc,
                    notice_date=c.notice_date,
                    readiness_confirmed=c.readiness_confirmed,
                    support_note=c.support_note,
                    attempt_number=number,
                    chargeable=number >= 3,
                )
            )
        return PlanResult(row.id, acknowledge_warnings(session, station, row.id, violations, now))


def seat_candidates(
    session: Session,
    candidates: Sequence[PlannedCandidate],
    found: Mapping[str, Candidate],
    where: Callable[[PlannedCandidate], str],
) -> tuple[list[_Seated], list[Assessment]]:
    """Each planned candidate with their assessment (and its qualification) made known to the
    catalogue; ``where`` names the candidate in a message about their assessment."""
    seated: list[_Seated] = []
    assessments: list[Assessment] = []
    for c in candidates:
        qualification = ensure_qualification(session, c.qualification)
        assessment = ensure_assessment(
            session,
            c.assessment_id,
            qualification,
            title=c.assessment_title,
            planned_minutes=c.planned_minutes,
            where=where(c),
        )
        assessments.append(assessment)
        seated.append(
            _Seated(
                c,
                found[c.registration_number.upper()],
                assessment.code,
                qualification.number,
                assessment.planned_minutes,
            )
        )
    return seated, assessments


def acknowledge_warnings(
    session: Session, station: Station, session_id: int, violations: list[Violation], now: datetime
) -> list[Violation]:
    """Record each warning of a new plan as acknowledged by the acting user; returns them."""
    warnings = [v for v in violations if v.severity is Severity.WARN]
    for v in warnings:
        session.add(
            RuleAcknowledgement(
                session_id=session_id,
                rule_id=v.rule_id,
                severity=v.severity.value,
                message=v.message,
                acknowledged_by_id=station.actor.id,
                at=now,
            )
        )
    return warnings


def plan_session_file(station: Station, path: Path) -> PlanResult:
    return plan_session(station, load_plan(path), str(path))
