"""The seating plan: workstations drawn at their real positions in metres."""

from __future__ import annotations

from dataclasses import dataclass
from math import hypot

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from invigilator_app.services.console.sessions import AllocationView, WorkstationView
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
        return QRectF(min(xs), min(ys), max(max(xs) - min(xs), 0.1), max(max(ys) - min(ys), 0.1))

    def _box_size(self) -> tuple[float, float]:
        """Boxes sized for their text (five lines), and never wider than the seat spacing."""
        line = self.fontMetrics().height()
        return 170.0, 5 * line + 12.0

    def _spacing(self) -> float:
        """The smallest horizontal gap between neighbouring seats in a row, in metres."""
        gaps = [abs(a.workstation.x - b.workstation.x) for a in self.seats for b in self.seats
                if a is not b and abs(a.workstation.y - b.workstation.y) < 0.5 and a.workstation.x != b.workstation.x]
        return min(gaps) if gaps else 3.0

    def _scale(self) -> tuple[float, QPointF]:
        bounds = self._bounds()
        box_w, box_h = self._box_size()
        usable_w = max(self.width() - 32 - box_w, 50)
        usable_h = max(self.height() - 40 - box_h, 50)
        scale = min(usable_w / bounds.width(), usable_h / bounds.height())
        offset = QPointF(16 + box_w / 2 - bounds.left() * scale, 32 + box_h / 2 - bounds.top() * scale)
        return scale, offset

    def _rect(self, x: float, y: float) -> QRectF:
        scale, offset = self._scale()
        box_w, box_h = self._box_size()
        box_w = min(box_w, max(scale * self._spacing() - 10, 96.0))
        cx, cy = offset.x() + x * scale, offset.y() + y * scale
        return QRectF(cx - box_w / 2, cy - box_h / 2, box_w, box_h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        base = QFont(self.font())
        painter.setPen(QColor("#455a64"))
        painter.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft,
                         "Front of room (candidates face this way) ↑")
        self._draw_legend(painter)
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

    def _draw_legend(self, painter: QPainter) -> None:
        metrics = painter.fontMetrics()
        x = float(self.width() - 8)
        for state in reversed(("expected", "identity_checked", "logged_on", "started", "finished", "absent")):
            text = STATE_TEXT[state]
            x -= metrics.horizontalAdvance(text) + 8
            painter.setPen(QColor("#263238"))
            painter.drawText(QPointF(x, 18), text)
            x -= 16
            painter.setBrush(QColor(STATE_COLOURS[state]))
            painter.setPen(QColor("#607d8b"))
            painter.drawRect(QRectF(x, 6, 12, 12))
            x -= 10

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
        line = painter.fontMetrics().height()
        bold = QFont(base)
        bold.setBold(True)
        marks = " ".join(m for m, on in (("screen", seat.workstation.screen), ("filter", seat.workstation.privacy_filter)) if on)
        lines: list[tuple[str, QFont]] = [(seat.workstation.label + (f"  [{marks}]" if marks else ""), bold)]
        if alloc:
            lines += [(alloc.candidate_name, base), (alloc.assessment_id, base),
                      (STATE_TEXT.get(alloc.state, alloc.state).upper(), bold)]
            if alloc.arrangements_label:
                lines.append((f"\u2605 {alloc.arrangements_label}", base))
        else:
            lines.append(("(no candidate)", base))
        painter.setPen(QColor("#212121"))
        for i, (text, font) in enumerate(lines):
            painter.setFont(font)
            elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()))
            painter.drawText(QRectF(inner.left(), inner.top() + i * line, inner.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setFont(base)

    def _seat_at(self, point: QPointF) -> int | None:
        for i, seat in enumerate(self.seats):
            if self._rect(seat.workstation.x, seat.workstation.y).contains(point):
                return i
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._seat_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
                return True
            QToolTip.showText(event.globalPos(), self.describe(self.seats[index]), self)
            return True
        return super().event(event)

    @staticmethod
    def describe(seat: Seat) -> str:
        w, a = seat.workstation, seat.allocation
        shield = ", ".join(m for m, on in (("screen", w.screen), ("privacy filter", w.privacy_filter)) if on)
        lines = [f"{w.label} at ({w.x:.1f} m, {w.y:.1f} m){' — ' + shield if shield else ''}"]
        if a is None:
            lines.append("No candidate")
        else:
            lines += [f"{a.candidate_name} ({a.registration_number})",
                      f"Takes exactly: {a.assessment_id} {a.assessment_title}".strip(),
                      f"State: {STATE_TEXT.get(a.state, a.state)}"]
            if a.identity_check:
                lines.append(f"Identity: {a.identity_check}")
            if a.arrangements_label:
                lines.append(f"Access arrangements: {a.arrangements_label}")
        return "\n".join(lines)

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
