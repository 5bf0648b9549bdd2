"""Log entries: transcribing a paper log into a session (``session log``).

Transcribed entries record what already happened on paper, so the checks that guard
live actions (identity check before start, the room checklist) do not refuse them;
every deviation they show is flagged on the record instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from invigilator_app.domain.enums import AllocationState, IncidentType, Result, Role, SessionState
from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.domain.timefmt import time_text
from invigilator_app.domain.timezones import as_utc, zone
from invigilator_app.services import bounds
from invigilator_app.services.console.recording import QUESTION_DESCRIPTION_MAX
from invigilator_app.services.console.results import check_result
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.jsonfile import Fields, load_json, raise_problems
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, IdentityCheck, LogEntry

LIFECYCLE = ("identity_check", "start", "finish", "result")


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


def parse_paper_log(data: Any, source: str, zone_name: str) -> list[PaperEntry]:
    problems: list[str] = []
    if not isinstance(data, list):
        raise_problems(source, [f"$: expected a list of entries, found {type(data).__name__}"])
    if len(data) > bounds.MAX_LOG_ENTRIES:
        raise_problems(source, [f"$: {len(data):,} entries; at most {bounds.MAX_LOG_ENTRIES:,} in one file"])
    valid_types = {t.value for t in IncidentType} | set(LIFECYCLE)
    entries: list[PaperEntry] = []
    for i, item in enumerate(data):
        path = f"$[{i}]"
        f = Fields(item, path, problems)
        kind = f.text("type", max_len=40)
        if kind and kind not in valid_types:
            problems.append(f"{path}.type: {kind!r} is not an entry type; use one of {', '.join(sorted(valid_types))}")
        at = f.moment("at")
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=zone(zone_name))
        reg = f.text("registration_number", required=kind in LIFECYCLE, max_len=40)
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
        if at is not None and kind:
            entries.append(PaperEntry(kind, as_utc(at), reg, note, question, assessment, result, path))
    raise_problems(source, problems)
    return sorted(entries, key=lambda e: (e.at, e.path))


def transcribe(station: Station, session_id: int, entries: list[PaperEntry], source: str = "log") -> int:
    """Append paper-log entries to a session, marked as transcribed. Returns how many."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="record log entries")
    zone_name = station.zone
    with station.write() as session:
        row = get_session_row(session, session_id)
        if station.actor.role is Role.INVIGILATOR and row.invigilator_id != station.actor.id:
            raise NotPermitted(f"Session {session_id} is assigned to {row.invigilator.name}, not {station.actor.name}.")
        allocs = session.scalars(
            select(Allocation).where(Allocation.session_id == session_id).options(joinedload(Allocation.candidate))
        ).all()
        by_reg = {a.candidate.registration_number.upper(): a for a in allocs if not a.cancelled}
        problems = [
            f"{e.path}.registration_number: {e.registration_number} is not allocated to session {session_id}"
            for e in entries
            if e.registration_number and e.registration_number.upper() not in by_reg
        ]
        raise_problems(source, problems)
        checked = {
            c.allocation_id
            for c in session.scalars(select(IdentityCheck).where(IdentityCheck.allocation_id.in_([a.id for a in allocs])))
        }
        now = station.now()
        late = row.state in (SessionState.CLOSED.value, SessionState.SIGNED_OFF.value)
        after = "sign-off" if row.state == SessionState.SIGNED_OFF.value else "the session was closed"
        for e in entries:
            alloc = by_reg.get(e.registration_number.upper()) if e.registration_number else None
            when = time_text(e.at, zone_name)
            if e.type in LIFECYCLE:
                assert alloc is not None
                _apply_lifecycle(session, alloc, e, checked, when, station.actor.id, zone_name)
                continue
            notify = IncidentType(e.type).notify or ""
            entry = LogEntry(
                session_id=session_id, type=e.type, at=e.at, note=e.note,
                recorded_by_id=station.actor.id, recorded_at=now,
                question_number=e.question_number, assessment_code=e.assessment_id,
                notify_party=notify, transcribed=True, late=late,
                late_reason=f"transcribed after {after}" if late else "",
            )
            if alloc is not None:
                entry.candidates.append(alloc.candidate)
            session.add(entry)
        if row.state == SessionState.PLANNED.value and any(e.type == "start" for e in entries):
            row.state = SessionState.RUNNING.value
            row.started_at = min(e.at for e in entries if e.type == "start")
        return len(entries)


def _flag(alloc: Allocation, text: str) -> None:
    alloc.flags = "\n".join(filter(None, [alloc.flags, text]))


def _apply_lifecycle(
    session: Any, alloc: Allocation, e: PaperEntry, checked: set[int], when: str, actor_id: int, zone_name: str
) -> None:
    if e.type == "identity_check":
        session.add(
            IdentityCheck(
                allocation_id=alloc.id, at=e.at, method="paper_log", id_type=e.note or "recorded on paper log",
                match_confirmed=True, checked_by_id=actor_id, transcribed=True,
            )
        )
        checked.add(alloc.id)
        if alloc.state == AllocationState.EXPECTED.value:
            alloc.state = AllocationState.IDENTITY_CHECKED.value
    elif e.type == "start":
        if alloc.id not in checked:
            _flag(alloc, f"CAND-1: started at {when} with no identity check on the paper log")
        alloc.started_at = e.at
        alloc.state = AllocationState.STARTED.value
    elif e.type == "finish":
        if alloc.started_at is None:
            _flag(alloc, f"finished at {when} with no start on the paper log")
        elif e.at < alloc.started_at:
            _flag(alloc, f"finish at {when} is before the recorded start")
        alloc.finished_at = e.at
        alloc.state = AllocationState.FINISHED.value
    elif e.type == "result":
        if alloc.finished_at is None:
            alloc.finished_at = e.at
        check_result(session, alloc, e.result, zone_name)
        alloc.result = e.result
        if alloc.state not in (AllocationState.FINISHED.value, AllocationState.WITHDRAWN.value):
            if alloc.started_at is None:
                _flag(alloc, f"result {e.result} recorded at {when} with no start on the paper log")
            alloc.state = AllocationState.FINISHED.value
    else:  # pragma: no cover - parse_paper_log admits nothing else
        raise BadInput(f"{e.path}.type: unknown")


def transcribe_file(station: Station, session_id: int, path: Path) -> int:
    entries = parse_paper_log(load_json(path), str(path), station.zone)
    return transcribe(station, session_id, entries, str(path))
