"""The seating plan: workstations drawn at their real positions in metres."""

from __future__ import annotations

from dataclasses import dataclass
from math import hypot

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from invigilator_app.services.console.sessions import AllocationView, WorkstationView
from invigilator_app.ui.models import STATE_TEXT, short_text

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
MIN_SPACING = 1.5
LEGEND = ("expected", "identity_checked", "logged_on", "started", "finished", "absent")
FRONT = "Front of room (candidates face this way) ↑"


@dataclass(frozen=True)
class Seat:
    workstation: WorkstationView
    allocation: AllocationView | None


FRONT_TEXT = {
    "north": "Front of room (candidates face this way) ↑",
    "south": "Front of room (candidates face this way) ↓",
    "east": "Front of room (candidates face this way) →",
    "west": "Front of room (candidates face this way) ←",
}


class SeatingPlan(QWidget):
    """Shows the room. A click or the arrow keys (by position in the room) select a seat;
    Enter or a double click opens that workstation's candidate in the Candidates tab."""

    seat_activated = Signal(str)
    seat_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seats: list[Seat] = []
        self.desk: tuple[float, float] | None = None
        self.door: tuple[float, float] | None = None
        self.facing = "north"
        self.current = 0
        self._measured: tuple[list[Seat], str, tuple[float, float], tuple[float, float]] | None = None
        """The seats, font and the card size and gaps measured for them (``_measured_for``)."""
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Seating plan")

    def set_plan(
        self,
        workstations: list[WorkstationView],
        allocations: list[AllocationView],
        desk: tuple[float, float] | None = None,
        door: tuple[float, float] | None = None,
        facing: str = "north",
    ) -> None:
        """A new plan (or the same one reloaded): the selected seat stays selected."""
        kept = self.seats[self.current].workstation.label if self.seats and self.current < len(self.seats) else None
        by_label = {a.workstation: a for a in allocations}
        self.seats = [Seat(w, by_label.get(w.label)) for w in workstations]
        self.desk = desk
        self.door, self.facing = door, facing
        labels = [s.workstation.label for s in self.seats]
        self.current = labels.index(kept) if kept in labels else 0
        self.updateGeometry()
        self._announce()
        self.update()

    def select_label(self, label: str) -> None:
        """Select a seat without telling anyone (the panel keeps the plan and table together)."""
        for i, seat in enumerate(self.seats):
            if seat.workstation.label == label and i != self.current:
                self.current = i
                self._announce()
                self.update()

    def current_rect(self) -> QRectF | None:
        if not self.seats:
            return None
        w = self.seats[self.current].workstation
        return self._rect(w.x, w.y)

    def current_label(self) -> str | None:
        return self.seats[self.current].workstation.label if self.seats else None

    def _announce(self) -> None:
        if self.seats:
            self.setAccessibleDescription(self.describe(self.seats[self.current]).replace("\n", "; "))

    def _bounds(self) -> QRectF:
        xs = [s.workstation.x for s in self.seats] or [0.0]
        ys = [s.workstation.y for s in self.seats] or [0.0]
        for point in (self.desk, self.door):
            if point:
                xs.append(point[0])
                ys.append(point[1])
        return QRectF(min(xs), min(ys), max(max(xs) - min(xs), 0.1), max(max(ys) - min(ys), 0.1))

    def _lines(self, seat: Seat) -> list[tuple[str, bool]]:
        """The card's text, one (line, bold) each: it grows with the font, never truncated."""
        marks = " ".join(
            m for m, on in (("screen", seat.workstation.screen), ("filter", seat.workstation.privacy_filter)) if on
        )
        lines = [(seat.workstation.label + (f"  [{marks}]" if marks else ""), True)]
        alloc = seat.allocation
        if alloc:
            lines += [
                (short_text(alloc.candidate_name), False),
                (short_text(alloc.assessment_id), False),
                (STATE_TEXT.get(alloc.state, alloc.state).upper(), True),
            ]
            if alloc.arrangements_label:
                lines.append((f"\u2605 {alloc.arrangements_label}", False))
        else:
            lines.append(("(no candidate)", False))
        return lines

    def _box_size(self) -> tuple[float, float]:
        return self._measured_for()[0]

    def _gaps(self) -> tuple[float, float]:
        return self._measured_for()[1]

    def _measured_for(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The card size and the gaps, measured once per plan and font: every card's place
        depends on them, and measuring every card's text again for each was most of a paint."""
        font = self.font().key()
        if self._measured is None or self._measured[0] is not self.seats or self._measured[1] != font:
            self._measured = (self.seats, font, self._measure_box(), self._measure_gaps())
        return self._measured[2], self._measured[3]

    def _measure_box(self) -> tuple[float, float]:
        """Cards sized for their text in this font: the label, name, assessment and state lines
        always fit whole; access arrangements are cut at the width of the longest of those
        (the tooltip and Candidates tab have them in full)."""
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetricsF(bold)
        widest = max(
            (
                bold_metrics.horizontalAdvance(t) if b else metrics.horizontalAdvance(t)
                for s in self.seats
                for t, b in self._lines(s)[:4]
            ),
            default=100.0,
        )
        count = max((len(self._lines(s)) for s in self.seats), default=5)
        # Never narrower than 9 characters, never wider than 32 (a longer name is cut, whole in the tooltip).
        width = min(max(widest + 16.0, 9.0 * metrics.averageCharWidth()), 32.0 * metrics.averageCharWidth())
        return width, count * metrics.height() + 12.0

    def _measure_gaps(self) -> tuple[float, float]:
        """The smallest gaps between neighbouring seats, across a row and between rows, in metres."""
        xs = [
            abs(a.workstation.x - b.workstation.x)
            for a in self.seats
            for b in self.seats
            if a is not b and abs(a.workstation.y - b.workstation.y) < 0.5 and a.workstation.x != b.workstation.x
        ]
        ys = [
            abs(a.workstation.y - b.workstation.y)
            for a in self.seats
            for b in self.seats
            if a is not b and abs(a.workstation.x - b.workstation.x) < 0.5 and a.workstation.y != b.workstation.y
        ]
        return (min(xs) if xs else 3.0), (min(ys) if ys else 3.0)

    def _legend_width(self) -> float:
        metrics = self.fontMetrics()
        return sum(metrics.horizontalAdvance(STATE_TEXT[s]) + metrics.ascent() + 14 for s in LEGEND)

    def _legend_wraps(self) -> bool:
        """The legend goes under the "front of room" line when both do not fit on one."""
        front = self.fontMetrics().horizontalAdvance(FRONT) + 24
        return front + self._legend_width() > self.width()

    def _header(self) -> float:
        return self.fontMetrics().height() * (2.8 if self.seats and self._legend_wraps() else 1.6)

    def _min_scales(self) -> tuple[float, float]:
        """Pixels per metre, across and front to back, at which no two cards overlap."""
        box_w, box_h = self._box_size()
        gap_x, gap_y = self._gaps()
        return (box_w + 10) / gap_x, (box_h + 10) / gap_y

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        if not self.seats:
            return QSize(320, 200)
        bounds = self._bounds()
        box_w, box_h = self._box_size()
        sx, sy = self._min_scales()
        return QSize(int(bounds.width() * sx + box_w + 32), int(bounds.height() * sy + box_h + self._header() + 24))

    def _scale(self) -> tuple[float, float, QPointF]:
        """To scale where the room fits; where it does not, stretched just enough across or
        front to back that no card covers another (the plan scrolls only if even that fails)."""
        bounds = self._bounds()
        box_w, box_h = self._box_size()
        usable_w = max(self.width() - 32 - box_w, 50)
        usable_h = max(self.height() - self._header() - 16 - box_h, 50)
        uniform = min(usable_w / bounds.width(), usable_h / bounds.height())
        min_x, min_y = self._min_scales()
        sx, sy = max(uniform, min_x), max(uniform, min_y)
        spare_w = max(0.0, usable_w - bounds.width() * sx) / 2  # centred in the space left
        offset = QPointF(
            16 + spare_w + box_w / 2 - bounds.left() * sx, self._header() + 8 + box_h / 2 - bounds.top() * sy
        )
        return sx, sy, offset

    def _rect(self, x: float, y: float) -> QRectF:
        sx, sy, offset = self._scale()
        box_w, box_h = self._box_size()
        cx, cy = offset.x() + x * sx, offset.y() + y * sy
        return QRectF(cx - box_w / 2, cy - box_h / 2, box_w, box_h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        base = QFont(self.font())
        painter.setPen(QColor("#455a64"))
        if self.hasFocus():  # the focus frame: where the keyboard is
            painter.setPen(QPen(QColor("#0d47a1"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.setPen(QColor("#455a64"))
        painter.drawText(
            QRectF(8, 4, self.width() - 16, self._header()),
            Qt.AlignmentFlag.AlignLeft,
            FRONT_TEXT.get(self.facing, FRONT_TEXT["north"]),
        )
        self._draw_legend(painter)
        self._draw_too_close(painter)
        if self.desk:
            desk = self._rect(*self.desk)
            painter.setPen(QPen(QColor("#37474f"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(QColor("#fafafa"))
            painter.drawRect(desk)
            painter.drawText(desk, Qt.AlignmentFlag.AlignCenter, "Invigilator\ndesk")
        if self.door:
            door = self._rect(*self.door)
            door = QRectF(door.center().x() - door.width() / 2, door.center().y() - 5, door.width(), 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#e65100"))
            painter.drawRect(door)
            painter.setPen(QColor("#e65100"))
            painter.drawText(door.adjusted(0, 10, 0, 26), Qt.AlignmentFlag.AlignHCenter, "Door")
        for i, seat in enumerate(self.seats):
            self._draw_seat(painter, seat, self._rect(seat.workstation.x, seat.workstation.y), i == self.current, base)
        painter.end()

    def _draw_legend(self, painter: QPainter) -> None:
        metrics = painter.fontMetrics()
        x = float(self.width() - 8)
        base = 4 + metrics.ascent() + (metrics.height() * 1.2 if self._legend_wraps() else 0)
        box = metrics.ascent() - 2
        for state in reversed(LEGEND):
            text = STATE_TEXT[state]
            x -= metrics.horizontalAdvance(text) + 8
            painter.setPen(QColor("#263238"))
            painter.drawText(QPointF(x, base), text)
            x -= box + 4
            painter.setBrush(QColor(STATE_COLOURS[state]))
            painter.setPen(QColor("#607d8b"))
            painter.drawRect(QRectF(x, base - box, box, box))
            x -= 10

    def _draw_too_close(self, painter: QPainter) -> None:
        pen = QPen(QColor("#c62828"), 2)
        painter.setPen(pen)
        for i, a in enumerate(self.seats):
            for b in self.seats[i + 1 :]:
                wa, wb = a.workstation, b.workstation
                if wa.screen or wa.privacy_filter or wb.screen or wb.privacy_filter:
                    continue
                distance = hypot(wa.x - wb.x, wa.y - wb.y)
                if distance < MIN_SPACING:
                    ra, rb = self._rect(wa.x, wa.y), self._rect(wb.x, wb.y)
                    painter.drawLine(ra.center(), rb.center())
                    mid = (ra.center() + rb.center()) / 2
                    painter.drawText(mid + QPointF(4, -4), f"{distance:.2f} m (ROOM-1)")

    def _draw_seat(self, painter: QPainter, seat: Seat, rect: QRectF, selected: bool, base: QFont) -> None:
        alloc = seat.allocation
        state = alloc.state if alloc else ""
        painter.setBrush(QColor(STATE_COLOURS.get(state, "#ffffff")))
        if selected:
            # The selected seat is marked with or without focus; with focus it gets the frame too.
            painter.setPen(QPen(QColor("#0d47a1"), 4))
            painter.drawRoundedRect(rect, 6, 6)
            if self.hasFocus():
                painter.setPen(QPen(QColor("#0d47a1"), 2, Qt.PenStyle.DotLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect.adjusted(-5, -5, 5, 5), 8, 8)
        else:
            painter.setPen(QPen(QColor("#607d8b"), 1))
            painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(6, 6, -6, -6)
        line = painter.fontMetrics().height()
        bold = QFont(base)
        bold.setBold(True)
        painter.setPen(QColor("#212121"))
        for i, (text, is_bold) in enumerate(self._lines(seat)):
            painter.setFont(bold if is_bold else base)
            elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()) + 2)
            painter.drawText(
                QRectF(inner.left(), inner.top() + i * line, inner.width() + 2, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                elided,
            )
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
            lines += [
                f"{a.candidate_name} ({a.registration_number})",
                f"Takes exactly: {a.assessment_id} {a.assessment_title}".strip(),
                f"State: {STATE_TEXT.get(a.state, a.state)}",
            ]
            if a.identity_check:
                lines.append(f"Identity: {a.identity_check}")
            if a.arrangements_label:
                lines.append(f"Access arrangements: {a.arrangements_label}")
        return "\n".join(lines)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        index = self._seat_at(event.position())
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if index is not None:
            self._move_to(index)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        index = self._seat_at(event.position())
        if index is not None:
            self._move_to(index)
            self.seat_activated.emit(self.seats[index].workstation.label)

    def _move_to(self, index: int) -> None:
        self.current = index
        self._announce()
        self.update()
        self.seat_selected.emit(self.seats[index].workstation.label)

    def neighbour(self, dx: int, dy: int) -> int:
        """The nearest seat in that direction in the room (x right, y towards the back);
        a seat in the same row or column wins over a nearer one diagonally."""
        here = self.seats[self.current].workstation
        best, best_score = self.current, float("inf")
        for i, seat in enumerate(self.seats):
            vx, vy = seat.workstation.x - here.x, seat.workstation.y - here.y
            along = vx * dx + vy * dy
            if i == self.current or along <= 0.05:
                continue
            score = along + 3 * abs(vx * dy - vy * dx)
            if score < best_score:
                best, best_score = i, score
        return best

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if not self.seats or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return super().keyPressEvent(event)
        moves = {Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Down: (0, 1), Qt.Key.Key_Up: (0, -1)}
        key = Qt.Key(event.key())
        if key in moves:
            self._move_to(self.neighbour(*moves[key]))
        elif key == Qt.Key.Key_Home:
            self._move_to(0)
        elif key == Qt.Key.Key_End:
            self._move_to(len(self.seats) - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.seat_activated.emit(self.seats[self.current].workstation.label)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.update()
