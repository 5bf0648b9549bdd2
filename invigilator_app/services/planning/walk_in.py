"""A walk-in: a registered candidate added to a planned session on the day, with every
rule checked for the whole session (``changes.add_candidate``). On a station of a centre
with several rooms the check knows only what the hub last sent, and says how old that
knowledge is; the hub checks the record again when it comes back (docs/bundles.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timefmt import when_text
from invigilator_app.domain.violations import Violation
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.planning.changes import add_candidate
from invigilator_app.services.planning.plans import PlannedCandidate
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Assessment, Meta

HISTORY_AS_OF = "centre_history_as_of"


@dataclass(frozen=True)
class WalkInOptions:
    assessments: list[tuple[str, str]]
    """(code, "CODE — title (qualification)") of every assessment in the catalogue."""
    workstations: list[str]
    """The free workstations of the session's room."""
    knowledge: str
    """On a station: "centre history as of Tue 1 Dec 2026 09:12"; elsewhere empty."""


def knowledge(station: Station) -> str:
    """How old this PC's view of the centre is (a station), or "" (the hub holds it all)."""
    if station.db.centre_role != "station":
        return ""
    with station.read() as session:
        row = session.get(Meta, HISTORY_AS_OF)
    if row is None:
        return "no centre history received yet"
    return f"centre history as of {when_text(datetime.fromisoformat(row.value), station.zone)}"


def walk_in_options(station: Station, session_id: int) -> WalkInOptions:
    station.require(Role.COORDINATOR, action="add a walk-in candidate")
    with station.read() as session:
        row = get_session_row(session, session_id)
        taken = {
            a.workstation_label
            for a in session.scalars(
                select(Allocation).where(Allocation.session_id == session_id, Allocation.cancelled.is_(False))
            )
        }
        free = [w.label for w in row.room.workstations if w.label not in taken]
        assessments = [
            (a.code, f"{a.code} — {a.title or 'untitled'} ({a.qualification.number})")
            for a in session.scalars(
                select(Assessment).options(joinedload(Assessment.qualification)).order_by(Assessment.code)
            )
        ]
    return WalkInOptions(assessments, free, knowledge(station))


@dataclass(frozen=True)
class WalkIn:
    warnings: list[Violation]
    knowledge: str


def add_walk_in(
    station: Station, session_id: int, registration_number: str, assessment_code: str, workstation: str
) -> WalkIn:
    """Seat a registered candidate in a planned session, after every rule check."""
    station.require(Role.COORDINATOR, action="add a walk-in candidate")
    reg = registration_number.strip()
    if not reg:
        raise BadInput("Give the walk-in's registration number.")
    with station.read() as session:
        assessment = session.scalars(
            select(Assessment).options(joinedload(Assessment.qualification)).where(Assessment.code == assessment_code)
        ).first()
        if assessment is None:
            raise BadInput(f"{assessment_code!r} is not an assessment in the catalogue.")
        qualification = assessment.qualification.number
    warnings = add_candidate(
        station,
        session_id,
        PlannedCandidate(reg, assessment_code, qualification, workstation, readiness_confirmed=True),
    )
    return WalkIn(warnings, knowledge(station))
