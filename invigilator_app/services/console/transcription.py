"""Transcribing a paper log into a session (``session log``): the record says what the
paper said.

Every entry names who recorded it on paper (``recorded_by``, by default the session's
invigilator, never the person typing) and keeps who typed it in. Transcribed entries record
what already happened, so what the live console refuses (the state table in
``rules.transitions``, CAND-1, the sign-off's outstanding items) is accepted and flagged on
the record instead. Applying each entry is ``services.console.paper_entries``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from invigilator_app.domain.enums import IncidentType, Result, Role
from invigilator_app.domain.errors import NotPermitted
from invigilator_app.domain.timezones import as_utc, zone
from invigilator_app.services import bounds
from invigilator_app.services.console.checklist import ANSWERS
from invigilator_app.services.console.recording import QUESTION_DESCRIPTION_MAX
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.jsonfile import Fields, load_json, raise_problems
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, User

PER_CANDIDATE = (
    "identity_check",
    "logged_on",
    "start",
    "finish",
    "result",
    "absent",
    "withdrawn",
    "late_arrival",
    "rest_break_start",
    "rest_break_end",
)
"""Entry types that need the candidate(s) they are about."""
SESSION_TYPES = ("checklist", "pause", "resume", "sign_off")
LIFECYCLE = PER_CANDIDATE  # kept for callers of the first version
CHECKLIST_ITEMS = tuple(f"ROOM-{n}" for n in range(1, 9))
ENTRY_TYPES = tuple(sorted({t.value for t in IncidentType} | set(PER_CANDIDATE) | set(SESSION_TYPES)))


@dataclass(frozen=True)
class PaperEntry:
    type: str
    at: datetime
    registration_number: str = ""
    note: str = ""
    question_number: str = ""
    assessment_id: str = ""
    result: str = ""
    path: str = ""
    registration_numbers: tuple[str, ...] = ()
    """Every candidate the entry is about (``registration_number`` is the first)."""
    recorded_by: str = ""
    """Who wrote it on paper; empty means the session's invigilator."""
    reason: str = ""
    answers: tuple[tuple[str, str, str], ...] = ()
    """Checklist answers ticked on paper: (ROOM-n, yes/no/n/a, note)."""
    declaration: bool = False

    def __post_init__(self) -> None:
        if self.registration_number and not self.registration_numbers:
            object.__setattr__(self, "registration_numbers", (self.registration_number,))


def _candidates(f: Fields, kind: str, problems: list[str], path: str) -> tuple[str, ...]:
    regs: list[str] = []
    one = f.text("registration_number", required=False, max_len=40)
    if one:
        regs.append(one)
    many = f.items("registration_numbers", required=False)
    for i, reg in enumerate(many or []):
        if not isinstance(reg, str) or not reg.strip():
            problems.append(f"{path}.registration_numbers[{i}]: expected a registration number")
        elif reg.strip() not in regs:
            regs.append(reg.strip())
    if kind in PER_CANDIDATE and not regs:
        problems.append(f"{path}.registration_number: required for {kind} (or give registration_numbers)")
    return tuple(regs)


def _answers(f: Fields, problems: list[str], path: str) -> tuple[tuple[str, str, str], ...]:
    raw = f.data.get("answers")
    if not isinstance(raw, dict) or not raw:
        problems.append(f'{path}.answers: give the answers ticked on paper, e.g. {{"ROOM-1": "yes"}}')
        return ()
    found = []
    for rule_id, value in raw.items():
        where = f"{path}.answers.{rule_id}"
        answer, note = (
            (value, "")
            if isinstance(value, str)
            else ((value.get("answer"), value.get("note", "")) if isinstance(value, dict) else (None, ""))
        )
        if rule_id not in CHECKLIST_ITEMS:
            problems.append(f"{where}: not a checklist item; use {', '.join(CHECKLIST_ITEMS)}")
        elif not isinstance(answer, str) or answer.strip().lower() not in ANSWERS:
            problems.append(f"{where}: answer yes, no or n/a (as ticked on paper)")
        elif not isinstance(note, str):
            problems.append(f"{where}.note: expected text")
        else:
            found.append((rule_id, answer.strip().lower(), note.strip()))
    return tuple(sorted(found, key=lambda a: CHECKLIST_ITEMS.index(a[0])))


def parse_paper_log(data: Any, source: str, zone_name: str) -> list[PaperEntry]:
    """Check the paper log's shape; every problem names its JSON path. Nothing is written."""
    problems: list[str] = []
    if not isinstance(data, list):
        raise_problems(source, [f"$: expected a list of entries, found {type(data).__name__}"])
    if len(data) > bounds.MAX_LOG_ENTRIES:
        raise_problems(source, [f"$: {len(data):,} entries; at most {bounds.MAX_LOG_ENTRIES:,} in one file"])
    entries: list[PaperEntry] = []
    for i, item in enumerate(data):
        path = f"$[{i}]"
        f = Fields(item, path, problems)
        kind = f.text("type", max_len=40)
        if kind and kind not in ENTRY_TYPES:
            problems.append(f"{path}.type: {kind!r} is not an entry type; use one of {', '.join(ENTRY_TYPES)}")
        at = f.moment("at")
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=zone(zone_name))
        regs = _candidates(f, kind, problems, path) if isinstance(item, dict) else ()
        note = f.text("note", required=False, max_len=2000)
        question = f.text("question_number", required=kind == "question_issue", max_len=20)
        assessment = f.text("assessment_id", required=kind == "question_issue", max_len=60)
        if kind == "question_issue" and len(note) > QUESTION_DESCRIPTION_MAX:
            problems.append(
                f"{path}.note: a question issue is a brief description (at most "
                f"{QUESTION_DESCRIPTION_MAX} characters); never copy the question itself"
            )
        result = f.text("result", required=kind == "result", max_len=10).lower()
        if kind == "result" and result and result not in {r.value for r in Result}:
            problems.append(f"{path}.result: {result!r} must be pass or fail")
        recorded_by = f.text("recorded_by", required=False, max_len=120)
        reason = f.text("reason", required=kind in ("pause", "withdrawn"), max_len=2000) or (
            note if kind == "resume" else ""
        )
        answers = _answers(f, problems, path) if kind == "checklist" else ()
        declaration = bool(f.flag("declaration", default=False)) if kind == "sign_off" else False
        if kind == "sign_off" and not declaration:
            problems.append(
                f"{path}.declaration: the paper log's sign-off is transcribed only with the signed "
                "declaration (declaration: true)"
            )
        if at is not None and kind:
            entries.append(
                PaperEntry(
                    kind,
                    as_utc(at),
                    regs[0] if regs else "",
                    note,
                    question,
                    assessment,
                    result,
                    path,
                    regs,
                    recorded_by,
                    reason,
                    answers,
                    declaration,
                )
            )
    raise_problems(source, problems)
    return sorted(entries, key=lambda e: (e.at, e.path))


def transcribe(station: Station, session_id: int, entries: list[PaperEntry], source: str = "log") -> int:
    """Append paper-log entries to a session, marked as transcribed. Returns how many."""
    from invigilator_app.services.console.paper_entries import PaperContext

    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="record log entries")
    with station.write() as session:
        row = get_session_row(session, session_id)
        if station.actor.role is Role.INVIGILATOR and row.invigilator_id != station.actor.id:
            raise NotPermitted(f"Session {session_id} is assigned to {row.invigilator.name}, not {station.actor.name}.")
        allocs = session.scalars(
            select(Allocation).where(Allocation.session_id == session_id).options(joinedload(Allocation.candidate))
        ).all()
        by_reg = {a.candidate.registration_number.upper(): a for a in allocs if not a.cancelled}
        problems = [
            f"{e.path}.registration_number: {reg} is not allocated to session {session_id}"
            for e in entries
            for reg in e.registration_numbers
            if reg.upper() not in by_reg
        ]
        people: dict[str, User] = {}
        for e in entries:
            if not e.recorded_by or e.recorded_by.lower() in people:
                continue
            user = session.scalars(select(User).where(func.lower(User.name) == e.recorded_by.lower())).first()
            if user is None or user.role == Role.INSPECTOR.value:
                problems.append(
                    f"{e.path}.recorded_by: {e.recorded_by!r} is not an invigilator or coordinator "
                    "account; add them under Users first"
                )
            else:
                people[e.recorded_by.lower()] = user
        if sum(e.type == "sign_off" for e in entries) > 1:
            problems.append("$: a paper log is signed off once")
        raise_problems(source, problems)
        context = PaperContext(session, station, row, by_reg)
        for e in entries:
            writer = people[e.recorded_by.lower()] if e.recorded_by else row.invigilator
            context.apply(e, writer)
        context.finish()
        return len(entries)


def transcribe_file(station: Station, session_id: int, path: Path) -> int:
    entries = parse_paper_log(load_json(path), str(path), station.zone)
    return transcribe(station, session_id, entries, str(path))
