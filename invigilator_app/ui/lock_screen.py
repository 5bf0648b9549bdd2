"""The lock screen: after a few idle minutes the station locks itself. During a running
session it still shows the exam clock and the session's times, but no names. Unlocking
with the same user's password returns to exactly where the invigilator was."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.services.console.clock import SessionClock
from invigilator_app.ui.console.pages import ClockPage

INPUT_EVENTS = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
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

    def show_locked(self, user: str, session_clock: SessionClock | None, note: str) -> None:
        self.heading.setText(f"<h2>Station locked</h2>Locked for {user}. {note}")
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
