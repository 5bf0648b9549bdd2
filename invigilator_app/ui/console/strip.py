"""The console's message strip: what was just saved (or refused), inside the console where
the invigilator is looking, for a few seconds; with Undo for a minute where an action can
be taken back. Screen readers are told of every new message."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

SHOWN_SECONDS = 8
UNDO_SECONDS = 60

STYLES = {
    "done": "QFrame#messageStrip { background: #e8f5e9; border: 1px solid #2e7d32; border-radius: 3px; }",
    "refused": "QFrame#messageStrip { background: #fdecea; border: 1px solid #a4000f; border-radius: 3px; }",
}


class MessageStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageStrip")
        self.setAccessibleName("Message")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel("")
        self.label.setObjectName("messageText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Message")
        row.addWidget(self.label, 1)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setObjectName("undo")
        self.undo_button.clicked.connect(self._undo)
        row.addWidget(self.undo_button)
        self._undo_call: Callable[[], None] | None = None
        self._hide = QTimer(self)
        self._hide.setSingleShot(True)
        self._hide.timeout.connect(self.clear)
        self.hide()

    def show_message(
        self, text: str, *, refused: bool = False, undo: Callable[[], None] | None = None, seconds: int | None = None
    ) -> None:
        """Show a message; with ``undo``, the Undo button stays for a minute."""
        self.setStyleSheet(STYLES["refused" if refused else "done"])
        self.label.setText(text)
        self._undo_call = undo
        self.undo_button.setVisible(undo is not None)
        self.undo_button.setToolTip("Take it back (within a minute; the undo is logged)" if undo else "")
        self.setAccessibleDescription(text)
        self.label.setAccessibleDescription(text)
        self.show()
        self._hide.start(1000 * (seconds or (UNDO_SECONDS if undo else SHOWN_SECONDS)))
        QAccessible.updateAccessibility(QAccessibleEvent(self.label, QAccessible.Event.NameChanged))
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def text(self) -> str:
        parent = self.parentWidget()
        shown = self.isVisibleTo(parent) if parent is not None else self.isVisible()  # as Qt does for no ancestor
        return self.label.text() if shown else ""

    def can_undo(self) -> bool:
        return self._undo_call is not None and self.undo_button.isVisibleTo(self)

    def clear(self) -> None:
        self._undo_call = None
        self._hide.stop()
        self.hide()

    def _undo(self) -> None:
        call, self._undo_call = self._undo_call, None
        self.undo_button.hide()
        if call is not None:
            call()
