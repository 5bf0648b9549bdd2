"""Applying one transcribed paper-log entry (see ``transcription``): what the paper says is
written as written, by whom it says, and every deviation the live console would refuse is
flagged on the record (``rules.transitions`` is the one table both consult)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import AllocationState, IncidentType, SessionState
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timefmt import time_text
from invigilator_app.rules.transitions import allocation_problem, allocation_target, session_problem
from invigilator_app.services.console import clock
from invigilator_app.services.console.closing import declaration_text, outstanding
from invigilator_app.services.console.results import check_result
from invigilator_app.services.console.transcription import PaperEntry
from invigilator_app.services.facts import renumber_later_attempts
from invigilator_app.services.station import Station
from invigilator_app.services.trust.checkpoints import create_checkpoint
from invigilator_app.store.models import (
    Allocation,
    ChecklistAnswer,
    ClockPause,
    ClockPauseAllocation,
    IdentityCheck,
    LogEntry,
    User,
)
from invigilator_app.store.models import Session as SessionRow

NO_NOTE = "(no note on the paper log)"


def _joined(text: str, note: str) -> str:
    return f"{text}. {note}" if note else text


def _flag(alloc: Allocation, text: str) -> None:
    alloc.flags = "\n".join(filter(None, [alloc.flags, text]))


class PaperContext:
    """One transcription: the session, its allocations by registration number, the typist."""

    def __init__(self, session: Session, station: Station, row: SessionRow, by_reg: dict[str, Allocation]) -> None:
        self.session, self.station, self.row, self.by_reg = session, station, row, by_reg
        self.zone = station.zone
        self.typist = station.actor.id
        self.now = station.now()
        self.late = row.state in (SessionState.CLOSED.value, SessionState.SIGNED_OFF.value)
        self.after = "sign-off" if row.state == SessionState.SIGNED_OFF.value else "the session was closed"
        self.checked = {
            c.allocation_id
            for c in session.scalars(
                select(IdentityCheck).where(IdentityCheck.allocation_id.in_([a.id for a in by_reg.values()]))
            )
        }
        self.starts = [a.started_at for a in by_reg.values() if a.started_at is not None]
        self.sign_off: tuple[PaperEntry, User] | None = None

    def _when(self, e: PaperEntry) -> str:
        return time_text(e.at, self.zone)

    def _allocs(self, e: PaperEntry) -> list[Allocation]:
        return [self.by_reg[r.upper()] for r in e.registration_numbers]

    def _check(self, alloc: Allocation, action: str, e: PaperEntry) -> None:
        problem = allocation_problem(action, alloc.state, alloc.candidate.full_name)
        if problem:
            _flag(alloc, f"{problem} at {self._when(e)} on the paper log")

    def apply(self, e: PaperEntry, writer: User) -> None:
        handler = getattr(self, f"_{e.type}", None)
        if handler is not None:
            handler(e, writer)
        else:
            self._incident(e, writer)

    # Entries about the session's log ---------------------------------------------------

    def _incident(self, e: PaperEntry, writer: User, note: str | None = None, kind: str | None = None) -> LogEntry:
        type_id = kind or e.type
        notify = IncidentType(type_id).notify or "" if type_id in IncidentType._value2member_map_ else ""
        entry = LogEntry(
            session_id=self.row.id,
            type=type_id,
            at=e.at,
            note=e.note if note is None else note,
            recorded_by_id=writer.id,
            recorded_at=self.now,
            typed_by_id=self.typist,
            question_number=e.question_number,
            assessment_code=e.assessment_id,
            notify_party=notify,
            transcribed=True,
            late=self.late,
            late_reason=f"transcribed after {self.after}" if self.late else "",
        )
        for alloc in self._allocs(e):
            entry.candidates.append(alloc.candidate)
        self.session.add(entry)
        return entry

    def _late_arrival(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            self._check(alloc, "late_arrival", e)
            alloc.arrived_at = e.at
            if alloc.state == AllocationState.ABSENT.value:
                alloc.state = AllocationState.EXPECTED.value
        self._incident(e, writer)

    def _withdrawn(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            self._check(alloc, "withdraw", e)
            never_started = alloc.started_at is None
            alloc.state = allocation_target("withdraw", alloc.state)
            alloc.finished_at = alloc.finished_at or e.at
            if never_started:
                renumber_later_attempts(self.session, alloc)
        self._incident(e, writer, note=f"Withdrawn: {e.reason}", kind=IncidentType.OTHER.value)

    # A candidate's progress -------------------------------------------------------------

    def _identity_check(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            self._check(alloc, "identity_check", e)
            self.session.add(
                IdentityCheck(
                    allocation_id=alloc.id,
                    at=e.at,
                    method="paper_log",
                    id_type=e.note,
                    match_confirmed=True,
                    checked_by_id=writer.id,
                    transcribed=True,
                    typed_by_id=self.typist,
                )
            )
            self.checked.add(alloc.id)
            alloc.state = allocation_target("identity_check", alloc.state)

    def _logged_on(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            self._check(alloc, "logged_on", e)
            alloc.logged_on_at = e.at
            alloc.state = allocation_target("logged_on", alloc.state)

    def _start(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            if alloc.id not in self.checked:
                _flag(alloc, f"CAND-1: started at {self._when(e)} with no identity check on the paper log")
            if alloc.logged_on_at is None:
                _flag(alloc, f"CAND-1: started at {self._when(e)} with no log-on confirmation on the paper log")
            if alloc.state not in (AllocationState.EXPECTED.value, AllocationState.IDENTITY_CHECKED.value):
                self._check(alloc, "start", e)
            alloc.started_at = e.at
            alloc.state = allocation_target("start", alloc.state)
            self.starts.append(e.at)

    def _finish(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            when = self._when(e)
            if alloc.started_at is None:
                _flag(alloc, f"finished at {when} with no start on the paper log")
            elif e.at < alloc.started_at:
                _flag(alloc, f"finish at {when} is before the recorded start")
            else:
                self._check(alloc, "finish", e)
                self._overrun(alloc, e)
            alloc.finished_at = e.at
            alloc.state = AllocationState.FINISHED.value

    def _overrun(self, alloc: Allocation, e: PaperEntry) -> None:
        self.session.flush()
        paused = clock.pauses_by_allocation(self.session, self.row.id, e.at).get(alloc.id, timedelta())
        planned = clock.planned_finish(alloc, paused)
        if planned is not None and e.at > planned + timedelta(minutes=1):
            extra = f", {int(paused.total_seconds() // 60)} min paused" if paused else ""
            _flag(
                alloc,
                f"finished at {self._when(e)}, after the planned finish {time_text(planned, self.zone)}"
                f" (extra time {alloc.candidate.extra_time_percent}%{extra})",
            )

    def _result(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            if alloc.finished_at is None:
                alloc.finished_at = e.at
            check_result(self.session, alloc, e.result, self.zone)
            alloc.result = e.result
            if alloc.state not in (AllocationState.FINISHED.value, AllocationState.WITHDRAWN.value):
                if alloc.started_at is None:
                    _flag(alloc, f"result {e.result} recorded at {self._when(e)} with no start on the paper log")
                alloc.state = AllocationState.FINISHED.value

    def _absent(self, e: PaperEntry, writer: User) -> None:
        for alloc in self._allocs(e):
            self._check(alloc, "absent", e)
            if alloc.started_at is None:
                alloc.state = allocation_target("absent", alloc.state)
                renumber_later_attempts(self.session, alloc)

    def _rest_break_start(self, e: PaperEntry, writer: User) -> None:
        """A supervised rest break on paper: the candidate's clock stops, as the console's does."""
        self.session.flush()
        for alloc in self._allocs(e):
            name = alloc.candidate.full_name
            if not alloc.candidate.rest_breaks:
                _flag(alloc, f"Rest break at {self._when(e)} on the paper log, without the access arrangement")
            if alloc.started_at is None or alloc.started_at > e.at or alloc.finished_at is not None:
                _flag(alloc, f"{name} was not working at {self._when(e)} when the paper log starts a rest break")
                continue
            if self._open_break(alloc) is not None:
                _flag(alloc, f"{name} was already on a rest break at {self._when(e)} on the paper log")
                continue
            entry = self._incident(
                e, writer, note=_joined(clock.REST_BREAK_STARTED, e.note), kind=IncidentType.OTHER.value
            )
            self.session.flush()
            pause = ClockPause(
                session_id=self.row.id,
                started_at=e.at,
                reason=clock.REST_BREAK,
                entry_id=entry.id,
                by_id=writer.id,
                typed_by_id=self.typist,
            )
            self.session.add(pause)
            self.session.flush()
            self.session.add(ClockPauseAllocation(pause_id=pause.id, allocation_id=alloc.id))

    def _rest_break_end(self, e: PaperEntry, writer: User) -> None:
        """The rest break ends on paper: the clock runs again and the finish moves on by the break."""
        self.session.flush()
        for alloc in self._allocs(e):
            pause = self._open_break(alloc)
            if pause is None or pause.started_at > e.at:
                _flag(alloc, f"The paper log ends a rest break at {self._when(e)} that was never started")
                continue
            pause.ended_at = e.at
            minutes = int((e.at - pause.started_at).total_seconds() // 60)
            self._incident(
                e, writer, note=_joined(clock.rest_break_ended(minutes), e.note), kind=IncidentType.OTHER.value
            )

    def _open_break(self, alloc: Allocation) -> ClockPause | None:
        return self.session.scalars(
            select(ClockPause)
            .join(ClockPauseAllocation, ClockPauseAllocation.pause_id == ClockPause.id)
            .where(
                ClockPauseAllocation.allocation_id == alloc.id,
                ClockPause.ended_at.is_(None),
                ClockPause.reason == clock.REST_BREAK,
            )
        ).first()

    # The session ---------------------------------------------------------------------------

    def _pause(self, e: PaperEntry, writer: User) -> None:
        self.session.flush()
        covered = self._allocs(e) or [
            a
            for a in self.by_reg.values()
            if a.started_at is not None and a.started_at <= e.at and (a.finished_at is None or a.finished_at > e.at)
        ]
        pause = ClockPause(
            session_id=self.row.id, started_at=e.at, reason=e.reason, by_id=writer.id, typed_by_id=self.typist
        )
        self.session.add(pause)
        self.session.flush()
        for alloc in covered:
            self.session.add(ClockPauseAllocation(pause_id=pause.id, allocation_id=alloc.id))

    def _resume(self, e: PaperEntry, writer: User) -> None:
        self.session.flush()
        for pause in self.session.scalars(
            select(ClockPause).where(
                ClockPause.session_id == self.row.id, ClockPause.ended_at.is_(None), ClockPause.started_at <= e.at
            )
        ):
            pause.ended_at = e.at
            if e.reason:
                pause.reason = f"{pause.reason}; resumed: {e.reason}" if pause.reason else f"resumed: {e.reason}"

    def _checklist(self, e: PaperEntry, writer: User) -> None:
        existing = {
            a.rule_id: a
            for a in self.session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.session_id == self.row.id))
        }
        for rule_id, answer, written in e.answers:
            note = written or (NO_NOTE if answer == "no" else "")
            found = existing.get(rule_id)
            if found is None:
                self.session.add(
                    ChecklistAnswer(
                        session_id=self.row.id,
                        rule_id=rule_id,
                        answer=answer,
                        note=note,
                        answered_by_id=writer.id,
                        answered_at=e.at,
                        typed_by_id=self.typist,
                    )
                )
            else:
                found.answer, found.note, found.answered_by_id = answer, note, writer.id
                found.answered_at, found.typed_by_id = e.at, self.typist

    def _sign_off(self, e: PaperEntry, writer: User) -> None:
        problem = session_problem("sign_off", self.row.state, self.row.id)
        if problem:
            raise BadInput(f"{e.path}: {problem}; it cannot be signed off again")
        self.sign_off = (e, writer)

    def finish(self) -> None:
        """After every entry: a started session is running; a paper sign-off closes it."""
        if self.row.state == SessionState.PLANNED.value and self.starts:
            self.row.state = SessionState.RUNNING.value
        if self.starts and (self.row.started_at is None or min(self.starts) < self.row.started_at):
            self.row.started_at = min(self.starts)
        if self.sign_off is None:
            return
        e, writer = self.sign_off
        self.session.flush()
        flags = (
            [f"signed off on paper by {writer.name}, not the session's invigilator {self.row.invigilator.name}"]
            if writer.id != self.row.invigilator_id
            else []
        )
        flags += [f"at sign-off: {p}" for p in outstanding(self.session, self.row)]
        entry = self._incident(
            e, writer, note="Signed off on the paper log with the invigilator's declaration", kind="sign_off"
        )
        entry.flags = "\n".join(flags)
        self.row.state = SessionState.CLOSED.value
        self.row.ended_at = self.row.ended_at or e.at
        self.row.signed_off_by_id, self.row.signed_off_at = writer.id, e.at
        self.row.sign_off_typed_by_id = self.typist
        self.row.declaration = declaration_text(writer.name, writer.imi_pin)
        create_checkpoint(self.session, "session_closed", self.row.id)
