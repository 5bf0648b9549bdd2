"""Day view: every session of a day across rooms on a timeline, and how many assessments
each candidate has that day (CAND-3 allows two)."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QDate, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.timefmt import time_text
from invigilator_app.domain.timezones import local
from invigilator_app.services.planning.dayview import DayView, day_view
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.models import DayCandidatesModel, DaySessionsModel
from invigilator_app.ui.models import STATE_TEXT
from invigilator_app.ui.widgets import button, make_table

STATE_FILL = {"planned": "#e3f2fd", "running": "#c8e6c9", "closed": "#eceff1", "signed_off": "#f5f5f5"}


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


class Timeline(QWidget):
    """Rooms down the side, hours across; each session a box with its time and state in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: DayView | None = None
        self.setMinimumHeight(150)
        self.setAccessibleName("Timeline of the day's sessions")

    def set_view(self, view: DayView) -> None:
        self.view = view
        rows = max(1, len(view.rooms))
        self.setMinimumHeight(40 + rows * 54)
        self.update()

    def _hours(self) -> tuple[int, int]:
        if not self.view or not self.view.sessions:
            return 8, 18
        first = min(_minutes(s.start) for s in self.view.sessions) // 60
        last = -(-max(_minutes(s.end) for s in self.view.sessions) // 60)
        return min(8, first), max(18, last)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        first, last = self._hours()
        left, top, row_h = 130.0, 28.0, 54.0
        per_minute = (self.width() - left - 28) / ((last - first) * 60)
        rooms = self.view.rooms if self.view else []
        for h in range(first, last + 1):
            x = left + (h - first) * 60 * per_minute
            painter.setPen(QPen(QColor("#e2e7ec"), 1))
            painter.drawLine(int(x), int(top - 4), int(x), int(top + max(1, len(rooms)) * row_h))
            painter.setPen(QColor("#546e7a"))
            painter.drawText(QRectF(x - 20, 4, 40, 18), Qt.AlignmentFlag.AlignCenter, f"{h:02d}:00")
        if not rooms:
            painter.setPen(QColor("#546e7a"))
            painter.drawText(
                QRectF(left, top, self.width() - left, row_h), Qt.AlignmentFlag.AlignCenter, "No sessions on this day."
            )
        bold = QFont(self.font())
        bold.setBold(True)
        for i, room in enumerate(rooms):
            y = top + i * row_h
            painter.setPen(QColor("#263238"))
            painter.setFont(bold)
            painter.drawText(QRectF(6, y, left - 12, row_h - 6), Qt.AlignmentFlag.AlignVCenter, room)
            painter.setFont(self.font())
            assert self.view is not None
            for s in (s for s in self.view.sessions if s.room == room):
                x0 = left + (_minutes(s.start) - first * 60) * per_minute
                x1 = left + (_minutes(s.end) - first * 60) * per_minute
                rect = QRectF(x0, y + 3, max(x1 - x0, 40), row_h - 10)
                painter.setBrush(QColor(STATE_FILL.get(s.state, "#ffffff")))
                painter.setPen(QPen(QColor("#1f3a5f"), 1.2))
                painter.drawRoundedRect(rect, 4, 4)
                painter.setPen(QColor("#212121"))
                inner = rect.adjusted(4, 2, -4, -2)
                line_h = inner.height() / 2
                for n, text in enumerate(
                    (
                        f"{time_text(s.start)}–{time_text(s.end)} {STATE_TEXT.get(s.state, s.state)}",
                        f"{s.candidates} cand. · {s.invigilator}",
                    )
                ):
                    painter.setFont(bold if n == 0 else self.font())
                    shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()))
                    painter.drawText(
                        QRectF(inner.left(), inner.top() + n * line_h, inner.width(), line_h),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        shown,
                    )
                painter.setFont(self.font())
        painter.end()


class DayArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.day = QDateEdit(QDate(local(station.now(), station.zone).date()))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dddd dd MMMM yyyy")
        self.day.setAccessibleName("Day")
        label = QLabel("&Day")
        label.setBuddy(self.day)
        bar.addWidget(label)
        bar.addWidget(self.day)
        bar.addWidget(button("◀ &Previous", lambda: self.day.setDate(self.day.date().addDays(-1)), name="previous_day"))
        bar.addWidget(
            button("&Today", lambda: self.day.setDate(QDate(local(station.now(), station.zone).date())), name="today")
        )
        bar.addWidget(button("&Next ▶", lambda: self.day.setDate(self.day.date().addDays(1)), name="next_day"))
        bar.addWidget(button("&Refresh", self.refresh, name="refresh_day"))
        bar.addStretch(1)
        self.summary = QLabel()
        bar.addWidget(self.summary)
        layout.addLayout(bar)
        self.timeline = Timeline()
        layout.addWidget(self.timeline)
        self.sessions = DaySessionsModel()
        self.candidates = DayCandidatesModel()
        splitter = QSplitter()
        splitter.addWidget(make_table(self.sessions, "Sessions of the day"))
        splitter.addWidget(make_table(self.candidates, "Candidates of the day"))
        splitter.setSizes([620, 740])
        layout.addWidget(splitter, 1)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        view = day_view(self.station, self.day.date().toPython())  # type: ignore[arg-type]
        self.timeline.set_view(view)
        self.sessions.set_rows(view.sessions)
        self.candidates.set_rows(view.candidates)
        over = sum(c.over_limit for c in view.candidates)
        self.summary.setText(
            f"{len(view.sessions)} session(s) in {len(view.rooms)} room(s), {len(view.candidates)} candidate(s)"
            + (f" — {over} OVER the CAND-3 limit of two" if over else "")
        )
