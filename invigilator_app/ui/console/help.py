"""F1: every shortcut of the main window, read from its actions, in an overlay that scrolls
and never grows taller than the screen."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# Keys that belong to no action: how the keyboard moves through the console.
MOVING = (
    ("Tab / Shift+Tab", "Seating plan → Candidates → Log → Room checklist → out, and back"),
    ("Arrow keys", "On the seating plan: the next seat in that direction in the room"),
    ("Home / End", "On the seating plan: the first / last seat"),
    ("Enter", "On the seating plan: the selected candidate's row in the Candidates tab"),
    ("Alt+P, Alt+A, Alt+L, Alt+H, Alt+K", "Seating plan, Candidates, Log, Room checklist, Clock"),
    ("Ctrl+Enter", "Save the open form"),
    ("Enter on an empty note", "Save a log entry at once (the note is optional)"),
    ("Esc", "Cancel the open form; close the room clock"),
)


def action_rows(window: QWidget) -> list[tuple[str, str]]:
    """(shortcut, what it does) for every enabled, visible action of the window that has one."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for action in window.findChildren(QAction):
        key = action.shortcut().toString()
        if not key or key in seen or not action.isVisible():
            continue
        seen.add(key)
        label = action.text().replace("&", "").split(" — ")[0]  # without the selected candidate's name
        rows.append((key, label))
    return rows


class ShortcutsOverlay(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsOverlay")
        self.setWindowTitle("Keyboard shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        rows = action_rows(window)
        self.keys = [k for k, _ in rows] + [k for k, _ in MOVING]

        def table(items: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
            return (
                "<table cellpadding='3'>"
                + "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in items)
                + "</table>"
            )

        self.text = QLabel("<h3>Moving around</h3>" + table(MOVING) + "<h3>Actions</h3>" + table(rows))
        self.text.setObjectName("shortcutsText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Keyboard shortcuts")
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.text)
        self.scroll_area.setWidgetResizable(True)
        layout.addWidget(self.scroll_area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        shown_on: QScreen | None = window.screen()  # Qt returns null while no screen is connected; the stubs say never
        screen = (shown_on or QGuiApplication.primaryScreen()).availableGeometry()
        width = min(self.fontMetrics().averageCharWidth() * 90, int(screen.width() * 0.9))
        self.resize(width, min(self.text.heightForWidth(width - 40) + 120, int(screen.height() * 0.8)))
        self.scroll_area.setFocus()
