"""The Session menu: checklist, notifications, the clock, sign-off, amendments, exports, help."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from invigilator_app.domain.enums import Role
from invigilator_app.domain.timefmt import session_name
from invigilator_app.services.console import checklist, clock, closing
from invigilator_app.services.console.sessions import SessionDetail
from invigilator_app.services.planning import walk_in
from invigilator_app.services.review import amendments
from invigilator_app.services.review import queue as review
from invigilator_app.ui.console.help import ShortcutsOverlay
from invigilator_app.ui.worker import BackgroundTask

if TYPE_CHECKING:
    from invigilator_app.ui.console.actions import ConsoleActions

READ_ONLY_ACTIONS = ("fullscreen_clock", "export_pdf", "export_csv", "export_day", "help")


def _records() -> ModuleType:
    """The record exports (reportlab, pyHanko), imported on first use in the export's
    worker thread: neither start-up nor the console waits for them."""
    from invigilator_app.services.review import records

    return records


class SessionActions:
    def __init__(self, console: ConsoleActions) -> None:
        self.console = console
        self.actions: dict[str, QAction] = {}
        self.overlay: ShortcutsOverlay | None = None

    @property
    def dialogs(self):
        return self.console.dialogs

    @property
    def station(self):
        return self.console.station

    @property
    def panel(self):
        return self.console.panel

    def build(self, menu: QMenu) -> dict[str, QAction]:
        for name, label, key, slot, tip in (
            ("checklist", "Room checklist", "Ctrl+Alt+C", self.open_checklist, "Open the room checklist"),
            (
                "notified",
                "Mark notified\u2026",
                "Ctrl+Alt+N",
                self.mark_notified,
                "Record that the awarding body or coordinator was told about the selected log entry",
            ),
            ("pause", "Pause clock\u2026", "Ctrl+Alt+P", self.pause_clock, "Stop the clock for candidates"),
            ("resume", "Resume clock", "Ctrl+Alt+R", self.resume_clock, "Restart every stopped clock"),
            (
                "fullscreen_clock",
                "Room clock",
                "F11",
                self.console.host.open_room_clock,
                "Show the exam clock for the room, full screen and without names (F11 or Esc closes it)",
            ),
            (
                "sign_off",
                "Close and sign off\u2026",
                "Ctrl+Alt+S",
                self.sign_off,
                "Review the log and sign off the session (its invigilator only)",
            ),
            (
                "amend",
                "Amend\u2026",
                "Ctrl+Alt+A",
                self.amend,
                "Correct the selected log entry or candidate of a closed record, with a reason",
            ),
            (
                "answer_query",
                "Answer the coordinator's query\u2026",
                "Ctrl+Alt+Q",
                self.answer_query,
                "Answer the query the coordinator returned this record with",
            ),
            (
                "export_pdf",
                "Export signed record\u2026",
                "Ctrl+E",
                self.export_pdf,
                "Save the session's signed invigilation record (PDF)",
            ),
            (
                "export_csv",
                "Export record as CSV\u2026",
                "Ctrl+Alt+E",
                self.export_csv,
                "Save the session's candidate table for a spreadsheet",
            ),
            (
                "export_day",
                "Export the day's records\u2026",
                "Ctrl+Alt+D",
                self.export_day,
                "Save every record of the session's day in one PDF, for printing",
            ),
            (
                "walk_in",
                "Add walk-in candidate\u2026",
                "Ctrl+Alt+W",
                self.walk_in,
                "Seat a registered candidate in this planned session, after every rule check (coordinators)",
            ),
            ("help", "Keyboard shortcuts", "F1", self.show_help, "List every shortcut"),
        ):
            action = self.console.action(f"session_{name}", label, key, slot, tip)
            menu.addAction(action)
            self.actions[name] = action
        self.panel.checklist.save_requested.connect(self.save_checklist)
        if self.station.actor.role is Role.INSPECTOR:
            for name, action in self.actions.items():
                action.setVisible(name in READ_ONLY_ACTIONS)
        self.actions["walk_in"].setVisible(self.station.actor.role is Role.COORDINATOR)
        return self.actions

    def session_shown(self, detail: SessionDetail) -> None:
        """Sign-off is offered only to the session's own invigilator, while it is open."""
        own = detail.summary.invigilator == self.station.actor.name and self.station.actor.role is not Role.INSPECTOR
        self.actions["sign_off"].setVisible(own)
        self.actions["sign_off"].setEnabled(own and detail.summary.state in ("planned", "running"))
        self.actions["walk_in"].setEnabled(detail.summary.state == "planned")

    # ---- session --------------------------------------------------------------------------
    def walk_in(self) -> None:
        session_id = self.console.session_id()
        if session_id is None:
            self.dialogs.error("Walk-in", "Choose a planned session first.")
            return
        options = walk_in.walk_in_options(self.station, session_id)
        if not options.workstations:
            self.dialogs.error("Walk-in", "Every workstation in the room is taken.")
            return
        where = f" (checked against the {options.knowledge})" if options.knowledge else ""
        reg = self.dialogs.text("Add walk-in candidate", f"Registration number of the walk-in{where}:")
        if not reg:
            return
        labels = [label for _code, label in options.assessments]
        chosen = self.dialogs.choose("Add walk-in candidate", f"Assessment {reg} sits:", labels)
        if chosen is None:
            return
        code = options.assessments[labels.index(chosen)][0]
        seat = self.dialogs.choose("Add walk-in candidate", f"Workstation for {reg}:", options.workstations)
        if seat is None:
            return
        self.console.write(
            f"walk-in {reg} seated at {seat}{where}",
            lambda sid: walk_in.add_walk_in(self.station, sid, reg, code, seat),
        )

    def open_checklist(self) -> None:
        self.panel.show_page(self.panel.checklist)

    def save_checklist(self, answers: list[tuple[str, str, str]]) -> None:
        self.console.write("room checklist", lambda sid: checklist.save_checklist(self.station, sid, answers))

    def mark_notified(self) -> None:
        entry = self.panel.selected_entry()
        if entry is None or not entry.notify:
            self.dialogs.error("Mark notified", "Select, in the Log tab, an entry that someone must be told about.")
            return
        reference = self.dialogs.text(
            f"Mark notified — {entry.type_label} at {entry.at}",
            f"Reference from the {entry.notify} (enquiry number, name …):",
        )
        if reference is not None:
            self.console.write(
                f"{entry.type_label} marked notified",
                lambda _sid: review.mark_notified(self.station, entry.id, reference),
            )

    def pause_clock(self) -> None:
        detail = self.panel.detail
        if detail is None:
            return
        working = [a.registration_number for a in detail.allocations if a.state == "started"]
        reason = self.dialogs.text(
            "Pause clock", f"Why does the clock stop for the {len(working)} working candidate(s)?"
        )
        if reason is None:
            return
        if not reason:
            self.panel.strip.show_message("Not paused: a pause needs a reason (it is on the record).", refused=True)
            self.dialogs.error(
                "Pause clock", "The clock was not paused: say why it stops (the reason is on the record)."
            )
            return
        self.console.write(
            f"clock paused for {len(working)} candidate(s)",
            lambda sid: clock.pause_clock(self.station, sid, working, reason),
        )

    def resume_clock(self) -> None:
        self.console.write("clock resumed", lambda sid: clock.resume_clock(self.station, sid))

    def sign_off(self) -> None:
        session_id = self.console.session_id()
        detail = self.panel.detail
        if session_id is None or detail is None:
            self.dialogs.error("Sign off", "Choose a session first.")
            return
        summary = closing.sign_off_summary(self.station, session_id)
        if not summary.may_sign:
            self.dialogs.error("Sign off", f"Only the session's invigilator, {summary.invigilator}, signs it off.")
            return
        if summary.problems:
            self.dialogs.error("Not ready to close", "\n".join(summary.problems))
            return
        s = detail.summary
        text = closing.declaration_text(s.invigilator, detail.invigilator_pin)
        self.dialogs.sign_off(
            f"Close and sign off — {session_name(s.room, s.day, s.start)}",
            summary,
            text,
            lambda: self.console.write(
                "session closed and signed off", lambda sid: closing.sign_off(self.station, sid, text)
            ),
        )

    def amend(self) -> None:
        """Corrections after the event are amendments: the original stays beside them."""
        panel = self.panel
        if panel.detail is None:
            self.dialogs.error("Amend", "Choose a session first.")
            return
        if panel.tabs.currentWidget() is panel.entry_view and panel.selected_entry() is not None:
            entry = panel.selected_entry()
            assert entry is not None
            entity, entity_id, what = "log_entry", entry.id, f"the {entry.type_label} entry at {entry.at}"
        else:
            chosen = self.console._candidate()
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
            self.console.write(
                f"{field.replace('_', ' ')} amended",
                lambda _sid: amendments.amend(self.station, entity, entity_id, field, value, reason),
            )

    def answer_query(self) -> None:
        session_id = self.console.session_id()
        if session_id is None:
            self.dialogs.error("Answer query", "Choose a session first.")
            return
        history = review.review_history(self.station, session_id)
        query = next((h for h in reversed(history) if h.action == "returned"), None)
        if query is None or history[-1].action != "returned":
            self.dialogs.error("Answer query", "This record has no query waiting for your answer.")
            return
        answer = self.dialogs.text("Answer query", f"{query.by} asked on {query.at}:\n\n{query.text}\n\nYour answer:")
        if answer is not None:
            self.console.write(
                "answer sent to the coordinator", lambda sid: review.answer_query(self.station, sid, answer)
            )

    # ---- exports --------------------------------------------------------------------------
    def _export(
        self,
        title: str,
        suggested: str,
        file_filter: str,
        work: Callable[[Path, Callable[[int, int], None], Callable[[], bool]], object],
    ) -> None:
        target = self.dialogs.save_file(title, suggested, file_filter)
        if target is None:
            return
        window, tasks = self.console.window, self.console.tasks
        task = BackgroundTask(window, title, lambda progress, cancelled: work(target, progress, cancelled))
        task.succeeded.connect(lambda _r: self._saved_file(target))
        task.failed.connect(lambda message: self.dialogs.error(title, message))
        tasks.append(task)
        task.done.connect(lambda: tasks.remove(task))
        task.start()

    def _saved_file(self, target: Path) -> None:
        self.console.window.statusBar().showMessage(f"Saved {target}", 15000)
        self.panel.strip.show_message(f"Saved {target}")

    def _file_stem(self) -> str:
        detail = self.panel.detail
        if detail is None:
            return "record"
        s = detail.summary
        room = "".join(c if c.isalnum() else "-" for c in s.room).strip("-").lower()
        return f"record-{s.day.isoformat()}-{s.start.replace(':', '')}-{room}"

    def _chosen(self, title: str) -> SessionDetail | None:
        detail = self.panel.detail
        if detail is None:
            self.dialogs.error(title, "Choose a session first.")
        return detail

    def export_pdf(self) -> None:
        if (detail := self._chosen("Export signed record")) is None:
            return
        sid = detail.summary.id
        self._export(
            "Export signed record",
            f"{self._file_stem()}.pdf",
            "PDF (*.pdf)",
            lambda out, _p, _c: _records().export_record(self.station, sid, out),
        )

    def export_csv(self) -> None:
        if (detail := self._chosen("Export record as CSV")) is None:
            return
        sid = detail.summary.id
        self._export(
            "Export record as CSV",
            f"{self._file_stem()}.csv",
            "CSV (*.csv)",
            lambda out, _p, _c: _records().export_record_csv(self.station, sid, out),
        )

    def export_day(self) -> None:
        if (detail := self._chosen("Export the day's records")) is None:
            return
        day = detail.summary.day
        self._export(
            "Export the day's records",
            f"records-{day}.pdf",
            "PDF (*.pdf)",
            lambda out, progress, cancelled: _records().export_day(self.station, day, out, progress, cancelled),
        )

    # ---- help -----------------------------------------------------------------------------
    def show_help(self) -> None:
        """F1: every shortcut of the window, in a scrolling overlay that fits any screen."""
        if self.overlay is not None:
            self.overlay.close()
        self.overlay = ShortcutsOverlay(self.console.window)
        self.overlay.open()
