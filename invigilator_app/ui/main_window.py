"""The main window: the sessions, the console of the chosen one, and the station's other areas."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta

from PySide6.QtCore import QItemSelection, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from invigilator_app import __version__
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.timezones import local
from invigilator_app.services.access import credential_store_note, unlock_again
from invigilator_app.services.console.clock import SessionClock
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.services.admin.settings import auto_lock_minutes, set_auto_lock_minutes
from invigilator_app.services.station import Station
from invigilator_app.ui.areas import available_areas
from invigilator_app.ui.console.actions import ConsoleActions
from invigilator_app.ui.console.pages import FullScreenClock
from invigilator_app.ui.dialogs import Dialogs
from invigilator_app.ui.lock_screen import IdleWatch, LockScreen
from invigilator_app.ui.models import SessionsModel
from invigilator_app.ui.quality import banner as quality_banner
from invigilator_app.ui.console.panel import SessionPanel
from invigilator_app.ui.widgets import make_table

RECENT_DAYS = 30


class AreaPages(Mapping[str, QWidget]):
    """The areas' pages by key, each built on first use inside its tab."""

    def __init__(self) -> None:
        self._holders: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}

    def add(self, key: str, holder: QWidget, build: Callable[[], QWidget]) -> None:
        self._holders[key] = holder
        self._builders[key] = build

    def holder(self, key: str) -> QWidget:
        return self._holders[key]

    def key_of(self, widget: QWidget | None) -> str | None:
        return next((k for k, h in self._holders.items() if h is widget), None)

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._pages:
            page = self._builders[key]()
            page.setObjectName(f"area_{key}")
            layout = self._holders[key].layout()
            assert layout is not None
            layout.addWidget(page)
            self._pages[key] = page
        return self._pages[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._holders)

    def __len__(self) -> int:
        return len(self._holders)

    def built(self) -> list[str]:
        return list(self._pages)


class MainWindow(QMainWindow):
    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        self.setWindowTitle(f"Invigilation station — {station.actor.name} ({station.actor.role.value})")
        self.resize(1366, 768)
        self.sessions = SessionsModel()
        self.session_view = make_table(self.sessions, "Sessions")
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
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.central = QStackedWidget()
        self.central.addWidget(self.areas)
        self.central.addWidget(self.lock_screen)
        self.setCentralWidget(self.central)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.clock.setAccessibleName("Current time")
        clock_font = QFont(self.font())
        clock_font.setPointSizeF(clock_font.pointSizeF() * 1.2)
        clock_font.setBold(True)
        self.clock.setFont(clock_font)
        self.statusBar().addPermanentWidget(self.clock)
        self.dialogs = Dialogs(self)
        self.area_pages = AreaPages()
        self.credential_note = credential_store_note(station.db.paths.data_dir)
        self.statusBar().showMessage(f"{station.actor.name} · {station.actor.role.value} · {self.credential_note}")
        self.idle = IdleWatch(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.idle_limit_seconds = 60.0 * auto_lock_minutes(station)
        self._session_clock: SessionClock | None = None
        self.full_clock: FullScreenClock | None = None
        self._actions()
        self.console = ConsoleActions(self)
        self.incident_actions = self.console.incident
        self.candidate_actions = self.console.candidate
        self.session_actions = self.console.session
        self.session_view.selectionModel().selectionChanged.connect(self._selected)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self._tick()
        self.refresh()
        for area in available_areas(station):
            self.add_area(area.key, area.title, lambda a=area: a.build(station, self.dialogs))
        self.areas.currentChanged.connect(self._area_shown)
        if station.actor.role.value == "inspector":  # an inspector sees their visit (or the integrity) first
            first = next((k for k in ("visit", "inspection") if k in self.area_pages), None)
            if first is not None:
                self.show_area(first)
        self.quality_due = quality_banner.install(self)

    def add_area(self, key: str, title: str, build: Callable[[], QWidget]) -> None:
        """Another part of the station (planning, review, inspection …) as a top-level tab.
        It is built the first time it is shown, so start-up never waits for its data."""
        holder = QWidget()
        holder.setObjectName(f"area_{key}_tab")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        self.area_pages.add(key, holder, build)
        self.areas.addTab(holder, title)

    def show_area(self, key: str) -> QWidget:
        page = self.area_pages[key]
        self.areas.setCurrentWidget(self.area_pages.holder(key))
        return page

    def current_area(self) -> str:
        return self.area_pages.key_of(self.areas.currentWidget()) or "sessions"

    def _area_shown(self, index: int) -> None:
        key = self.area_pages.key_of(self.areas.widget(index))
        if key is not None:
            self.area_pages[key]

    def _actions(self) -> None:
        menu = self.menuBar().addMenu("&Station")
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.setToolTip("Reload sessions from the store (F5)")
        refresh.triggered.connect(self.refresh)
        menu.addAction(refresh)
        lock = QAction("&Lock now", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.setToolTip("Lock the station now; the exam clock stays on screen (Ctrl+L)")
        lock.triggered.connect(self.lock)
        menu.addAction(lock)
        self.auto_lock_action = QAction("Auto-lock &time\u2026", self)
        self.auto_lock_action.setToolTip("Idle minutes before the station locks itself")
        self.auto_lock_action.triggered.connect(self.choose_auto_lock)
        self.auto_lock_action.setVisible(self.station.actor.role.value == "coordinator")
        menu.addAction(self.auto_lock_action)
        about = QAction("&About", self)
        about.triggered.connect(self.about)
        menu.addAction(about)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def choose_auto_lock(self) -> None:
        options = ["1", "2", "5", "10", "15", "30", "60"]
        chosen = self.dialogs.choose("Auto-lock time", "Lock the station after this many idle minutes:", options)
        if chosen is None:
            return
        try:
            set_auto_lock_minutes(self.station, int(chosen))
        except InvigilatorError as exc:
            self.dialogs.error("Auto-lock time", exc.message)
            return
        self.idle_limit_seconds = 60.0 * int(chosen)
        self.statusBar().showMessage(f"The station now locks after {chosen} idle minute(s).", 10000)

    def show_clock(self, session_clock: SessionClock) -> None:
        self._session_clock = session_clock
        self.panel.clock.show_clock(session_clock)
        if self.full_clock is not None:
            self.full_clock.page.show_clock(session_clock)
        self._tick()

    def open_full_screen_clock(self) -> None:
        if self.panel.detail is None:
            self.dialogs.error("Exam clock", "Choose a session first.")
            return
        self.full_clock = FullScreenClock()
        self.full_clock.setAccessibleName("Exam clock for the room")
        self.console.reload()
        self.full_clock.showFullScreen()

    def _stop_background_work(self) -> None:
        """Cancel every export still running and wait for its thread."""
        for task in list(self.console.tasks):
            task.wait()
        for key in self.area_pages.built():
            shutdown = getattr(self.area_pages[key], "shutdown", None)
            if callable(shutdown):
                shutdown()

    @property
    def locked(self) -> bool:
        return self.central.currentWidget() is self.lock_screen

    def lock(self) -> None:
        """Lock now: the data key is wiped and the store closed; the exam clock stays up."""
        if self.locked:
            return
        session_clock = self._session_clock if self.panel.detail and self.panel.detail.summary.state == "running" else None
        self._stop_background_work()
        self.station.lock()
        self.menuBar().setEnabled(False)
        for bar in self.findChildren(QToolBar):
            bar.setEnabled(False)
        self.statusBar().clearMessage()
        self.lock_screen.show_locked(self.station.actor.name, session_clock, self.credential_note)
        self.central.setCurrentWidget(self.lock_screen)
        self._tick()

    def unlock(self, password: str) -> None:
        try:
            unlock_again(self.station, password)
        except InvigilatorError as exc:
            self.lock_screen.message.setText(exc.message)
            return
        self.menuBar().setEnabled(True)
        for bar in self.findChildren(QToolBar):
            bar.setEnabled(True)
        self.central.setCurrentWidget(self.areas)
        self.idle.touch()
        self.console.reload()

    def _tick(self) -> None:
        if not self.locked and self.idle.idle_seconds() >= self.idle_limit_seconds:
            self.lock()
        now = local(self.station.now(), self.station.zone)
        self.clock.setText(now.strftime("%H:%M:%S"))
        started = self._session_clock.started_at if self._session_clock else None
        started_local = local(started, self.station.zone) if started else None
        self.panel.clock.tick(now, started_local)
        if self.full_clock is not None and self.full_clock.isVisible():
            self.full_clock.page.tick(now, started_local)
        if self.locked:
            self.lock_screen.clock.tick(now, started_local)

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
            self.console.reload(summary.id)
        except InvigilatorError as exc:
            self.dialogs.error("Session", exc.message)

    def about(self) -> None:
        QMessageBox.about(
            self, "About the invigilation station",
            f"Invigilation station {__version__}\n\nStore: {self.station.db.paths.data_dir}\n"
            f"{self.credential_note}\nWorks offline; never connects to a network.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self._stop_background_work()
        if self.full_clock is not None:
            self.full_clock.close()
        self.station.close()
        super().closeEvent(event)
