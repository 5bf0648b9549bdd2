"""Everything the invigilator records, as actions: one shortcut each, shown in its tooltip.

Each action calls one service (one durable transaction), then reloads the session view.
Questions and messages go through ``window.dialogs`` so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from invigilator_app.domain.enums import IncidentType, Role
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.timezones import local
from invigilator_app.services.review import amendments
from invigilator_app.services.planning import changes
from invigilator_app.services.console import checklist
from invigilator_app.services.console import clock
from invigilator_app.services.console import closing
from invigilator_app.services.console import recording as console
from invigilator_app.services.review import queue as review
from invigilator_app.services.console.sessions import AllocationView, session_detail
from invigilator_app.ui.worker import BackgroundTask

if TYPE_CHECKING:
    from invigilator_app.ui.main_window import MainWindow

INCIDENT_KEYS = {
    IncidentType.WRONG_ASSESSMENT_LAUNCHED: "W",
    IncidentType.SUBMITTED_EARLY: "S",
    IncidentType.READER_USED: "R",
    IncidentType.FIRE_ALARM: "F",
    IncidentType.IT_ISSUE: "I",
    IncidentType.EXPLANATION_REQUESTED: "E",
    IncidentType.INTERACTION_BETWEEN_CANDIDATES: "C",
    IncidentType.EMERGENCY: "H",
    IncidentType.SUSPECTED_MALPRACTICE: "M",
    IncidentType.QUESTION_ISSUE: "Q",
    IncidentType.ROOM_UNATTENDED: "U",
    IncidentType.LATE_ARRIVAL: "L",
    IncidentType.OTHER: "O",
}
TOOLBAR_INCIDENTS = (IncidentType.FIRE_ALARM, IncidentType.IT_ISSUE, IncidentType.QUESTION_ISSUE,
                     IncidentType.EMERGENCY, IncidentType.LATE_ARRIVAL)
PAUSING = (IncidentType.FIRE_ALARM, IncidentType.IT_ISSUE, IncidentType.EMERGENCY)
READ_ONLY_ACTIONS = ("fullscreen_clock", "export_pdf", "export_csv", "export_day", "help")



def _records() -> ModuleType:
    """The record exports (reportlab, pyHanko), imported on first use in the export's
    worker thread: neither start-up nor the console waits for them."""
    from invigilator_app.services.review import records

    return records


class ConsoleActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.incident: dict[IncidentType, QAction] = {}
        self.candidate: dict[str, QAction] = {}
        self.session: dict[str, QAction] = {}
        self.tasks: list[BackgroundTask] = []
        self._build()

    # ---- building -------------------------------------------------------------------------
    def _action(self, name: str, label: str, key: str, slot: Callable[[], None], tip: str) -> QAction:
        action = QAction(label, self.window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        shown = QKeySequence(key).toString()
        action.setToolTip(f"{tip} ({shown})")
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def _build(self) -> None:
        bar = self.window.menuBar()
        toolbar = self.window.addToolBar("Record")
        toolbar.setObjectName("recordToolbar")
        entries = bar.addMenu("&Record")
        for kind in IncidentType:
            key = f"Ctrl+Shift+{INCIDENT_KEYS[kind]}"
            action = self._action(f"record_{kind.value}", kind.label, key,
                                  lambda k=kind: self.record_incident(k), f"Log \u2018{kind.label}\u2019 now")
            entries.addAction(action)
            self.incident[kind] = action
            if kind in TOOLBAR_INCIDENTS:
                toolbar.addAction(action)
        toolbar.addSeparator()
        people = bar.addMenu("&Candidate")
        for name, label, key, slot in (
            ("identity", "Identity check\u2026", "Ctrl+Shift+K", self.check_identity),
            ("logged_on", "Confirm logged on", "Ctrl+Shift+G", self.confirm_logged_on),
            ("start", "Start", "Ctrl+Shift+T", self.start_candidate),
            ("finish", "Finish", "Ctrl+Shift+N", self.finish_candidate),
            ("absent", "Absent", "Ctrl+Shift+A", self.mark_absent),
            ("withdraw", "Withdraw\u2026", "Ctrl+Shift+X", self.withdraw),
            ("paper_issued", "Paper issued", "Ctrl+Shift+P", self.paper_issued),
            ("paper_collected", "Paper collected", "Ctrl+Shift+D", self.paper_collected),
            ("reseat", "Re-seat\u2026", "Ctrl+Alt+M", self.reseat),
        ):
            action = self._action(f"candidate_{name}", label, key, slot, f"{label.rstrip('…')} for the selected candidate")
            people.addAction(action)
            if name in ("identity", "logged_on", "start", "finish", "absent"):
                toolbar.addAction(action)
            self.candidate[name] = action
        menu = bar.addMenu("S&ession")
        for name, label, key, slot, tip in (
            ("checklist", "Room checklist", "Ctrl+Alt+C", self.open_checklist, "Open the room checklist"),
            ("notified", "Mark notified\u2026", "Ctrl+Alt+N", self.mark_notified,
             "Record that the awarding body or coordinator was told about the selected log entry"),
            ("pause", "Pause clock\u2026", "Ctrl+Alt+P", self.pause_clock, "Stop the clock for candidates"),
            ("resume", "Resume clock", "Ctrl+Alt+R", self.resume_clock, "Restart every stopped clock"),
            ("fullscreen_clock", "Full-screen clock", "F11", self.full_screen_clock,
             "Show the exam clock for the room, without names"),
            ("sign_off", "Close and sign off\u2026", "Ctrl+Alt+S", self.sign_off,
             "Review the log and sign off the session"),
            ("amend", "Amend\u2026", "Ctrl+Alt+A", self.amend,
             "Correct the selected log entry or candidate of a closed record, with a reason"),
            ("answer_query", "Answer the coordinator's query\u2026", "Ctrl+Alt+Q", self.answer_query,
             "Answer the query the coordinator returned this record with"),
            ("export_pdf", "Export signed record\u2026", "Ctrl+E", self.export_pdf,
             "Save the session's signed invigilation record (PDF)"),
            ("export_csv", "Export record as CSV\u2026", "Ctrl+Alt+E", self.export_csv,
             "Save the session's candidate table for a spreadsheet"),
            ("export_day", "Export the day's records\u2026", "Ctrl+Alt+D", self.export_day,
             "Save every record of the session's day in one PDF, for printing"),
            ("help", "Keyboard shortcuts", "F1", self.show_help, "List every shortcut"),
        ):
            action = self._action(f"session_{name}", label, key, slot, tip)
            menu.addAction(action)
            self.session[name] = action
        self.window.panel.checklist.save_requested.connect(self.save_checklist)
        if self.window.station.actor.role is Role.INSPECTOR:
            # Read-only: an inspector sees the records and exports them, and records nothing.
            toolbar.hide()
            entries.menuAction().setVisible(False)
            people.menuAction().setVisible(False)
            for name, action in self.session.items():
                action.setVisible(name in READ_ONLY_ACTIONS)
            for action in [*self.incident.values(), *self.candidate.values()]:
                action.setEnabled(False)

    # ---- plumbing -------------------------------------------------------------------------
    @property
    def dialogs(self):  # noqa: ANN201 - the window's dialog service (replaced in tests)
        return self.window.dialogs

    def _session_id(self) -> int | None:
        detail = self.window.panel.detail
        return detail.summary.id if detail else None

    def write(self, done: str, call: Callable[[int], object]) -> bool:
        session_id = self._session_id()
        if session_id is None:
            self.dialogs.error("Record", "Choose a session first.")
            return False
        try:
            call(session_id)
        except InvigilatorError as exc:
            self.dialogs.error("Not recorded", "\n".join(exc.lines()))
            return False
        station = self.window.station
        self.window.statusBar().showMessage(f"Saved {local(station.now(), station.zone):%H:%M:%S}: {done}", 15000)
        self.reload()
        return True

    def reload(self, session_id: int | None = None) -> None:
        """Show a session (the current one unless another is given): view, checklist, clock."""
        session_id = session_id if session_id is not None else self._session_id()
        if session_id is None:
            return
        station = self.window.station
        panel = self.window.panel
        panel.show_detail(session_detail(station, session_id))
        detail = panel.detail
        assert detail is not None
        panel.checklist.show_items(checklist.checklist(station, session_id), detail.summary.invigilator,
                                   detail.invigilator_pin, detail.invigilator_status)
        self.window.show_clock(clock.session_clock(station, session_id))

    def _candidate(self) -> AllocationView | None:
        chosen = self.window.panel.selected_allocation()
        if chosen is None:
            self.dialogs.error("Candidate", "Select a candidate on the seating plan or in the Candidates tab.")
        return chosen

    def _for_candidate(self, verb: str, call: Callable[[int, str], object]) -> None:
        chosen = self._candidate()
        if chosen is not None:
            self.write(f"{chosen.candidate_name}: {verb}", lambda sid: call(sid, chosen.registration_number))

    # ---- log entries ----------------------------------------------------------------------
    def record_incident(self, kind: IncidentType) -> None:
        panel = self.window.panel
        if panel.detail is None:
            self.dialogs.error("Record", "Choose a session first.")
            return
        chosen = panel.selected_allocation()
        answer = self.dialogs.entry(kind, panel.detail.allocations, chosen.registration_number if chosen else "")
        if answer is None:
            return
        station = self.window.station
        made: list[int] = []

        def record(sid: int) -> None:
            entry = console.record_entry(
                station, sid, kind.value, note=answer.note, registration_numbers=answer.registration_numbers,
                question_number=answer.question_number, assessment_id=answer.assessment_id)
            made.append(entry.id)

        if not self.write(kind.label, record):
            return
        working = [a.registration_number for a in panel.detail.allocations
                   if a.state == "started" and a.registration_number in answer.registration_numbers]
        if kind in PAUSING and working and self.dialogs.confirm(
            "Pause the clock?", f"Stop the clock for the {len(working)} candidate(s) working now? "
            "Their finish times move on by the length of the pause."):
            self.write("clock paused", lambda sid: clock.pause_clock(station, sid, working, kind.label, made[0]))

    def mark_notified(self) -> None:
        entry = self.window.panel.selected_entry()
        if entry is None or not entry.notify:
            self.dialogs.error("Mark notified", "Select, in the Log tab, an entry that someone must be told about.")
            return
        reference = self.dialogs.text("Mark notified", f"Reference from the {entry.notify} (enquiry number, name …):")
        if reference is not None:
            self.write(f"{entry.type_label} marked notified",
                       lambda _sid: review.mark_notified(self.window.station, entry.id, reference))

    # ---- candidates -----------------------------------------------------------------------
    def check_identity(self) -> None:
        chosen = self._candidate()
        if chosen is None:
            return
        answer = self.dialogs.identity(chosen)
        if answer is None:
            return
        self.write(f"identity check for {chosen.candidate_name}", lambda sid: console.check_identity(
            self.window.station, sid, chosen.registration_number, method=answer.method, id_type=answer.id_type,
            match_confirmed=answer.match_confirmed))

    def confirm_logged_on(self) -> None:
        self._for_candidate("logged on", lambda sid, reg: console.confirm_logged_on(self.window.station, sid, reg))

    def start_candidate(self) -> None:
        self._for_candidate("started", lambda sid, reg: console.start_candidate(self.window.station, sid, reg))

    def finish_candidate(self) -> None:
        self._for_candidate("finished", lambda sid, reg: console.finish_candidate(self.window.station, sid, reg))

    def mark_absent(self) -> None:
        self._for_candidate("absent", lambda sid, reg: console.mark_absent(self.window.station, sid, reg))

    def paper_issued(self) -> None:
        self._for_candidate("paper issued", lambda sid, reg: console.issue_paper(self.window.station, sid, reg))

    def paper_collected(self) -> None:
        self._for_candidate("paper collected and destroyed",
                            lambda sid, reg: console.collect_paper(self.window.station, sid, reg))

    def withdraw(self) -> None:
        chosen = self._candidate()
        if chosen is None:
            return
        reason = self.dialogs.text("Withdraw", f"Why is {chosen.candidate_name} withdrawn?")
        if reason is not None:
            self.write(f"{chosen.candidate_name} withdrawn", lambda sid: console.withdraw_candidate(
                self.window.station, sid, chosen.registration_number, reason))

    def reseat(self) -> None:
        chosen = self._candidate()
        detail = self.window.panel.detail
        if chosen is None or detail is None:
            return
        taken = {a.workstation for a in detail.allocations}
        free = [w.label for w in detail.workstations if w.label not in taken]
        if not free:
            self.dialogs.error("Re-seat", "Every workstation in the room is taken.")
            return
        target = self.dialogs.choose("Re-seat", f"Move {chosen.candidate_name} from {chosen.workstation} to:", free)
        if target is not None:
            self.write(f"{chosen.candidate_name} moved to {target}", lambda sid: changes.move_candidate(
                self.window.station, sid, chosen.registration_number, target))

    # ---- session --------------------------------------------------------------------------
    def open_checklist(self) -> None:
        self.window.panel.tabs.setCurrentWidget(self.window.panel.checklist)

    def save_checklist(self, answers: list[tuple[str, str, str]]) -> None:
        self.write("room checklist", lambda sid: checklist.save_checklist(self.window.station, sid, answers))

    def amend(self) -> None:
        """Corrections after the event are amendments: the original stays beside them."""
        panel = self.window.panel
        if panel.detail is None:
            self.dialogs.error("Amend", "Choose a session first.")
            return
        if panel.tabs.currentWidget() is panel.entry_view and panel.selected_entry() is not None:
            entry = panel.selected_entry()
            assert entry is not None
            entity, entity_id, what = "log_entry", entry.id, f"the {entry.type_label} entry at {entry.at}"
        else:
            chosen = self._candidate()
            if chosen is None:
                return
            entity, entity_id, what = "allocation", chosen.id, f"{chosen.candidate_name}'s attempt"
        field = self.dialogs.choose("Amend", f"Which field of {what} is wrong?", amendments.field_names(entity))
        if field is None:
            return
        value = self.dialogs.text("Amend", f"The correct {field.replace('_', ' ')}:")
        if value is None:
            return
        reason = self.dialogs.text("Amend", "Why is it corrected? (shown on the record)")
        if reason is not None:
            self.write(f"{field.replace('_', ' ')} amended", lambda _sid: amendments.amend(
                self.window.station, entity, entity_id, field, value, reason))

    def answer_query(self) -> None:
        session_id = self._session_id()
        if session_id is None:
            self.dialogs.error("Answer query", "Choose a session first.")
            return
        history = review.review_history(self.window.station, session_id)
        query = next((h for h in reversed(history) if h.action == "returned"), None)
        if query is None or history[-1].action != "returned":
            self.dialogs.error("Answer query", "This record has no query waiting for your answer.")
            return
        answer = self.dialogs.text("Answer query", f"{query.by} asked on {query.at}:\n\n{query.text}\n\nYour answer:")
        if answer is not None:
            self.write("answer sent to the coordinator", lambda sid: review.answer_query(self.window.station, sid, answer))

    def pause_clock(self) -> None:
        detail = self.window.panel.detail
        if detail is None:
            return
        working = [a.registration_number for a in detail.allocations if a.state == "started"]
        reason = self.dialogs.text("Pause clock", f"Why does the clock stop for the {len(working)} working candidate(s)?")
        if reason is not None:
            self.write("clock paused", lambda sid: clock.pause_clock(self.window.station, sid, working, reason))

    def resume_clock(self) -> None:
        self.write("clock resumed", lambda sid: clock.resume_clock(self.window.station, sid))

    def full_screen_clock(self) -> None:
        self.window.open_full_screen_clock()

    def sign_off(self) -> None:
        session_id = self._session_id()
        detail = self.window.panel.detail
        if session_id is None or detail is None:
            self.dialogs.error("Sign off", "Choose a session first.")
            return
        problems = closing.closing_problems(self.window.station, session_id)
        if problems:
            self.dialogs.error("Not ready to close", "\n".join(problems))
            return
        text = closing.declaration_text(detail.summary.invigilator, detail.invigilator_pin)
        if self.dialogs.confirm("Close and sign off", f"Review the log, then confirm:\n\n{text}"):
            self.write("session closed and signed off", lambda sid: closing.sign_off(self.window.station, sid, text))

    def _export(self, title: str, suggested: str, file_filter: str,
                work: Callable[[Path, Callable[[int, int], None], Callable[[], bool]], object]) -> None:
        if self._session_id() is None:
            self.dialogs.error(title, "Choose a session first.")
            return
        target = self.dialogs.save_file(title, suggested, file_filter)
        if target is None:
            return
        task = BackgroundTask(self.window, title, lambda progress, cancelled: work(target, progress, cancelled))
        task.succeeded.connect(lambda _r: self.window.statusBar().showMessage(f"Saved {target}", 15000))
        task.failed.connect(lambda message: self.dialogs.error(title, message))
        self.tasks.append(task)
        task.done.connect(lambda: self.tasks.remove(task))
        task.start()

    def export_pdf(self) -> None:
        sid = self._session_id()
        self._export("Export signed record", f"record-{sid}.pdf", "PDF (*.pdf)",
                     lambda out, _p, _c: _records().export_record(self.window.station, sid, out))

    def export_csv(self) -> None:
        sid = self._session_id()
        self._export("Export record as CSV", f"record-{sid}.csv", "CSV (*.csv)",
                     lambda out, _p, _c: _records().export_record_csv(self.window.station, sid, out))

    def export_day(self) -> None:
        detail = self.window.panel.detail
        day = detail.summary.day if detail else None
        self._export("Export the day's records", f"records-{day}.pdf", "PDF (*.pdf)",
                     lambda out, progress, cancelled: _records().export_day(self.window.station, day, out, progress, cancelled))

    def shortcuts(self) -> list[tuple[str, str]]:
        actions = [*self.incident.values(), *self.candidate.values(), *self.session.values()]
        return [(a.shortcut().toString(), a.text().replace("&", "")) for a in actions]

    def show_help(self) -> None:
        rows = "".join(f"<tr><td><b>{key}</b></td><td>{label}</td></tr>" for key, label in self.shortcuts())
        self.dialogs.info("Keyboard shortcuts", f"<table cellpadding='3'>{rows}</table>")
