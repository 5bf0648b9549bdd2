"""Everything the invigilator records, as actions: one shortcut each, shown in its tooltip.

Each action calls one service (one durable transaction), then reloads the session view and
the sessions list, and says what it saved in the console's message strip. Every candidate
action acts on the candidate the invigilator selected, and its title names them ("Start —
PC-02 Amelia Hughes"). The window owns the actions and hands them what they need
(``ConsoleHost``); they never import the window. Questions and messages go through the
host's dialog service so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from invigilator_app.domain.enums import IncidentType, Role
from invigilator_app.domain.timefmt import clock_text
from invigilator_app.services.console import checklist, clock
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.clock import SessionClock
from invigilator_app.services.console.sessions import AllocationView, session_detail
from invigilator_app.services.planning import changes
from invigilator_app.services.station import Station
from invigilator_app.ui.console.panel import SessionPanel, candidate_title
from invigilator_app.ui.console.register_actions import RegisterActions
from invigilator_app.ui.console.session_actions import SessionActions
from invigilator_app.ui.console.store_writes import StoreWrites, Write
from invigilator_app.ui.dialogs import Dialogs, EntryAnswer, IdentityAnswer
from invigilator_app.ui.worker import BackgroundTask

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
TOOLBAR_INCIDENTS = (
    IncidentType.FIRE_ALARM,
    IncidentType.IT_ISSUE,
    IncidentType.QUESTION_ISSUE,
    IncidentType.EMERGENCY,
    IncidentType.LATE_ARRIVAL,
)
CANDIDATE_ACTIONS = (
    ("identity", "Identity check\u2026", "Ctrl+Shift+K"),
    ("logged_on", "Confirm logged on", "Ctrl+Shift+G"),
    ("start", "Start", "Ctrl+Shift+T"),
    ("finish", "Finish", "Ctrl+Shift+N"),
    ("absent", "Absent", "Ctrl+Shift+A"),
    ("withdraw", "Withdraw\u2026", "Ctrl+Shift+X"),
    ("paper_issued", "Paper issued", "Ctrl+Shift+P"),
    ("paper_collected", "Paper collected", "Ctrl+Shift+D"),
    ("reseat", "Re-seat\u2026", "Ctrl+Alt+M"),
    ("late", "Late arrival\u2026", "Ctrl+Alt+L"),
    ("transfer", "Transfer\u2026", "Ctrl+Alt+T"),
    ("rest_break", "Rest break start / end", "Ctrl+Alt+B"),
)
TOOLBAR_CANDIDATE = ("identity", "logged_on", "start", "finish", "absent")
# Short words on the toolbar, so it fits at 150 %; menus and tooltips keep the full names.
TOOLBAR_WORDS = {
    IncidentType.EMERGENCY: "Emergency",
    IncidentType.QUESTION_ISSUE: "Question issue",
    "logged_on": "Logged on",
}


@dataclass
class ConsoleHost:
    """What the console's actions need from the window that owns them."""

    window: QMainWindow
    station: Station
    panel: SessionPanel
    dialogs: Callable[[], Dialogs]
    show_clock: Callable[[SessionClock], None]
    open_room_clock: Callable[[], None]
    sessions_changed: Callable[[], None]
    run: Callable[[Callable[[], None]], None] = field(default=lambda slot: slot())
    """Runs an action's slot: the window's guard (nothing while locked, no exception escapes)."""


class ConsoleActions:
    def __init__(self, host: ConsoleHost) -> None:
        self.host = host
        self.window = host.window
        self.station = host.station
        self.panel = host.panel
        self.incident: dict[IncidentType, QAction] = {}
        self.candidate: dict[str, QAction] = {}
        self.session: dict[str, QAction] = {}
        self.tasks: list[BackgroundTask] = []
        self.sessions = SessionActions(self)
        self.register = RegisterActions(self)
        self.writes = StoreWrites(self.window, self.station)
        self.writes.saved.connect(self._saved)
        self.writes.refused.connect(self._refused)
        self.writes.waiting_changed.connect(self._waiting)
        self._build()
        self.panel.selection_changed.connect(self._retitle)
        self._retitle()

    # ---- building -------------------------------------------------------------------------
    def action(self, name: str, label: str, key: str, slot: Callable[[], None], tip: str) -> QAction:
        action = QAction(label, self.window)
        action.setObjectName(name)
        action.setIconText(label.rstrip("\u2026"))
        action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{tip} ({QKeySequence(key).toString()})")
        action.setData(tip)
        action.triggered.connect(lambda _checked=False: self.host.run(slot))
        self.window.addAction(action)
        return action

    def _build(self) -> None:
        bar = self.window.menuBar()
        toolbar = self.window.addToolBar("Record")
        toolbar.setObjectName("recordToolbar")
        entries = bar.addMenu("&Record")
        for kind in IncidentType:
            key = f"Ctrl+Shift+{INCIDENT_KEYS[kind]}"
            action = self.action(
                f"record_{kind.value}",
                kind.label,
                key,
                partial(self.record_incident, kind),
                f"Log \u2018{kind.label}\u2019 now",
            )
            entries.addAction(action)
            self.incident[kind] = action
            if kind in TOOLBAR_INCIDENTS:
                action.setIconText(TOOLBAR_WORDS.get(kind, kind.label))
                toolbar.addAction(action)
        toolbar.addSeparator()
        people = bar.addMenu("&Candidate")
        slots = {
            "identity": self.check_identity,
            "logged_on": self.confirm_logged_on,
            "start": self.start_candidate,
            "finish": self.finish_candidate,
            "absent": self.mark_absent,
            "withdraw": self.withdraw,
            "paper_issued": self.paper_issued,
            "paper_collected": self.paper_collected,
            "reseat": self.reseat,
            "late": self.register.late_arrival,
            "transfer": self.register.transfer,
            "rest_break": self.register.rest_break,
        }
        for name, label, key in CANDIDATE_ACTIONS:
            action = self.action(
                f"candidate_{name}", label, key, slots[name], f"{label.rstrip('…')} for the selected candidate"
            )
            people.addAction(action)
            if name in TOOLBAR_CANDIDATE:
                action.setIconText(TOOLBAR_WORDS.get(name, action.iconText()))
                toolbar.addAction(action)
            self.candidate[name] = action
        self.undo = self.action(
            "candidate_undo",
            "Undo finish or absent",
            "Ctrl+Z",
            self.undo_last,
            "Take back the finish or absence just recorded (within a minute; logged)",
        )
        self.undo.setEnabled(False)
        people.addSeparator()
        people.addAction(self.undo)
        session_menu = bar.addMenu("S&ession")
        self.session = self.sessions.build(session_menu)
        self.menus, self.toolbar = [entries, people, session_menu], toolbar
        if self.station.actor.role is Role.INSPECTOR:
            # Read-only: an inspector sees the records and exports them, and records nothing.
            toolbar.hide()
            entries.menuAction().setVisible(False)
            people.menuAction().setVisible(False)
            for action in [*self.incident.values(), *self.candidate.values(), self.undo]:
                action.setEnabled(False)

    def set_shown(self, shown: bool) -> None:
        """The console's menus and toolbar belong to the Sessions tab; other areas have their own
        Alt+letters. (The shortcuts keep working everywhere.)"""
        inspector = self.station.actor.role is Role.INSPECTOR
        for menu in self.menus:
            menu.menuAction().setVisible(shown and (not inspector or menu is self.menus[-1]))
        self.toolbar.setVisible(shown and not inspector)

    def _retitle(self) -> None:
        """Candidate actions say whom they act on: "Start — PC-02 Amelia Hughes"."""
        chosen = self.panel.selected_allocation()
        for name, label, _key in CANDIDATE_ACTIONS:
            action = self.candidate[name]
            action.setText(f"{label} — {candidate_title(chosen)}" if chosen else label)
            key = action.shortcut().toString()
            action.setToolTip(f"{action.text().replace('…', '')} ({key})" if chosen else f"{action.data()} ({key})")

    # ---- plumbing -------------------------------------------------------------------------
    @property
    def dialogs(self) -> Dialogs:
        return self.host.dialogs()

    def session_id(self) -> int | None:
        detail = self.panel.detail
        return detail.summary.id if detail else None

    def write(self, done: str, call: Callable[[int], object], undo: Callable[[], None] | None = None) -> bool:
        """Save one change for the shown session (through ``writes``): True when saved now.
        A refusal says why; a busy store keeps the change, says so, and saves it when free."""
        session_id = self.session_id()
        if session_id is None:
            self.dialogs.error("Record", "Choose a session first.")
            return False
        return self.writes.submit(Write(session_id, done, call, undo))

    def _saved(self, write: Write) -> None:
        message = f"Saved {clock_text(self.station.now(), self.station.zone)}: {write.done}"
        self.window.statusBar().showMessage(message, 15000)
        if write.session_id == self.session_id():
            self.reload()
        self.host.sessions_changed()
        self.panel.strip.show_message(message, undo=write.undo)
        self.undo.setEnabled(write.undo is not None and self.station.actor.role is not Role.INSPECTOR)

    def _refused(self, _write: Write, text: str) -> None:
        self.panel.strip.show_message(f"Not saved: {text}", refused=True)
        self.dialogs.error("Not recorded", text)

    def _waiting(self, kept: list[str]) -> None:
        if kept:
            message = "Waiting for the store (another program is writing to it); kept, not yet saved: " + "; ".join(
                kept
            )
            self.window.statusBar().showMessage(message)
            self.panel.strip.show_message(message, refused=True)

    def reload(self, session_id: int | None = None) -> None:
        """Show a session (the current one unless another is given): view, checklist, clock."""
        session_id = session_id if session_id is not None else self.session_id()
        if session_id is None:
            return
        station, panel = self.station, self.panel
        panel.show_detail(session_detail(station, session_id))
        detail = panel.detail
        assert detail is not None
        panel.checklist.show_items(
            checklist.checklist(station, session_id),
            detail.summary.invigilator,
            detail.invigilator_pin,
            detail.invigilator_status,
        )
        self.sessions.session_shown(detail)
        self.host.show_clock(clock.session_clock(station, session_id))

    def _candidate(self) -> AllocationView | None:
        chosen = self.panel.selected_allocation()
        if chosen is None:
            self.dialogs.error(
                "Candidate", "Select a candidate on the seating plan (arrow keys) or in the Candidates tab."
            )
        return chosen

    def _for_candidate(self, verb: str, call: Callable[[int, str], object], undoable: bool = False) -> None:
        chosen = self._candidate()
        if chosen is None:
            return
        reg = chosen.registration_number
        undo = (lambda: self._undo(chosen)) if undoable else None
        self.write(f"{candidate_title(chosen)} {verb}", lambda sid: call(sid, reg), undo)

    # ---- log entries ----------------------------------------------------------------------
    def record_incident(self, kind: IncidentType) -> None:
        panel = self.panel
        if panel.detail is None:
            self.dialogs.error("Record", "Choose a session first.")
            return
        chosen = panel.selected_allocation()
        self.dialogs.entry(
            kind,
            panel.detail.allocations,
            chosen.registration_number if chosen else "",
            lambda answer: self._save_incident(kind, answer),
        )

    def _save_incident(self, kind: IncidentType, answer: EntryAnswer) -> None:
        station = self.station
        late_reason = ""
        if self.panel.detail and self.panel.detail.summary.state in ("closed", "signed_off"):
            late_reason = (
                self.dialogs.text(
                    "Late entry",
                    "This session is closed: why is this entry recorded now? (shown on the record beside the entry)",
                )
                or ""
            )
            if not late_reason:
                self.dialogs.error("Not recorded", "The session is closed: a late entry needs a reason.")
                return
        made: list[int] = []
        detail = self.panel.detail
        working = [
            a.registration_number
            for a in (detail.allocations if detail else [])
            if a.state == "started" and a.registration_number in answer.registration_numbers
        ]

        def record(sid: int) -> None:
            entry = console.record_entry(
                station,
                sid,
                kind.value,
                note=answer.note,
                registration_numbers=answer.registration_numbers,
                question_number=answer.question_number,
                assessment_id=answer.assessment_id,
                late_reason=late_reason,
            )
            made.append(entry.id)

        who = ", ".join(
            a.workstation
            for a in (detail.allocations if detail else [])
            if a.registration_number in answer.registration_numbers
        )
        if len(answer.registration_numbers) > 3:
            who = f"{len(answer.registration_numbers)} candidates"
        if not self.write(f"{kind.label}" + (f" — {who}" if who else ""), record):
            return
        if answer.pause and working:
            self.write(
                f"{kind.label}: clock paused for {len(working)} working candidate(s); Ctrl+Alt+R resumes it",
                lambda sid: clock.pause_clock(station, sid, working, kind.label, made[0]),
            )

    # ---- candidates -----------------------------------------------------------------------
    def check_identity(self) -> None:
        chosen = self._candidate()
        if chosen is not None:
            self.dialogs.identity(chosen, lambda answer: self._save_identity(chosen, answer))

    def _save_identity(self, chosen: AllocationView, answer: IdentityAnswer) -> None:
        self.write(
            f"identity check for {candidate_title(chosen)}",
            lambda sid: console.check_identity(
                self.station,
                sid,
                chosen.registration_number,
                method=answer.method,
                id_type=answer.id_type,
                match_confirmed=answer.match_confirmed,
            ),
        )

    def confirm_logged_on(self) -> None:
        self._for_candidate("logged on", lambda sid, reg: console.confirm_logged_on(self.station, sid, reg))

    def start_candidate(self) -> None:
        self._for_candidate("started", lambda sid, reg: console.start_candidate(self.station, sid, reg))

    def finish_candidate(self) -> None:
        self._for_candidate("finished", lambda sid, reg: console.finish_candidate(self.station, sid, reg), True)

    def mark_absent(self) -> None:
        self._for_candidate("marked absent", lambda sid, reg: console.mark_absent(self.station, sid, reg), True)

    def _undo(self, chosen: AllocationView) -> None:
        self.undo.setEnabled(False)
        self.write(
            f"undone — {candidate_title(chosen)} is back as it was",
            lambda sid: console.undo_outcome(self.station, sid, chosen.registration_number),
        )

    def undo_last(self) -> None:
        if self.panel.strip.can_undo():
            self.panel.strip.undo_button.click()
        else:
            self.undo.setEnabled(False)

    def paper_issued(self) -> None:
        self._for_candidate("paper issued", lambda sid, reg: console.issue_paper(self.station, sid, reg))

    def paper_collected(self) -> None:
        self._for_candidate(
            "paper collected and destroyed", lambda sid, reg: console.collect_paper(self.station, sid, reg)
        )

    def withdraw(self) -> None:
        chosen = self._candidate()
        if chosen is None:
            return
        reason = self.dialogs.text(
            f"Withdraw — {candidate_title(chosen)}", f"Why is {chosen.candidate_name} withdrawn?"
        )
        if reason is not None:
            self.write(
                f"{candidate_title(chosen)} withdrawn",
                lambda sid: console.withdraw_candidate(self.station, sid, chosen.registration_number, reason),
            )

    def reseat(self) -> None:
        chosen = self._candidate()
        detail = self.panel.detail
        if chosen is None or detail is None:
            return
        taken = {a.workstation for a in detail.allocations}
        free = [w.label for w in detail.workstations if w.label not in taken]
        if not free:
            self.dialogs.error("Re-seat", "Every workstation in the room is taken.")
            return
        target = self.dialogs.choose(
            f"Re-seat — {candidate_title(chosen)}", f"Move {chosen.candidate_name} from {chosen.workstation} to:", free
        )
        if target is not None:
            self.write(
                f"{chosen.candidate_name} moved to {target}",
                lambda sid: changes.move_candidate(self.station, sid, chosen.registration_number, target),
            )

    def shortcuts(self) -> list[tuple[str, str]]:
        actions = [*self.incident.values(), *self.candidate.values(), self.undo, *self.session.values()]
        return [(a.shortcut().toString(), a.text().split(" — ")[0]) for a in actions]
