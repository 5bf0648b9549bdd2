"""The lock screen: after a few idle minutes the station locks itself. During a running
session it still shows the exam clock and the session's times, but no names. Unlocking
with the same user's password returns to exactly where the invigilator was; another
invigilator or a coordinator may take over (a relief invigilator), which the session's log
records.

While locked nothing else of the session is on screen: ``LockGuard`` puts aside the text
typed into every open window or dialog (``Draft``, kept in memory only, offered back after
unlocking), hides them, and hides any window that tries to open until the unlock; only
the windows it is told to allow (the room's full-screen clock, which shows no names) stay.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from invigilator_app.services.console.clock import SessionClock
from invigilator_app.ui.console.pages import ClockPage

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatch(QObject):
    """Notes the time of the last key press or mouse use anywhere in the application."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last = time.monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in INPUT_EVENTS:
            self.last = time.monotonic()
        return False

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last

    def touch(self) -> None:
        self.last = time.monotonic()


@dataclass(frozen=True)
class Draft:
    """Text someone had typed into a window when the station locked."""

    window: str
    text: str


def drafts_of(window: QWidget) -> list[Draft]:
    """The typed text of a window's fields (never a password field)."""
    title = window.windowTitle() or "an open window"
    found: list[Draft] = []
    for edit in window.findChildren(QLineEdit):
        if edit.echoMode() == QLineEdit.EchoMode.Normal and not edit.isReadOnly() and edit.text().strip():
            found.append(Draft(title, edit.text().strip()))
    for text_edit in window.findChildren(QPlainTextEdit):
        if not text_edit.isReadOnly() and text_edit.toPlainText().strip():
            found.append(Draft(title, text_edit.toPlainText().strip()))
    for rich in window.findChildren(QTextEdit):
        if not rich.isReadOnly() and rich.toPlainText().strip():
            found.append(Draft(title, rich.toPlainText().strip()))
    return found


def _put_away(window: QWidget) -> None:
    if isinstance(window, QDialog):
        window.reject()  # ends its exec(): the question counts as not answered
    window.hide()


class LockGuard(QObject):
    """While ``locked()`` says so, no window but the allowed ones is on screen."""

    def __init__(self, main: QWidget, locked: Callable[[], bool], allowed: Callable[[], list[QWidget]]) -> None:
        super().__init__(main)
        self.main = main
        self.locked = locked
        self.allowed = allowed
        self.drafts: list[Draft] = []

    def _foreign(self, widget: QWidget) -> bool:
        return widget.isWindow() and widget is not self.main and all(widget is not a for a in self.allowed())

    def sweep(self) -> None:
        """Put aside the typed text of every open window of the application and hide it."""
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and self._foreign(widget):
                self.drafts.extend(drafts_of(widget))
                _put_away(widget)

    def take_drafts(self) -> list[Draft]:
        drafts, self.drafts = self.drafts, []
        return drafts

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and self.locked()
            and self._foreign(watched)
        ):
            # Put away at the next turn of the event loop, not inside its own show: a dialog
            # shown by exec() that is hidden before its loop starts would never return.
            QTimer.singleShot(0, lambda w=watched: self._late_put_away(w))
        return False

    def _late_put_away(self, widget: QWidget) -> None:
        if isValid(widget) and widget.isVisible() and self.locked():
            self.drafts.extend(drafts_of(widget))
            _put_away(widget)


class LockScreen(QWidget):
    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.heading = QLabel("")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.clock = ClockPage(self, show_names=False)
        layout.addWidget(self.clock, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(QLabel("U&ser"))
        self.user = QLineEdit()
        self.user.setAccessibleName("User to unlock as (another invigilator may take over)")
        self.user.setToolTip("Your own name, or another invigilator's or a coordinator's to take over (relief)")
        self.user.setMinimumWidth(180)
        row.itemAt(row.count() - 1).widget().setBuddy(self.user)  # type: ignore[union-attr]
        row.addWidget(self.user)
        row.addWidget(QLabel("&Password"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password to unlock")
        self.password.setMinimumWidth(260)
        row.itemAt(row.count() - 1).widget().setBuddy(self.password)  # type: ignore[union-attr]
        row.addWidget(self.password)
        self.button = QPushButton("&Unlock")
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #a4000f; font-weight: bold;")
        self.message.setAccessibleName("Unlock message")
        layout.addWidget(self.message)
        self.button.clicked.connect(self._unlock)
        self.password.returnPressed.connect(self._unlock)
        self.user.returnPressed.connect(self.password.setFocus)

    def show_locked(self, user: str, session_clock: SessionClock | None, note: str) -> None:
        self.heading.setText(
            f"<h2>Station locked</h2>Locked for {escape(user)}. Another invigilator or a coordinator "
            f"may take over with their own name and password. {note}"
        )
        self.user.setText(user)
        self.clock.setVisible(session_clock is not None)
        if session_clock is not None:
            self.clock.show_clock(session_clock)
        self.message.clear()
        self.password.clear()
        self.password.setFocus()

    def _unlock(self) -> None:
        password = self.password.text()
        self.password.clear()
        self.unlock_requested.emit(password)
