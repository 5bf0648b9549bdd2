"""The room clock: what candidates read from their seats, across the room.

The time in digits at least a fifth of the screen's height; the centre, room, date and the
assessments being sat; each workstation's planned finish in the order they come, with
time up said in words and colour and a paused clock shown as paused. No names: the screen
faces the room. F11 or Esc closes it; every other shortcut keeps working while it is up."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeySequence, QResizeEvent, QScreen, QShortcut
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from invigilator_app.domain.timefmt import clock_text, long_day_text
from invigilator_app.services.console.clock import CandidateClock, SessionClock

DIGITS_SHARE = 0.21  # the digits' own height, as a share of the screen's
STATUS_STYLE = {
    "time_up": "background: #b71c1c; color: white;",
    "paused": "background: #ffb300; color: black;",
    "working": "background: #e8f5e9; color: black;",
    "done": "background: #eceff1; color: #37474f;",
}


def digits_font(base: QFont, digit_height: float, width: float) -> QFont:
    """A bold font whose digits themselves (not the font's box) are ``digit_height`` pixels
    tall, made smaller only if "00:00:00" would not fit in ``width``."""
    digits = QFont(base)
    digits.setBold(True)
    digits.setPixelSize(100)
    probe = QFontMetricsF(digits)
    ink = probe.tightBoundingRect("0123456789").height() / 100
    wide = probe.horizontalAdvance("00:00:00") / 100
    digits.setPixelSize(max(24, int(min(digit_height / ink, (width - 24) / wide))))
    return digits


def finish_order(candidates: list[CandidateClock]) -> list[CandidateClock]:
    """Working candidates by planned finish, then those not started, then those done."""

    def key(c: CandidateClock) -> tuple[int, str, str]:
        if c.state == "started":
            return (0, c.planned_finish or "99:99", c.workstation)
        if c.start:
            return (2, c.planned_finish, c.workstation)
        return (1, "", c.workstation)

    return sorted((c for c in candidates if c.state not in ("absent", "cancelled", "withdrawn")), key=key)


def status_of(c: CandidateClock, now: datetime) -> tuple[str, str]:
    """(words, style key) for one workstation on the room clock."""
    if c.state == "finished":
        return "finished", "done"
    if not c.start:
        return "not started", "done"
    if c.paused_now:
        return f"PAUSED (was {c.planned_finish})", "paused"
    if c.time_up(now):
        return f"TIME UP {c.planned_finish}", "time_up"
    return f"finishes {c.planned_finish}" if c.planned_finish else "started", "working"


class RoomClock(QWidget):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roomClock")
        self.setAccessibleName("Exam clock for the room")
        self.setWindowTitle("Exam clock")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet("QWidget#roomClock { background: white; }")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        self.heading = QLabel("")
        self.heading.setObjectName("roomClockHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setWordWrap(True)
        self.time = QLabel("--:--:--")
        self.time.setObjectName("roomClockTime")
        self.time.setAccessibleName("Current time")
        self.time.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.running = QLabel("")
        self.running.setObjectName("roomClockRunning")
        self.running.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.running.setWordWrap(True)
        self.paused = QLabel("")
        self.paused.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused.setStyleSheet("color: #a4000f;")
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.time)
        layout.addWidget(self.running)
        layout.addWidget(self.paused)
        layout.addWidget(self.grid_holder, 1, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        hint = QLabel("F11 or Esc closes the room clock")
        hint.setAlignment(Qt.AlignmentFlag.AlignRight)
        hint.setStyleSheet("color: #78909c;")
        layout.addWidget(hint)
        # Esc closes it; F11 is the window's own action, which shows and hides it.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.closed.emit)
        self._clock: SessionClock | None = None
        self._now: datetime | None = None
        self.cells: list[tuple[QLabel, QLabel]] = []

    def _px(self, share: float, least: int) -> int:
        screen: QScreen | None = self.screen()  # Qt returns null while no screen is connected; the stubs say never
        height = max(self.height(), screen.geometry().height() if screen and self.isWindow() else 0)
        return max(least, int(height * share))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fonts()

    def _fonts(self) -> None:
        digits = digits_font(self.font(), self._px(DIGITS_SHARE, 40), self.width())
        self.time.setFont(digits)
        self.time.setFixedHeight(int(QFontMetricsF(digits).height()))
        for label, share in ((self.heading, 0.04), (self.running, 0.035), (self.paused, 0.035)):
            font = QFont(self.font())
            font.setPixelSize(self._px(share, 16))
            font.setBold(label is self.heading)
            label.setFont(font)
        self._layout_cells()

    def show_clock(self, clock: SessionClock) -> None:
        self._clock = clock
        day = long_day_text(clock.day) if clock.day else ""
        self.heading.setText(" · ".join(p for p in (clock.centre, clock.room, day) if p))
        running = clock.assessments_running()
        if len(running) > 2:  # codes only, so the line stays one line
            running = [r.split(" ", 1)[0] for r in running]
        self.running.setText(
            ("Assessment: " if len(running) == 1 else "Assessments: ") + ", ".join(running)
            if running
            else f"Session start {clock.session_start}"
        )
        self.paused.setText(
            "CLOCK PAUSED — finish times move on by the length of the pause" if clock.open_pause else ""
        )
        self._layout_cells()

    def tick(self, now_local: datetime) -> None:
        self._now = now_local
        self.time.setText(clock_text(now_local))
        self._layout_cells()

    def _layout_cells(self) -> None:
        clock, now = self._clock, self._now
        if clock is None or now is None:
            return
        rows = finish_order(clock.candidates)
        while len(self.cells) < len(rows):
            seat, status = QLabel(), QLabel()
            seat.setObjectName("roomClockSeat")
            status.setObjectName("roomClockStatus")
            self.cells.append((seat, status))
        for seat, status in self.cells[len(rows) :]:
            seat.hide()
            status.hide()
        cell_px = self._px(0.034, 16)
        free = max(self.height() - self.time.height() - 6 * cell_px - 40, cell_px * 3)
        per_column = max(1, int(free // (cell_px * 1.6)))
        font = QFont(self.font())
        font.setPixelSize(cell_px)
        bold = QFont(font)
        bold.setBold(True)
        for i, c in enumerate(rows):
            seat, status = self.cells[i]
            words, style = status_of(c, now)
            seat.setText(c.workstation)
            seat.setFont(bold)
            status.setText(words)
            status.setFont(bold if style in ("time_up", "paused") else font)
            status.setStyleSheet(f"{STATUS_STYLE[style]} padding: 2px 8px; border-radius: 3px;")
            status.setAccessibleName(f"{c.workstation}: {words}")
            column, row = divmod(i, per_column)
            self.grid.addWidget(seat, row, column * 2)
            self.grid.addWidget(status, row, column * 2 + 1)
            seat.show()
            status.show()
