"""Pages of the session console: the room checklist and the exam clock."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.timefmt import clock_text
from invigilator_app.services.console.checklist import ChecklistItem
from invigilator_app.services.console.clock import SessionClock
from invigilator_app.ui.console.room_clock import DIGITS_SHARE, digits_font
from invigilator_app.ui.models import STATE_TEXT

ANSWER_TEXT = {"": "— choose —", "yes": "Yes", "no": "No (note why)", "n/a": "Not applicable"}


class ChecklistPage(QWidget):
    """ROOM-1 … ROOM-8, answered before any candidate starts; every "no" needs a note."""

    save_requested = Signal(list)
    back_requested = Signal()  # Shift+Tab on the first answer: back to the Log

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        self.invigilator = QLabel("")
        self.invigilator.setWordWrap(True)
        self.invigilator.setAccessibleName("Invigilator for confirmation")
        self.invigilator.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.invigilator)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(3, 2)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_button = QPushButton("&Save checklist")
        self.save_button.clicked.connect(self._save)
        for key in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), self, self._save)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_button.setToolTip("Save the answers (Ctrl+Enter or Ctrl+S)")
        row.addWidget(self.save_button)
        outer.addLayout(row)
        self.answers: dict[str, tuple[QComboBox, QLineEdit]] = {}

    def show_items(self, items: list[ChecklistItem], invigilator: str, pin: str, status: str) -> None:
        self.invigilator.setText(
            f"<b>Invigilator: {invigilator}</b> — IMI PIN <b>{pin or 'not recorded'}</b> (INV-1: log candidates on "
            f"with your own PIN; never type your password where anyone can see it).<br>{status}"
        )
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.answers.clear()
        for header, col in (("Rule", 0), ("Check", 1), ("Answer", 2), ("Note (needed for a “no”)", 3)):
            label = QLabel(f"<b>{header}</b>")
            self.grid.addWidget(label, 0, col)
        for i, item in enumerate(items, start=1):
            self.grid.addWidget(QLabel(f"<b>{item.rule_id}</b>"), i, 0, Qt.AlignmentFlag.AlignTop)
            text = QLabel(item.text + (f"<br><i>{item.hint}</i>" if item.hint else ""))
            text.setWordWrap(True)
            self.grid.addWidget(text, i, 1)
            answer = QComboBox()
            answer.setAccessibleName(f"{item.rule_id} answer")
            for key, shown in ANSWER_TEXT.items():
                answer.addItem(shown, key)
            answer.setCurrentIndex(max(0, answer.findData(item.answer)))
            note = QLineEdit(item.note)
            note.setAccessibleName(f"{item.rule_id} note")
            note.setPlaceholderText("What was seen or done")
            self.grid.addWidget(answer, i, 2, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(note, i, 3, Qt.AlignmentFlag.AlignTop)
            self.answers[item.rule_id] = (answer, note)
        chain = [w for pair in self.answers.values() for w in pair] + [self.save_button]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)  # answer, note, … then Save: the order they are read in
        done = sum(1 for item in items if item.answer)
        self.status.setText(
            "Checklist complete: candidates may start."
            if done == len(items)
            else f"<b>{len(items) - done} of {len(items)} items to answer</b> before any candidate can start."
        )

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 - Qt API
        combos = [combo for combo, _ in self.answers.values()]
        if not next and combos and combos[0].hasFocus():
            self.back_requested.emit()
            return True
        return super().focusNextPrevChild(next)

    def first_field(self) -> QWidget:
        """Where the keyboard starts on the checklist: the first answer still open, else the first."""
        combos = [combo for combo, _ in self.answers.values()]
        return next((c for c in combos if not c.currentData()), combos[0] if combos else self.save_button)

    def set_answer(self, rule_id: str, answer: str, note: str = "") -> None:
        combo, edit = self.answers[rule_id]
        combo.setCurrentIndex(combo.findData(answer))
        edit.setText(note)

    def collected(self) -> list[tuple[str, str, str]]:
        return [
            (rule_id, str(combo.currentData()), edit.text())
            for rule_id, (combo, edit) in self.answers.items()
            if combo.currentData()
        ]

    def _save(self) -> None:
        self.save_requested.emit(self.collected())


class ClockPage(QWidget):
    """Real time, the session's start and each candidate's planned finish. Not a countdown."""

    def __init__(self, parent: QWidget | None = None, *, show_names: bool = True) -> None:
        super().__init__(parent)
        self.show_names = show_names
        layout = QVBoxLayout(self)
        self.time = QLabel("--:--:--")
        self.time.setObjectName("bigClock")
        self.time.setAccessibleName("Current time")
        self.time.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 6)
        big.setBold(True)
        self.time.setFont(big)
        self.times = QLabel("")
        self.times.setAlignment(Qt.AlignmentFlag.AlignCenter)
        medium = QFont(self.font())
        medium.setPointSizeF(medium.pointSizeF() * 1.8)
        self.times.setFont(medium)
        self.paused = QLabel("")
        self.paused.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused.setFont(medium)
        self.paused.setStyleSheet("color: #a4000f;")
        layout.addWidget(self.time)
        layout.addWidget(self.times)
        layout.addWidget(self.paused)
        self.table = QTableWidget(0, 4 if show_names else 3)
        self.table.setAccessibleName("Planned finish times")
        headers = (["Workstation", "Candidate"] if show_names else ["Workstation"]) + ["Started", "Planned finish"]
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table_font = QFont(self.font())
        table_font.setPointSizeF(table_font.pointSizeF() * (1.2 if show_names else 1.6))
        self.table.setFont(table_font)
        layout.addWidget(self.table, 1)

    def tick(self, now_local: datetime, started_local: datetime | None) -> None:
        self.time.setText(clock_text(now_local))
        if started_local is not None:
            elapsed = now_local - started_local
            minutes = max(0, int(elapsed.total_seconds() // 60))
            self._elapsed = f"elapsed {minutes // 60} h {minutes % 60:02d} min"
        else:
            self._elapsed = "not started"
        self.times.setText(f"{self._start_text} · {self._elapsed}")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        """Without names this page faces the room (the lock screen): digits a fifth of the
        window's height, as on the room clock."""
        super().resizeEvent(event)
        if not self.show_names:
            font = digits_font(self.font(), self.window().height() * DIGITS_SHARE, self.width())
            self.time.setFont(font)

    _start_text = "Session start --:--"
    _elapsed = ""

    def show_clock(self, clock: SessionClock) -> None:
        self._start_text = f"Session start {clock.session_start}"
        self.paused.setText("CLOCK PAUSED for some candidates (their finish times move on)" if clock.open_pause else "")
        rows = [c for c in clock.candidates if c.state not in ("absent", "cancelled")]
        self.table.setRowCount(len(rows))
        for r, c in enumerate(rows):
            finish = c.planned_finish or ("—" if c.start else "")
            if c.paused_now:
                finish += " (paused)"
            elif c.paused_minutes:
                finish += f" (+{c.paused_minutes} min pause)"
            if c.extra_time_percent:
                finish += f" (+{c.extra_time_percent}% time)"
            state = STATE_TEXT.get(c.state, c.state)
            values = (
                [c.workstation]
                + ([c.candidate_name] if self.show_names else [])
                + [c.start or state, finish if c.start else ""]
            )
            for col, value in enumerate(values):
                self.table.setItem(r, col, QTableWidgetItem(value))
