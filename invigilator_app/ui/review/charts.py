"""A bar chart drawn with QPainter (no QtCharts in PySide6-Essentials). Flagged bars are
darker red AND hatched, so colour is never the only signal; the tooltip reads the bar."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from invigilator_app.domain.patterns import Chart

BAR = QColor("#7C93AD")
FLAGGED = QColor("#A0202A")
AXIS = QColor("#5A6570")
INK = QColor("#1A1A1A")


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: Chart | None = None
        self.setMinimumSize(280, 210)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._rects: list[QRectF] = []

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(420, 230)

    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(
            "; ".join(f"{b.label}: {b.value}{' (flagged)' if b.flagged else ''}" for b in chart.bars)
        )
        self.update()

    def _plot(self) -> QRectF:
        return QRectF(34, 40, max(10, self.width() - 44), max(10, self.height() - 80))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        chart = self.chart
        if chart is None:
            painter.end()
            return
        title = QFont(self.font())
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(INK)
        painter.drawText(QRectF(4, 2, self.width() - 8, 20), Qt.AlignmentFlag.AlignLeft, chart.title)
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.8))
        painter.setFont(small)
        plot = self._plot()
        top = max([b.value for b in chart.bars] or [0]) or 1
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        for tick in (0, top // 2, top):
            y = plot.bottom() - plot.height() * tick / top
            painter.drawText(
                QRectF(0, y - 7, 30, 14), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick)
            )
        count = max(1, len(chart.bars))
        slot = plot.width() / count
        every = 1 if slot >= 18 else 2 if slot >= 9 else 3
        self._rects = []
        for i, bar in enumerate(chart.bars):
            height = plot.height() * bar.value / top
            rect = QRectF(plot.left() + i * slot + slot * 0.15, plot.bottom() - height, slot * 0.7, height)
            self._rects.append(QRectF(plot.left() + i * slot, plot.top(), slot, plot.height()))
            if bar.value:
                painter.fillRect(rect, FLAGGED if bar.flagged else BAR)
                if bar.flagged:
                    painter.fillRect(rect, QBrush(QColor("white"), Qt.BrushStyle.BDiagPattern))
                painter.setPen(INK)
                if slot >= 16:
                    painter.drawText(
                        QRectF(rect.left() - 6, rect.top() - 14, rect.width() + 12, 13),
                        Qt.AlignmentFlag.AlignCenter,
                        str(bar.value),
                    )
            if i % every == 0:
                painter.setPen(FLAGGED if bar.flagged else AXIS)
                label = bar.label + ("*" if bar.flagged else "")
                painter.drawText(
                    QRectF(plot.left() + i * slot - 20, plot.bottom() + 2, slot + 40, 14),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    label,
                )
        painter.setPen(AXIS)
        painter.drawText(
            QRectF(plot.left(), self.height() - 18, plot.width(), 16),
            Qt.AlignmentFlag.AlignCenter,
            f"{chart.x_label}  ·  * flagged (hatched)",
        )
        painter.end()

    def bar_at(self, point: QPointF) -> int:
        for i, rect in enumerate(self._rects):
            if rect.contains(point):
                return i
        return -1

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent) and self.chart is not None:
            i = self.bar_at(QPointF(event.pos()))
            if i >= 0:
                bar = self.chart.bars[i]
                QToolTip.showText(
                    event.globalPos(),
                    f"{bar.label}: {bar.value} {self.chart.y_label}" + (" — flagged" if bar.flagged else ""),
                    self,
                )
                return True
        return super().event(event)  # type: ignore[arg-type]
