"""The room layout editor's canvas: workstations and the invigilator's desk on a metre
grid, moved by dragging (snapped to 10 cm) or with the arrow keys; ROOM-1 shown live."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.room import too_close_pairs

BOX_W, BOX_H = 0.9, 0.65  # metres, as on the printed plan
DESK_W, DESK_H = 1.4, 0.7
SNAP = 0.1
DESK = -1
"""The selection index that means the invigilator's desk."""


def snap(value: float) -> float:
    return round(round(value / SNAP) * SNAP, 2)


class LayoutCanvas(QWidget):
    changed = Signal()
    selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workstations: list[WorkstationFact] = []
        self.desk: tuple[float, float] | None = None
        self.current: int | None = None
        self._drag: QPointF | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(420, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Room layout: arrow keys move the selected workstation by 10 cm, Shift by 50 cm")

    def set_layout(self, workstations: list[WorkstationFact], desk: tuple[float, float] | None) -> None:
        self.workstations = list(workstations)
        self.desk = desk
        self.current = 0 if workstations else None
        self.update()

    # geometry -------------------------------------------------------------------------
    def _extent(self) -> tuple[float, float]:
        xs = [w.x for w in self.workstations] + ([self.desk[0]] if self.desk else [])
        ys = [w.y for w in self.workstations] + ([self.desk[1]] if self.desk else [])
        return max([8.0, *(x + 1.5 for x in xs)]), max([6.0, *(y + 1.5 for y in ys)])

    def _scale(self) -> tuple[float, QPointF]:
        width, height = self._extent()
        margin_left, margin_top, margin_right, margin_bottom = 12.0, 30.0, 40.0, 22.0
        scale = min(
            (self.width() - margin_left - margin_right) / (width + 0.6),
            (self.height() - margin_top - margin_bottom) / (height + 0.6),
        )
        return max(scale, 10.0), QPointF(margin_left + 0.6 * scale, margin_top + 0.6 * scale)

    def to_screen(self, x: float, y: float) -> QPointF:
        scale, origin = self._scale()
        return QPointF(origin.x() + x * scale, origin.y() + y * scale)

    def to_room(self, point: QPointF) -> tuple[float, float]:
        scale, origin = self._scale()
        return (point.x() - origin.x()) / scale, (point.y() - origin.y()) / scale

    def _box(self, x: float, y: float, w: float, h: float) -> QRectF:
        scale, _ = self._scale()
        centre = self.to_screen(x, y)
        return QRectF(centre.x() - w * scale / 2, centre.y() - h * scale / 2, w * scale, h * scale)

    def item_at(self, point: QPointF) -> int | None:
        for i in reversed(range(len(self.workstations))):
            w = self.workstations[i]
            if self._box(w.x, w.y, BOX_W, BOX_H).contains(point):
                return i
        if self.desk and self._box(*self.desk, DESK_W, DESK_H).contains(point):
            return DESK
        return None

    # painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QColor("#455a64"))
        painter.drawText(
            QRectF(8, 4, self.width() - 16, 18),
            Qt.AlignmentFlag.AlignLeft,
            "Front of room ↑   grid: 1 m   drag to move (snaps to 10 cm)",
        )
        self._grid(painter)
        if self.desk:
            rect = self._box(*self.desk, DESK_W, DESK_H)
            painter.setPen(
                QPen(
                    QColor("#0d47a1") if self.current == DESK else QColor("#37474f"),
                    3 if self.current == DESK else 1.5,
                    Qt.PenStyle.DashLine,
                )
            )
            painter.setBrush(QColor("#fff4d6"))
            painter.drawRect(rect)
            painter.setPen(QColor("#212121"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "Invigilator\ndesk")
        close = {label for a, b, _ in too_close_pairs(self.workstations) for label in (a, b)}
        for i, w in enumerate(self.workstations):
            self._workstation(painter, w, i == self.current, w.label in close)
        self._too_close(painter)
        painter.end()

    def _grid(self, painter: QPainter) -> None:
        """Metre lines, numbered along the bottom and the right edge (clear of workstations)."""
        width, height = self._extent()
        right, bottom = int(width), int(height)
        painter.setFont(QFont(self.font().family(), max(7, self.font().pointSize() - 2)))
        for x in range(right + 1):
            top, low = self.to_screen(x, 0), self.to_screen(x, bottom)
            painter.setPen(QPen(QColor("#e2e7ec"), 1))
            painter.drawLine(top, low)
            painter.setPen(QColor("#78909c"))
            painter.drawText(
                QRectF(low.x() - 20, low.y() + 2, 40, 14),
                Qt.AlignmentFlag.AlignCenter,
                f"{x} m" if x == right else str(x),
            )
        for y in range(bottom + 1):
            left, end = self.to_screen(0, y), self.to_screen(right, y)
            painter.setPen(QPen(QColor("#e2e7ec"), 1))
            painter.drawLine(left, end)
            painter.setPen(QColor("#78909c"))
            painter.drawText(QRectF(end.x() + 4, end.y() - 7, 40, 14), Qt.AlignmentFlag.AlignLeft, str(y))
        painter.setFont(self.font())

    def _too_close(self, painter: QPainter) -> None:
        where = {w.label: w for w in self.workstations}
        painter.setPen(QPen(QColor("#c62828"), 2.5))
        for a, b, distance in too_close_pairs(self.workstations):
            pa, pb = self.to_screen(where[a].x, where[a].y), self.to_screen(where[b].x, where[b].y)
            painter.drawLine(pa, pb)
            mid = (pa + pb) / 2
            text = f"{distance:.2f} m (ROOM-1)"
            rect = painter.fontMetrics().boundingRect(text)
            label = QRectF(
                mid.x() - rect.width() / 2 - 3, mid.y() - rect.height() / 2 - 1, rect.width() + 6, rect.height() + 2
            )
            painter.setBrush(QColor("#ffffff"))
            painter.drawRect(label)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)

    def _workstation(self, painter: QPainter, w: WorkstationFact, focused: bool, too_close: bool) -> None:
        rect = self._box(w.x, w.y, BOX_W, BOX_H)
        painter.setBrush(QColor("#ffebee") if too_close else QColor("#f7f9fc"))
        painter.setPen(QPen(QColor("#0d47a1") if focused else QColor("#1f3a5f"), 3 if focused else 1.2))
        painter.drawRect(rect)
        if w.screen:
            painter.setPen(QPen(QColor("#3b3b3b"), 4))
            for edge in (rect.left() - 4, rect.right() + 4):
                painter.drawLine(QPointF(edge, rect.top() - 3), QPointF(edge, rect.bottom() + 3))
        if w.privacy_filter:
            painter.fillRect(QRectF(rect.left() + 2, rect.top() + 2, rect.width() - 4, 4), QColor("#2d6db5"))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#1f3a5f"))
        metrics = painter.fontMetrics()
        painter.drawText(
            rect.adjusted(2, 2, -2, -rect.height() / 2),
            Qt.AlignmentFlag.AlignCenter,
            metrics.elidedText(w.label, Qt.TextElideMode.ElideRight, int(rect.width() - 4)),
        )
        painter.setFont(self.font())
        marks = " ".join(m for m, on in (("screen", w.screen), ("filter", w.privacy_filter)) if on)
        if marks:
            painter.drawText(
                rect.adjusted(2, rect.height() / 2, -2, -2),
                Qt.AlignmentFlag.AlignCenter,
                painter.fontMetrics().elidedText(marks, Qt.TextElideMode.ElideRight, int(rect.width() - 4)),
            )

    # editing ----------------------------------------------------------------------------
    def select(self, index: int | None) -> None:
        self.current = index
        self.update()
        if index is not None:
            self.selected.emit(index)

    def move_current(self, x: float, y: float) -> None:
        if self.current == DESK and self.desk is not None:
            self.desk = (snap(x), snap(y))
        elif self.current is not None and 0 <= self.current < len(self.workstations):
            self.workstations[self.current] = replace(self.workstations[self.current], x=snap(x), y=snap(y))
        else:
            return
        self.update()
        self.changed.emit()

    def _position(self) -> tuple[float, float] | None:
        if self.current == DESK:
            return self.desk
        if self.current is not None and 0 <= self.current < len(self.workstations):
            w = self.workstations[self.current]
            return w.x, w.y
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setFocus()
        index = self.item_at(event.position())
        if index is None:
            return
        self.select(index)
        x, y = self.to_room(event.position())
        here = self._position()
        assert here is not None
        self._drag = QPointF(here[0] - x, here[1] - y)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is None:
            return
        x, y = self.to_room(event.position())
        self.move_current(max(0.0, x + self._drag.x()), max(0.0, y + self._drag.y()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        step = 0.5 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else SNAP
        moves = {
            Qt.Key.Key_Left: (-step, 0),
            Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step),
            Qt.Key.Key_Down: (0, step),
        }
        here = self._position()
        if event.key() in moves and here is not None:
            dx, dy = moves[Qt.Key(event.key())]
            self.move_current(max(0.0, here[0] + dx), max(0.0, here[1] + dy))
            return
        super().keyPressEvent(event)
