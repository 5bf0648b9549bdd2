"""The main window: the sessions, the console of the chosen one, and the station's other areas."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from functools import partial
from html import escape

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QSettings,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QCloseEvent, QFont, QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
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
from shiboken6 import isValid

from invigilator_app import __version__
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.timefmt import clock_text
from invigilator_app.domain.timezones import local
from invigilator_app.services.access import credential_store_note, open_station, unlock_again
from invigilator_app.services.admin.settings import (
    auto_lock_minutes,
    set_auto_lock_minutes,
)
from invigilator_app.services.console.clock import SessionClock
from invigilator_app.services.console.relief import take_over
from invigilator_app.services.console.sessions import SessionSummary, list_sessions
from invigilator_app.services.station import Station
from invigilator_app.ui.admin import centre_menu
from invigilator_app.ui.areas import available_areas
from invigilator_app.ui.console.actions import ConsoleActions, ConsoleHost
from invigilator_app.ui.console.panel import SessionPanel
from invigilator_app.ui.console.room_clock import RoomClock
from invigilator_app.ui.dialogs import Dialogs
from invigilator_app.ui.lock_screen import IdleWatch, LockGuard, LockScreen
from invigilator_app.ui.models import SessionsModel
from invigilator_app.ui.quality import banner as quality_banner
from invigilator_app.ui.widgets import FOCUS_STYLE, make_table

RECENT_DAYS = 30
log = logging.getLogger(__name__)
SIZE_KEY = "window/size"  # the last closed size; nothing else is kept in the settings
SMALL_SCREEN = QSize(1366, 768)


def technical_detail(data_dir: object) -> str:
    """For the About box only: the names an IT technician needs."""
    return (
        "Encrypted store: SQLCipher 4 (SQLite), key slots Argon2id + AES-256-GCM; audit trail: SHA-256 hash "
        f"chain with signed checkpoints.\n{credential_store_note(data_dir, technical=True)}"  # type: ignore[arg-type]
    )


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
        self.setStyleSheet(FOCUS_STYLE)
        self._place()
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
        splitter.setSizes([400, 966])
        self.splitter = splitter
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
        self.credential_note = credential_store_note(station.db.paths.data_dir, technical=False)
        self.statusBar().showMessage(f"{station.actor.name} · {station.actor.role.value} · {self.credential_note}")
        self.idle = IdleWatch(self)
        self.guard = LockGuard(
            self, lambda: self.locked, lambda: [w for w in (getattr(self, "second_clock", None),) if w is not None]
        )
        self._held: list[QAction | QShortcut] = []
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
            app.installEventFilter(self.guard)
        self.idle_limit_seconds = 60.0 * auto_lock_minutes(station)
        self._session_clock: SessionClock | None = None
        self.room_clock = RoomClock()
        self.room_clock.closed.connect(self.close_room_clock)
        self.central.addWidget(self.room_clock)
        self.second_clock: RoomClock | None = None
        self._was_maximised = False
        self._actions()
        self.console = ConsoleActions(
            ConsoleHost(
                window=self,
                station=station,
                panel=self.panel,
                dialogs=lambda: self.dialogs,
                show_clock=self.show_clock,
                open_room_clock=self.toggle_room_clock,
                sessions_changed=self.refresh_list,
                run=self.run_safely,
            )
        )
        self.incident_actions = self.console.incident
        self.candidate_actions = self.console.candidate
        self.session_actions = self.console.session
        self.session_view.selectionModel().selectionChanged.connect(self._selected)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self._tick()
        self.refresh_list()
        self.panel.seating.setFocus(Qt.FocusReason.OtherFocusReason)  # the keyboard starts on the room
        for area in available_areas(station):
            self.add_area(area.key, area.title, partial(area.build, station, self.dialogs))
        self.areas.currentChanged.connect(self._area_shown)
        if station.actor.role.value == "inspector":  # an inspector sees their visit (or the integrity) first
            first = next((k for k in ("visit", "inspection") if k in self.area_pages), None)
            if first is not None:
                self.show_area(first)
        self.quality_due = quality_banner.install(self)
        self.centre = centre_menu.install(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not getattr(self, "_split_done", False):  # the sessions list takes about a quarter of the width
            self._split_done = True
            width = max(self.width(), 800)
            left = max(min(int(width * 0.28), 440), 260)
            self.splitter.setSizes([left, width - left])

    def _place(self) -> None:
        """Maximised on an exam-room screen of 1366×768 or less (so the message strip and
        status bar are never off screen); elsewhere at the size it was last closed."""
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        full, free = screen.geometry(), screen.availableGeometry()
        if full.width() <= SMALL_SCREEN.width() or full.height() <= SMALL_SCREEN.height():
            self.resize(free.size())
            self.setWindowState(Qt.WindowState.WindowMaximized)
            return
        saved = QSettings().value(SIZE_KEY)
        size = (
            saved
            if isinstance(saved, QSize) and saved.isValid()
            else QSize(int(free.width() * 0.85), int(free.height() * 0.85))
        )
        size = size.boundedTo(free.size()).expandedTo(QSize(800, 560))
        self.resize(size)
        self.move(free.center().x() - size.width() // 2, free.center().y() - size.height() // 2)

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
        self.console.set_shown(index == 0)
        if index == 0 and not self.locked:
            # Back from another area (a review sign-off, a re-plan): the list and console read again.
            self.refresh_list(reload=True)
        key = self.area_pages.key_of(self.areas.widget(index))
        if key is not None:
            self.area_pages[key]

    def _actions(self) -> None:
        menu = self.menuBar().addMenu("Stati&on")
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.setToolTip("Reload sessions from the store (F5)")
        refresh.triggered.connect(lambda: self.run_safely(self.refresh))
        menu.addAction(refresh)
        lock = QAction("&Lock now", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.setToolTip("Lock the station now; the exam clock stays on screen (Ctrl+L)")
        lock.triggered.connect(lambda: self.run_safely(self.lock))
        menu.addAction(lock)
        self.auto_lock_action = QAction("Auto-lock &time\u2026", self)
        self.auto_lock_action.setToolTip("Idle minutes before the station locks itself")
        self.auto_lock_action.triggered.connect(lambda: self.run_safely(self.choose_auto_lock))
        self.auto_lock_action.setVisible(self.station.actor.role.value == "coordinator")
        menu.addAction(self.auto_lock_action)
        about = QAction("&About", self)
        about.triggered.connect(lambda: self.run_safely(self.about))
        menu.addAction(about)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.setToolTip("Close the station (Ctrl+Q)")
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        self.second_screen_action = QAction("Room clock on the &second screen", self)
        self.second_screen_action.setShortcut(QKeySequence("Shift+F11"))
        self.second_screen_action.setToolTip("Show the room clock full screen on the second screen (Shift+F11)")
        self.second_screen_action.triggered.connect(self.toggle_second_screen_clock)
        self.second_screen_action.setVisible(len(QGuiApplication.screens()) > 1)
        menu.insertAction(about, self.second_screen_action)
        for action in (refresh, lock, quit_action, self.second_screen_action):
            self.addAction(action)  # shortcuts work with the menu bar hidden (room clock)

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
        for room_clock in self._room_clocks():
            room_clock.show_clock(session_clock)
        self._tick()

    def _room_clocks(self) -> list[RoomClock]:
        return [self.room_clock] + ([self.second_clock] if self.second_clock is not None else [])

    @property
    def room_clock_shown(self) -> bool:
        return self.central.currentWidget() is self.room_clock

    def toggle_room_clock(self) -> None:
        """F11: the room clock fills this screen; every shortcut keeps working. F11/Esc closes it."""
        if self.room_clock_shown:
            self.close_room_clock()
            return
        if self.panel.detail is None:
            self.dialogs.error("Room clock", "Choose a session first.")
            return
        if self.locked:
            return
        self._was_maximised = self.isMaximized()
        for widget in (self.menuBar(), self.statusBar(), *self.findChildren(QToolBar)):
            widget.hide()
        self.central.setCurrentWidget(self.room_clock)
        self.showFullScreen()
        self.console.reload()
        self.room_clock.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_room_clock(self) -> None:
        if not self.room_clock_shown:
            return
        self.central.setCurrentWidget(self.areas)
        for widget in (self.menuBar(), self.statusBar(), *self.findChildren(QToolBar)):
            widget.show()
        self.console.set_shown(self.areas.currentIndex() == 0)
        self.showMaximized() if self._was_maximised else self.showNormal()
        self.panel.seating.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def toggle_second_screen_clock(self) -> None:
        """With a second screen: the room clock full screen there, the console stays here."""
        if self.second_clock is not None:
            self.second_clock.close()
            self.second_clock = None
            return
        screens = QGuiApplication.screens()
        mine = self.screen()
        other = next((sc for sc in screens if sc is not mine), None)
        if other is None or self.panel.detail is None:
            self.dialogs.error("Room clock", "There is no second screen (or no session chosen).")
            return
        self.second_clock = RoomClock()
        # Its shortcuts are the console's (F11 stays the console's own room clock).
        self.second_clock.addActions([a for a in self.actions() if a.shortcut().toString() != "F11"])
        self.second_clock.closed.connect(self.toggle_second_screen_clock)
        self.second_clock.setScreen(other)
        self.second_clock.setGeometry(other.geometry())
        self.second_clock.showFullScreen()
        self.console.reload()

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
        """Lock now: the data key is wiped and the store closed; the exam clock stays up.
        Every other window and dialog is put away (its typed text kept in memory for the
        unlock), and every action and shortcut is disabled (the lock screen keeps the clock)."""
        if self.locked:
            return
        self.close_room_clock()
        session_clock = (
            self._session_clock if self.panel.detail and self.panel.detail.summary.state == "running" else None
        )
        self.central.setCurrentWidget(self.lock_screen)  # locked from here on: nothing new may show
        self.guard.sweep()
        self._stop_background_work()
        self.station.lock()
        self.menuBar().setEnabled(False)
        for bar in self.findChildren(QToolBar):
            bar.setEnabled(False)
        items: list[QAction | QShortcut] = [*self.findChildren(QAction), *self.findChildren(QShortcut)]
        self._held = [a for a in items if a.isEnabled() and self._in_this_window(a) and not self._on_lock_screen(a)]
        for item in self._held:
            item.setEnabled(False)
        self.statusBar().clearMessage()
        self.lock_screen.show_locked(self.station.actor.name, session_clock, self.credential_note)
        self._tick()

    def _in_this_window(self, item: QAction | QShortcut) -> bool:
        """Of this window, not of a form that was just put away (it goes with its form)."""
        parent = item.parent()
        return isinstance(parent, QWidget) and parent.window() is self

    def _on_lock_screen(self, item: QAction | QShortcut) -> bool:
        parent = item.parent()
        return isinstance(parent, QWidget) and (parent is self.lock_screen or self.lock_screen.isAncestorOf(parent))

    def run_safely(self, slot: Callable[[], object]) -> None:
        """Run an action's slot: never while locked, and no exception escapes it: a
        refusal is shown, anything else is logged and reported."""
        if self.locked:
            return
        try:
            slot()
        except InvigilatorError as exc:
            self.dialogs.error("Not done", "\n".join(exc.lines()))
        except Exception as exc:  # the last guard of a shortcut: never a traceback
            log.exception("action failed")
            self.dialogs.error("Not done", f"Unexpected error ({exc.__class__.__name__}); nothing was changed.")

    def _running_session(self) -> int | None:
        detail = self.panel.detail
        return detail.summary.id if detail is not None and detail.summary.state == "running" else None

    def unlock(self, password: str) -> None:
        """The locked user's password unlocks; another invigilator's or a coordinator's
        takes over (a relief invigilator), logged in the running session."""
        name = self.lock_screen.user.text().strip() or self.station.actor.name
        note = ""
        try:
            if name.casefold() == self.station.actor.name.casefold():
                unlock_again(self.station, password)
            else:
                relief = open_station(self.station.db.paths.data_dir, password, user=name, clock=self.station.clock)
                note = take_over(self.station, relief, self._running_session())
        except InvigilatorError as exc:
            self.lock_screen.message.setText(exc.message)
            return
        for item in self._held:
            if isValid(item):
                item.setEnabled(True)
        self._held = []
        self.menuBar().setEnabled(True)
        for bar in self.findChildren(QToolBar):
            bar.setEnabled(True)
        if note:
            self._after_take_over(note)
        self.central.setCurrentWidget(self.areas)
        self.idle.touch()
        try:
            self.console.reload()
        except InvigilatorError as exc:
            self.dialogs.error("Session", exc.message)
        drafts = self.guard.take_drafts()
        if drafts:
            rows = "".join(f"<p><b>{escape(d.window)}</b><br/>{escape(d.text)}</p>" for d in drafts)
            self.dialogs.info(
                "Text put aside when the station locked",
                f"The station locked while this was being typed; it was not saved. Copy what you still need:{rows}",
            )

    def _after_take_over(self, note: str) -> None:
        """A new user at the window: title, role-bound menus and areas follow them."""
        actor = self.station.actor
        self.setWindowTitle(f"Invigilation station — {actor.name} ({actor.role.value})")
        self.auto_lock_action.setVisible(actor.role.value == "coordinator")
        allowed = {a.key for a in available_areas(self.station)}
        for key in self.area_pages:
            holder = self.area_pages.holder(key)
            self.areas.setTabVisible(self.areas.indexOf(holder), key in allowed)
        for area in available_areas(self.station):
            if area.key not in self.area_pages:
                self.add_area(area.key, area.title, partial(area.build, self.station, self.dialogs))
        self.statusBar().showMessage(note, 30000)

    def _tick(self) -> None:
        if not self.locked and self.idle.idle_seconds() >= self.idle_limit_seconds:
            self.lock()
        now = local(self.station.now(), self.station.zone)
        self.clock.setText(clock_text(now))
        started = self._session_clock.started_at if self._session_clock else None
        started_local = local(started, self.station.zone) if started else None
        self.panel.clock.tick(now, started_local)
        for room_clock in self._room_clocks():
            if room_clock.isVisible():
                room_clock.tick(now)
        if self.locked:
            self.lock_screen.clock.tick(now, started_local)

    def refresh(self) -> None:
        """F5: the sessions list and the shown session, read again; the chosen session stays."""
        self.refresh_list(reload=True)

    def refresh_list(self, reload: bool = False) -> None:
        """Reload the sessions list after any change (a sign-off shows as Closed at once). The
        chosen session stays chosen; with ``reload`` its console is read again too."""
        since = local(self.station.now(), self.station.zone).date() - timedelta(days=RECENT_DAYS)
        try:
            rows = list_sessions(self.station, since=since)
        except InvigilatorError as exc:
            self.dialogs.error("Sessions", exc.message)
            return
        shown = self.panel.detail.summary.id if self.panel.detail else None
        newest_first = list(reversed(rows))
        ids = [r.id for r in newest_first]
        selection = self.session_view.selectionModel()
        keep = shown in ids
        selection.blockSignals(keep)
        try:
            self.sessions.set_rows(newest_first)
            if rows:
                row = ids.index(shown) if keep and shown is not None else self._default_row(rows)
                selection.setCurrentIndex(
                    self.sessions.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
        finally:
            selection.blockSignals(False)
        self.session_view.viewport().update()
        if keep and reload:
            self.console.reload()

    def _default_row(self, rows: list[SessionSummary]) -> int:
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
        """Plain words first; the technical detail an IT technician needs below them."""
        QMessageBox.about(
            self,
            "About the invigilation station",
            f"Invigilation station {__version__}\n\nRecords are kept on this PC in: {self.station.db.paths.data_dir}\n"
            f"{self.credential_note}\nWorks offline; never connects to a network.\n\n"
            f"Technical detail\n{technical_detail(self.station.db.paths.data_dir)}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.guard)
        self._stop_background_work()
        if self.second_clock is not None:
            self.second_clock.close()
        for dialog in self.findChildren(QDialog):
            dialog.close()  # forms and the shortcuts overlay go with the window
        if not self.room_clock_shown and not self.isFullScreen():
            QSettings().setValue(SIZE_KEY, self.size())
        self.station.close()
        super().closeEvent(event)
