"""The main window: the list of sessions and one session's seating plan, candidates and log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invigilator_app import __version__
from invigilator_app.domain.enums import IncidentType
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.timezones import local
from invigilator_app.security.credential_store import credential_store_status
from invigilator_app.services import console
from invigilator_app.services.sessions import AllocationView, SessionDetail, list_sessions, session_detail
from invigilator_app.services.station import Station
from invigilator_app.ui.areas import available_areas
from invigilator_app.ui.dialogs import Dialogs
from invigilator_app.ui.models import STATE_TEXT, AllocationsModel, EntriesModel, SessionsModel
from invigilator_app.ui.seating import SeatingPlan


RECENT_DAYS = 30

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


def _table(model: object, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class SessionPanel(QWidget):
    """One session, read-only: header, seating plan, candidates and log."""

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
        self.allocation_view = _table(self.allocations, "Candidates")
        self.entry_view = _table(self.entries, "Log")
        self.tabs.addTab(self.seating, "&Seating plan")
        self.tabs.addTab(self.allocation_view, "&Candidates")
        self.tabs.addTab(self.entry_view, "&Log")
        layout.addWidget(self.tabs, 1)
        self.seating.seat_activated.connect(self.show_candidate)

    def show_detail(self, detail: SessionDetail) -> None:
        self.detail = detail
        current = self.allocation_view.currentIndex().row()
        s = detail.summary
        self.title.setText(f"{s.room} — {s.day:%A %d %B %Y}, {s.start}")
        outstanding = sum(1 for e in detail.entries if e.notify and not e.notified)
        self.subtitle.setText(
            f"Invigilator: {s.invigilator} (IMI PIN {detail.invigilator_pin or 'not recorded'}) · "
            f"State: {STATE_TEXT.get(s.state, s.state)} · Candidates: {s.candidates} · "
            f"Log entries: {len(detail.entries)}"
            + (f" · {outstanding} awaiting notification" if outstanding else "")
        )
        self.seating.set_plan(detail.workstations, detail.allocations, detail.desk)
        self.allocations.set_rows(detail.allocations)
        self.entries.set_rows(detail.entries)
        if 0 <= current < self.allocations.rowCount():
            self.allocation_view.selectRow(current)

    def selected_allocation(self) -> AllocationView | None:
        """The candidate selected in the table, or at the seat focused on the plan."""
        row = self.allocation_view.currentIndex().row()
        if self.tabs.currentWidget() is self.allocation_view and 0 <= row < self.allocations.rowCount():
            return self.allocations.row_at(row)
        if self.tabs.currentWidget() is self.seating and self.seating.seats:
            return self.seating.seats[self.seating.current].allocation
        if 0 <= row < self.allocations.rowCount():
            return self.allocations.row_at(row)
        return None

    def show_candidate(self, label: str) -> None:
        for row in range(self.allocations.rowCount()):
            if self.allocations.row_at(row).workstation == label:
                self.tabs.setCurrentWidget(self.allocation_view)
                self.allocation_view.selectRow(row)
                self.allocation_view.setFocus()
                return


class MainWindow(QMainWindow):
    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        self.setWindowTitle(f"Invigilation station — {station.actor.name} ({station.actor.role.value})")
        self.resize(1366, 768)
        self.sessions = SessionsModel()
        self.session_view = _table(self.sessions, "Sessions")
        self.panel = SessionPanel()
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        heading = QLabel(f"<b>Sessions</b> (from {RECENT_DAYS} days ago on)")
        left_layout.addWidget(heading)
        left_layout.addWidget(self.session_view)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([470, 896])
        self.areas = QTabWidget()
        self.areas.setObjectName("areas")
        self.areas.setDocumentMode(True)
        self.areas.addTab(splitter, "Sessions")
        self.setCentralWidget(self.areas)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.clock.setAccessibleName("Current time")
        clock_font = QFont(self.font())
        clock_font.setPointSizeF(clock_font.pointSizeF() * 1.2)
        clock_font.setBold(True)
        self.clock.setFont(clock_font)
        self.statusBar().addPermanentWidget(self.clock)
        self.dialogs = Dialogs(self)
        self.area_pages: dict[str, QWidget] = {}
        self.statusBar().showMessage(
            f"{station.actor.name} · {station.actor.role.value} · "
            f"{credential_store_status().describe()}"
        )
        self.incident_actions: dict[IncidentType, QAction] = {}
        self.candidate_actions: dict[str, QAction] = {}
        self._actions()
        self._record_actions()
        self.session_view.selectionModel().selectionChanged.connect(self._selected)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self._tick()
        self.refresh()
        for area in available_areas(station):
            self.add_area(area.key, area.title, area.build(station, self.dialogs))

    def add_area(self, key: str, title: str, page: QWidget) -> None:
        """Another part of the station (planning, review, inspection …) as a top-level tab."""
        page.setObjectName(f"area_{key}")
        self.area_pages[key] = page
        self.areas.addTab(page, title)

    def show_area(self, key: str) -> QWidget:
        page = self.area_pages[key]
        self.areas.setCurrentWidget(page)
        return page

    def _actions(self) -> None:
        menu = self.menuBar().addMenu("&Station")
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.setToolTip("Reload sessions from the store (F5)")
        refresh.triggered.connect(self.refresh)
        menu.addAction(refresh)
        about = QAction("&About", self)
        about.triggered.connect(self.about)
        menu.addAction(about)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def _record_actions(self) -> None:
        entries = self.menuBar().addMenu("&Record")
        toolbar = self.addToolBar("Record")
        toolbar.setObjectName("recordToolbar")
        for kind in IncidentType:
            action = QAction(kind.label, self)
            action.setObjectName(f"record_{kind.value}")
            action.setShortcut(QKeySequence(f"Ctrl+Shift+{INCIDENT_KEYS[kind]}"))
            action.setToolTip(f"Log '{kind.label}' now (Ctrl+Shift+{INCIDENT_KEYS[kind]})")
            action.triggered.connect(lambda _checked=False, k=kind: self.record_incident(k))
            entries.addAction(action)
            self.incident_actions[kind] = action
            if kind in TOOLBAR_INCIDENTS:
                toolbar.addAction(action)
        people = self.menuBar().addMenu("&Candidate")
        toolbar.addSeparator()
        for name, label, key, slot in (
            ("identity", "Identity check…", "Ctrl+Shift+K", self.check_identity),
            ("logged_on", "Confirm logged on", "Ctrl+Shift+G", self.confirm_logged_on),
            ("start", "Start", "Ctrl+Shift+T", self.start_candidate),
            ("finish", "Finish", "Ctrl+Shift+N", self.finish_candidate),
            ("absent", "Absent", "Ctrl+Shift+A", self.mark_absent),
        ):
            action = QAction(label, self)
            action.setObjectName(f"candidate_{name}")
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{label.rstrip('…')} for the selected candidate ({key})")
            action.triggered.connect(slot)
            people.addAction(action)
            toolbar.addAction(action)
            self.candidate_actions[name] = action

    def _session_id(self) -> int | None:
        return self.panel.detail.summary.id if self.panel.detail else None

    def _write(self, done: str, call: Callable[[int], object]) -> bool:
        session_id = self._session_id()
        if session_id is None:
            self.dialogs.error("Record", "Choose a session first.")
            return False
        try:
            call(session_id)
        except InvigilatorError as exc:
            self.dialogs.error("Not recorded", "\n".join(exc.lines()))
            return False
        self.statusBar().showMessage(f"Saved {local(self.station.now(), self.station.zone):%H:%M:%S}: {done}", 10000)
        self.reload_session()
        return True

    def reload_session(self) -> None:
        session_id = self._session_id()
        if session_id is not None:
            self.panel.show_detail(session_detail(self.station, session_id))

    def record_incident(self, kind: IncidentType) -> None:
        if self.panel.detail is None:
            self.dialogs.error("Record", "Choose a session first.")
            return
        chosen = self.panel.selected_allocation()
        answer = self.dialogs.entry(kind, self.panel.detail.allocations, chosen.registration_number if chosen else "")
        if answer is None:
            return
        self._write(kind.label, lambda sid: console.record_entry(
            self.station, sid, kind.value, note=answer.note, registration_numbers=answer.registration_numbers,
            question_number=answer.question_number, assessment_id=answer.assessment_id))

    def _candidate(self) -> AllocationView | None:
        chosen = self.panel.selected_allocation()
        if chosen is None:
            self.dialogs.error("Candidate", "Select a candidate on the seating plan or in the Candidates tab.")
        return chosen

    def check_identity(self) -> None:
        chosen = self._candidate()
        if chosen is None:
            return
        answer = self.dialogs.identity(chosen)
        if answer is None:
            return
        self._write(f"identity check for {chosen.candidate_name}", lambda sid: console.check_identity(
            self.station, sid, chosen.registration_number, method=answer.method, id_type=answer.id_type,
            match_confirmed=answer.match_confirmed))

    def confirm_logged_on(self) -> None:
        chosen = self._candidate()
        if chosen is not None:
            self._write(f"{chosen.candidate_name} logged on at {chosen.workstation}",
                        lambda sid: console.confirm_logged_on(self.station, sid, chosen.registration_number))

    def start_candidate(self) -> None:
        chosen = self._candidate()
        if chosen is not None:
            self._write(f"{chosen.candidate_name} started",
                        lambda sid: console.start_candidate(self.station, sid, chosen.registration_number))

    def finish_candidate(self) -> None:
        chosen = self._candidate()
        if chosen is not None:
            self._write(f"{chosen.candidate_name} finished",
                        lambda sid: console.finish_candidate(self.station, sid, chosen.registration_number))

    def mark_absent(self) -> None:
        chosen = self._candidate()
        if chosen is not None:
            self._write(f"{chosen.candidate_name} absent",
                        lambda sid: console.mark_absent(self.station, sid, chosen.registration_number))

    def _tick(self) -> None:
        self.clock.setText(local(self.station.now(), self.station.zone).strftime("%H:%M:%S"))

    def refresh(self) -> None:
        since = local(self.station.now(), self.station.zone).date() - timedelta(days=RECENT_DAYS)
        try:
            rows = list_sessions(self.station, since=since)
        except InvigilatorError as exc:
            QMessageBox.warning(self, "Sessions", exc.message)
            return
        self.sessions.set_rows(list(reversed(rows)))
        if rows:
            self.session_view.selectRow(self._default_row(rows))

    def _default_row(self, rows: list) -> int:  # type: ignore[type-arg]
        today = local(self.station.now(), self.station.zone).date()
        newest_first = list(reversed(rows))
        for i, s in enumerate(newest_first):
            if s.day == today and s.state == "running":
                return i
        for i, s in enumerate(newest_first):
            if s.day == today:
                return i
        return 0

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        summary = self.sessions.row_at(indexes[0].row())
        try:
            self.panel.show_detail(session_detail(self.station, summary.id))
        except InvigilatorError as exc:
            QMessageBox.warning(self, "Session", exc.message)

    def about(self) -> None:
        QMessageBox.about(
            self, "About the invigilation station",
            f"Invigilation station {__version__}\n\nStore: {self.station.db.paths.data_dir}\n"
            f"{credential_store_status().describe()}\nWorks offline; never connects to a network.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        self.station.close()
        super().closeEvent(event)
