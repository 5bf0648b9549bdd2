"""One session in the console: seating plan, candidates, log, room checklist and clock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.services.console.sessions import AllocationView, EntryView, SessionDetail
from invigilator_app.ui.console.pages import ChecklistPage, ClockPage
from invigilator_app.ui.models import STATE_TEXT, AllocationsModel, EntriesModel, RowsModel
from invigilator_app.ui.console.seating_plan import SeatingPlan
from invigilator_app.ui.widgets import make_table


LOCATION_COLUMNS = (
    ("Location", lambda a: a.workstation),
    ("Candidate", lambda a: a.candidate_name),
    ("Reg. no.", lambda a: a.registration_number),
    ("Assessment", lambda a: a.assessment_id),
    ("State", lambda a: STATE_TEXT.get(a.state, a.state)),
    ("Identity check (to camera)", lambda a: a.identity_check or "not yet"),
    ("Start", lambda a: a.start),
    ("Finish", lambda a: a.finish),
)


class SessionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: SessionDetail | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel("Choose a session on the left.")
        self.title.setObjectName("sessionTitle")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.tabs = QTabWidget()
        self.seating = SeatingPlan()
        self.allocations = AllocationsModel()
        self.entries = EntriesModel()
        self.allocation_view = make_table(self.allocations, "Candidates")
        self.entry_view = make_table(self.entries, "Log")
        self.checklist = ChecklistPage()
        self.clock = ClockPage()
        # A remotely invigilated session has candidates at locations: a table replaces the plan.
        self.locations = RowsModel[AllocationView]()
        self.locations.columns = LOCATION_COLUMNS
        self.location_view = make_table(self.locations, "Locations")
        self.first = QStackedWidget()
        self.first.addWidget(self.seating)
        self.first.addWidget(self.location_view)
        self.tabs.addTab(self.first, "&Seating plan")
        self.tabs.addTab(self.allocation_view, "&Candidates")
        self.tabs.addTab(self.entry_view, "&Log")
        self.tabs.addTab(self.checklist, "Room chec&klist")
        self.tabs.addTab(self.clock, "Cloc&k")
        layout.addWidget(self.tabs, 1)
        self.seating.seat_activated.connect(self.show_candidate)

    def show_detail(self, detail: SessionDetail) -> None:
        self.detail = detail
        current = self.allocation_view.currentIndex().row()
        current_entry = self.entry_view.currentIndex().row()
        s = detail.summary
        self.title.setText(f"{s.room} — {s.day:%A %d %B %Y}, {s.start}")
        outstanding = sum(1 for e in detail.entries if e.notify and not e.notified)
        self.subtitle.setText(
            f"Invigilator: {s.invigilator} (IMI PIN {detail.invigilator_pin or 'not recorded'}) · "
            f"State: {STATE_TEXT.get(s.state, s.state)} · Candidates: {s.candidates} · "
            f"Log entries: {len(detail.entries)}"
            + (f" · <b>{outstanding} awaiting notification</b>" if outstanding else "")
        )
        self.seating.set_plan(detail.workstations, detail.allocations, detail.desk)
        self.locations.set_rows(detail.allocations if detail.remote else [])
        self.first.setCurrentWidget(self.location_view if detail.remote else self.seating)
        self.tabs.setTabText(0, "&Locations" if detail.remote else "&Seating plan")
        self.tabs.setTabText(3, "Remote chec&klist" if detail.remote else "Room chec&klist")
        if detail.remote:
            self.title.setText(f"{s.room} — {s.day:%A %d %B %Y}, {s.start} — remotely invigilated")
        self.allocations.set_rows(detail.allocations)
        self.entries.set_rows(detail.entries)
        if 0 <= current < self.allocations.rowCount():
            self.allocation_view.selectRow(current)
        if 0 <= current_entry < self.entries.rowCount():
            self.entry_view.selectRow(current_entry)

    def selected_allocation(self) -> AllocationView | None:
        """The candidate selected in the table, or at the seat focused on the plan."""
        row = self.allocation_view.currentIndex().row()
        if self.tabs.currentWidget() is self.allocation_view and 0 <= row < self.allocations.rowCount():
            return self.allocations.row_at(row)
        on_first = self.tabs.currentWidget() is self.first
        if on_first and self.first.currentWidget() is self.seating and self.seating.seats:
            return self.seating.seats[self.seating.current].allocation
        location = self.location_view.currentIndex().row()
        if on_first and self.first.currentWidget() is self.location_view and 0 <= location < self.locations.rowCount():
            return self.locations.row_at(location)
        if 0 <= row < self.allocations.rowCount():
            return self.allocations.row_at(row)
        return None

    def selected_entry(self) -> EntryView | None:
        row = self.entry_view.currentIndex().row()
        return self.entries.row_at(row) if 0 <= row < self.entries.rowCount() else None

    def show_candidate(self, label: str) -> None:
        for row in range(self.allocations.rowCount()):
            if self.allocations.row_at(row).workstation == label:
                self.tabs.setCurrentWidget(self.allocation_view)
                self.allocation_view.selectRow(row)
                self.allocation_view.setFocus()
                return
