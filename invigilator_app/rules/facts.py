"""Plain facts the rules are checked against.

The services read these from the store (or from a plan being edited) and pass them in;
the rules never touch a database, the clock or Qt. Every datetime here is timezone-aware
UTC; the centre's zone name is passed separately wherever a calendar day matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class QualificationFact:
    number: str
    title: str = ""
    retake_hours: int = 48
    apprenticeship_standard: bool = False
    calculator_allowed: bool = False
    dictionary_allowed: bool = False
    other_software_allowed: bool = False


@dataclass(frozen=True)
class AttemptFact:
    """One allocation of a candidate to one assessment: planned, past or cancelled."""

    key: str
    """Stable identity: the allocation id for stored ones, a plan-local key for new ones."""
    registration_number: str
    candidate_name: str
    assessment_id: str
    qualification: str
    start: datetime
    """The attempt's start if known, else its session's planned start."""
    room: str = ""
    session_id: int | None = None
    finish: datetime | None = None
    actual_start: datetime | None = None
    planned_minutes: int | None = None
    cancelled: bool = False
    result: str | None = None
    """"pass", "fail" or None while unknown."""
    support_note: str = ""
    notice_date: date | None = None
    readiness_confirmed: bool | None = None
    workstation: str = ""
    """The workstation label in the session's room, when allocated (ROOM-9)."""
    extra_time_percent: int = 0
    """Extra time from the candidate's access arrangements (stretches the planned finish)."""
    sat: bool | None = None
    """Whether the attempt was actually sat: False for an absence or a withdrawal before
    starting, True once started, None while it has not happened yet (CAND-9)."""


@dataclass(frozen=True)
class WorkstationFact:
    label: str
    x: float
    y: float
    screen: bool = False
    privacy_filter: bool = False


@dataclass(frozen=True)
class InvigilatorFact:
    name: str
    imi_pin: str = ""
    assessor: bool = False
    impartial: bool = False
    nominated: bool = False
    assessor_authorisation: str = ""
    """The coordinator's recorded reason when an assessor may invigilate (INV-2)."""


@dataclass(frozen=True)
class PlanFact:
    """A session as planned (new or changed), with every allocation in it."""

    session_id: int | None
    start: datetime
    room: str
    invigilator: InvigilatorFact
    workstations: tuple[WorkstationFact, ...]
    attempts: tuple[AttemptFact, ...]
    qualifications: dict[str, QualificationFact] = field(default_factory=dict)


@dataclass(frozen=True)
class BookingFact:
    """A session's hold on people and seats from its planned start to its planned finish
    (extra time included): what the clash rules CAND-11, ROOM-9 and INV-5 compare."""

    session_id: int | None
    """None for a session being planned."""
    room: str
    start: datetime
    finish: datetime
    invigilator: str
    candidates: tuple[tuple[str, str], ...] = ()
    """(registration number, name) of every non-cancelled candidate."""
    workstations: tuple[str, ...] = ()
    """Labels of the workstations the session allocates in its room."""
