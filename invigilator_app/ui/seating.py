"""The seating plan: workstations drawn at their real positions in metres."""

from __future__ import annotations

from dataclasses import dataclass
from math import hypot

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from invigilator_app.services.sessions import AllocationView, WorkstationView
from invigilator_app.ui.models import STATE_TEXT

# Colour is never the only signal: every box also carries the state in words.
STATE_COLOURS = {
    "expected": "#eceff1",
    "identity_checked": "#fff3c4",
    "logged_on": "#ffe0b2",
    "started": "#c8e6c9",
    "finished": "#bbdefb",
    "absent": "#f5f5f5",
    "withdrawn": "#f8d7da",
}
BOX_W, BOX_H = 1.3, 0.95  # metres
MIN_SPACING = 1.5


@dataclass(frozen=True)
class Seat:
    workstation: WorkstationView
    allocation: AllocationView | None


class SeatingPlan(QWidget):
    """Shows the room; a click, or arrow keys and Enter, opens that workstation's candidate."""

    seat_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seats: list[Seat] = []
        self.desk: tuple[float, float] | None = None
        self.current = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(480, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Seating plan")

    def set_plan(self, workstations: list[WorkstationView], allocations: list[AllocationView],
                 desk: tuple[float, float] | None = None) -> None:
        by_label = {a.workstation: a for a in allocations}
        self.seats = [Seat(w, by_label.get(w.label)) for w in workstations]
        self.desk = desk
        self.current = 0
        self.update()

    def _bounds(self) -> QRectF:
        xs = [s.workstation.x for s in self.seats] or [0.0]
        ys = [s.workstation.y for s in self.seats] or [0.0]
        if self.desk:
            xs.append(self.desk[0])
            ys.append(self.desk[1])
        return QRectF(min(xs) - 0.4, min(ys) - 0.6, max(xs) - min(xs) + BOX_W + 0.8, max(ys) - min(ys) + BOX_H + 1.2)

    def _scale(self) -> tuple[float, QPointF]:
        bounds = self._bounds()
        margin = 16
        scale = min((self.width() - 2 * margin) / bounds.width(), (self.height() - 2 * margin - 24) / bounds.height())
        offset = QPointF(margin - bounds.left() * scale, margin + 24 - bounds.top() * scale)
        return scale, offset

    def _rect(self, x: float, y: float) -> QRectF:
        scale, offset = self._scale()
        return QRectF(offset.x() + x * scale, offset.y() + y * scale, BOX_W * scale, BOX_H * scale)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        base = QFont(self.font())
        painter.setPen(QColor("#455a64"))
        painter.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft,
                         "Front of room (candidates face this way) ↑")
        scale, _ = self._scale()
        self._draw_too_close(painter, scale)
        if self.desk:
            desk = self._rect(*self.desk)
            painter.setPen(QPen(QColor("#37474f"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(QColor("#fafafa"))
            painter.drawRect(desk)
            painter.drawText(desk, Qt.AlignmentFlag.AlignCenter, "Invigilator\ndesk")
        for i, seat in enumerate(self.seats):
            self._draw_seat(painter, seat, self._rect(seat.workstation.x, seat.workstation.y), i == self.current, base)
        painter.end()

    def _draw_too_close(self, painter: QPainter, scale: float) -> None:
        pen = QPen(QColor("#c62828"), 2)
        painter.setPen(pen)
        for i, a in enumerate(self.seats):
            for b in self.seats[i + 1:]:
                wa, wb = a.workstation, b.workstation
                if wa.screen or wa.privacy_filter or wb.screen or wb.privacy_filter:
                    continue
                distance = hypot(wa.x - wb.x, wa.y - wb.y)
                if distance < MIN_SPACING:
                    ra, rb = self._rect(wa.x, wa.y), self._rect(wb.x, wb.y)
                    painter.drawLine(ra.center(), rb.center())
                    mid = (ra.center() + rb.center()) / 2
                    painter.drawText(mid + QPointF(4, -4), f"{distance:.2f} m (ROOM-1)")

    def _draw_seat(self, painter: QPainter, seat: Seat, rect: QRectF, focused: bool, base: QFont) -> None:
        alloc = seat.allocation
        state = alloc.state if alloc else ""
        painter.setBrush(QColor(STATE_COLOURS.get(state, "#ffffff")))
        painter.setPen(QPen(QColor("#0d47a1") if focused and self.hasFocus() else QColor("#607d8b"), 3 if focused else 1))
        painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(6, 4, -6, -4)
        bold = QFont(base)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#212121"))
        marks = " ".join(m for m, on in (("▣ screen", seat.workstation.screen), ("◧ filter", seat.workstation.privacy_filter)) if on)
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, seat.workstation.label)
        painter.setFont(base)
        if marks:
            painter.drawText(inner, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, marks)
        lines = ["(empty)"]
        if alloc:
            lines = [alloc.candidate_name, alloc.assessment_id, STATE_TEXT.get(alloc.state, alloc.state).upper()]
        text_rect = inner.adjusted(0, painter.fontMetrics().height() + 2, 0, 0)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                         "\n".join(lines))

    def _seat_at(self, point: QPointF) -> int | None:
        for i, seat in enumerate(self.seats):
            if self._rect(seat.workstation.x, seat.workstation.y).contains(point):
                return i
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        index = self._seat_at(event.position())
        if index is not None:
            self.current = index
            self.update()
            self.seat_activated.emit(self.seats[index].workstation.label)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if not self.seats:
            return super().keyPressEvent(event)
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.current = (self.current + 1) % len(self.seats)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.current = (self.current - 1) % len(self.seats)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.seat_activated.emit(self.seats[self.current].workstation.label)
        else:
            return super().keyPressEvent(event)
        self.update()
