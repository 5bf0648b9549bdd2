"""The room checklist (ROOM-1 … ROOM-8): completed before any candidate can start.

The items are worded for the session's assessments: where a qualification allows other
software (the MOT qualifications), a calculator or a dictionary, the item says so.
Every "no" needs a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.remote import REMOTE_ITEMS, ROOM_RULES_REMOTELY
from invigilator_app.rules.room import too_close_pairs
from invigilator_app.services.console.sessions import get_session_row, session_for_write
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Assessment, ChecklistAnswer
from invigilator_app.store.models import Session as SessionRow

ANSWERS = ("yes", "no", "n/a")
SOURCE = "IMI invigilation of online assessments (001)"


@dataclass(frozen=True)
class ChecklistItem:
    rule_id: str
    text: str
    answer: str = ""
    note: str = ""
    hint: str = ""


def _aids(session: Session, session_id: int) -> tuple[list[str], list[str], list[str]]:
    allocs = session.scalars(
        select(Allocation)
        .where(Allocation.session_id == session_id, Allocation.cancelled.is_(False))
        .options(joinedload(Allocation.assessment).joinedload(Assessment.qualification))
    ).all()
    quals = {a.assessment.qualification for a in allocs}
    software = sorted(q.number for q in quals if q.other_software_allowed)
    calculator = sorted(q.number for q in quals if q.calculator_allowed)
    dictionary = sorted(q.number for q in quals if q.dictionary_allowed)
    return software, calculator, dictionary


def _remote_items(texts: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A remote session's checklist: REMOTE-1 … and the room items that still apply at
    each candidate's location (rules.remote)."""
    kept = [
        (rule_id, f"At each candidate's location: {text[0].lower()}{text[1:]}", hint)
        for rule_id, text, hint in texts
        if rule_id in ROOM_RULES_REMOTELY
    ]
    return [(item.id, item.text, "") for item in REMOTE_ITEMS] + kept


def items_for(session: Session, row: SessionRow) -> list[ChecklistItem]:
    software, calculator, dictionary = _aids(session, row.id)
    layout = [WorkstationFact(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in row.room.workstations]
    close = too_close_pairs(layout) if not row.remote else []
    room1_hint = (
        "The layout shows " + ", ".join(f"{a}–{b} {d:.2f} m" for a, b, d in close) + " without a screen or filter."
        if close
        else "The room layout has every workstation 1.5 m apart or shielded."
    )
    allowed_aids = []
    if calculator:
        allowed_aids.append(f"calculators allowed for {', '.join(calculator)}")
    if dictionary:
        allowed_aids.append(f"dictionaries allowed for {', '.join(dictionary)}")
    room6 = "No books, papers, phones, smart watches, recording or storage devices"
    room6 += f" ({'; '.join(allowed_aids)})" if allowed_aids else "; no calculators or dictionaries"
    room5 = "No websites or programs other than the assessment pages"
    room5 += f" (other software allowed for {', '.join(software)})" if software else ""
    texts = [
        (
            "ROOM-1",
            "Workstations 1.5 m apart, or screens / privacy filters; candidates cannot see each other's "
            "screens; you can oversee every candidate",
            room1_hint,
        ),
        ("ROOM-2", "Suitable seating, adequate light, free from noise and distraction", ""),
        ("ROOM-3", "Room clear of charts, posters or anything that could help", ""),
        ("ROOM-4", "\u201cAuto save\u201d disabled on every machine used for the assessments", ""),
        ("ROOM-5", room5, ""),
        ("ROOM-6", room6, ""),
        ("ROOM-7", "You can summon help without leaving the room", ""),
        ("ROOM-8", "Blank paper issued is collected and destroyed before candidates leave", ""),
    ]
    if row.remote:
        texts = _remote_items(texts)
    answers = {
        a.rule_id: a for a in session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.session_id == row.id))
    }
    return [
        ChecklistItem(
            rule_id,
            text,
            answers[rule_id].answer if rule_id in answers else "",
            answers[rule_id].note if rule_id in answers else "",
            hint,
        )
        for rule_id, text, hint in texts
    ]


def checklist(station: Station, session_id: int) -> list[ChecklistItem]:
    with station.read() as session:
        return items_for(session, get_session_row(session, session_id))


def save_checklist(station: Station, session_id: int, answers: Sequence[tuple[str, str, str]]) -> None:
    """Record (rule id, answer, note) for every item; a "no" needs a note. All or nothing."""
    problems = []
    for rule_id, answer, note in answers:
        if answer not in ANSWERS:
            problems.append(f"{rule_id}: answer yes, no or n/a")
        elif answer == "no" and not note.strip():
            problems.append(f"{rule_id}: a \u201cno\u201d needs a note saying what was done about it")
    if problems:
        raise BadInput("\n".join(problems))
    with station.write() as session:
        row = session_for_write(station, session, session_id)
        wanted = {i.rule_id for i in items_for(session, row)}
        unknown = sorted({a[0] for a in answers} - wanted)
        if unknown:
            raise BadInput(f"Not checklist items: {', '.join(unknown)}")
        existing = {
            a.rule_id: a
            for a in session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.session_id == session_id))
        }
        now = station.now()
        for rule_id, answer, note in answers:
            found = existing.get(rule_id)
            if found is None:
                session.add(
                    ChecklistAnswer(
                        session_id=session_id,
                        rule_id=rule_id,
                        answer=answer,
                        note=note.strip(),
                        answered_by_id=station.actor.id,
                        answered_at=now,
                    )
                )
            else:
                found.answer, found.note, found.answered_by_id, found.answered_at = (
                    answer,
                    note.strip(),
                    station.actor.id,
                    now,
                )


def require_complete(session: Session, row: SessionRow) -> None:
    """Refuse a start while any checklist item is unanswered (one line per item)."""
    missing = [i for i in items_for(session, row) if not i.answer]
    if missing:
        raise RuleRefused(
            [
                Violation(
                    i.rule_id,
                    Severity.BLOCK,
                    f"the {'remote' if row.remote else 'room'} checklist item "
                    f"\u201c{i.text}\u201d is not answered; "
                    "complete the checklist before any candidate starts",
                    SOURCE,
                )
                for i in missing
            ]
        )
