"""Search (coordinator, inspector): every log entry across sessions, filtered by dates,
room, invigilator, candidate, type, follow-up state and free text; pages load as the
table scrolls."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.timezones import local
from invigilator_app.services.review import search
from invigilator_app.services.review.search import EntryFilters
from invigilator_app.services.station import Station
from invigilator_app.ui.review.models import LazyEntriesModel
from invigilator_app.ui.widgets import make_table as table


def date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setAccessibleName(name)
    return edit


def py_date(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class SearchArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        choices = search.search_choices(station)
        today = local(station.now(), station.zone).date()
        grid = QGridLayout()
        self.use_dates = QCheckBox("&Dates from")
        self.use_dates.setAccessibleName("Filter by dates")
        self.from_day = date_edit(today.replace(day=1), "From")
        self.to_day = date_edit(today, "To")
        self.room = self._combo("Room", choices.rooms)
        self.invigilator = self._combo("Invigilator", choices.invigilators)
        self.type = self._combo("Entry type", [label for _, label in choices.types], [v for v, _ in choices.types])
        self.state = self._combo("Follow-up", [label for _, label in choices.states], [v for v, _ in choices.states])
        self.candidate = QLineEdit()
        self.candidate.setPlaceholderText("registration number or name")
        self.candidate.setAccessibleName("Candidate")
        self.text = QLineEdit()
        self.text.setPlaceholderText("words in the note")
        self.text.setAccessibleName("Free text")
        grid.addWidget(self.use_dates, 0, 0)
        grid.addWidget(self.from_day, 0, 1)
        grid.addWidget(QLabel("to"), 0, 2)
        grid.addWidget(self.to_day, 0, 3)
        for col, (label, widget) in enumerate(
            (("Roo&m", self.room), ("&Invigilator", self.invigilator), ("&Type", self.type), ("Follow-&up", self.state))
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, 1 + col // 2, (col % 2) * 2)
            grid.addWidget(widget, 1 + col // 2, (col % 2) * 2 + 1)
        for row, (label, edit) in enumerate((("&Candidate", self.candidate), ("Te&xt", self.text))):
            caption = QLabel(label)
            caption.setBuddy(edit)
            grid.addWidget(caption, 1 + row, 4)
            grid.addWidget(edit, 1 + row, 5)
        grid.setColumnStretch(5, 1)
        self.model = LazyEntriesModel(lambda f, offset, limit: search.search_entries(station, f, offset, limit))
        self.view = table(self.model, "Log entries found")
        self.count = QLabel()
        self.count.setAccessibleName("Entries found")
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.count)
        layout.addWidget(self.view, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.apply)
        for signal in (
            self.use_dates.toggled,
            self.from_day.dateChanged,
            self.to_day.dateChanged,
            self.room.currentIndexChanged,
            self.invigilator.currentIndexChanged,
            self.type.currentIndexChanged,
            self.state.currentIndexChanged,
        ):
            signal.connect(self.apply)
        self.candidate.textChanged.connect(self._timer.start)
        self.text.textChanged.connect(self._timer.start)
        self.apply()

    def _combo(self, name: str, labels: list[str], values: list[str] | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem("any", "")
        for label, value in zip(labels, values or labels, strict=True):
            combo.addItem(label, value)
        return combo

    def filters(self) -> EntryFilters:
        dated = self.use_dates.isChecked()
        return EntryFilters(
            from_day=py_date(self.from_day) if dated else None,
            to_day=py_date(self.to_day) if dated else None,
            room=str(self.room.currentData()),
            invigilator=str(self.invigilator.currentData()),
            candidate=self.candidate.text().strip(),
            type=str(self.type.currentData()),
            state=str(self.state.currentData()),
            text=self.text.text().strip(),
        )

    def apply(self) -> None:
        filters = self.filters()
        try:
            self.model.set_filters(filters)
            found = search.count_entries(self.station, filters)
        except InvigilatorError as exc:
            self.count.setText(f"<b>{exc.message}</b>")
            return
        self.count.setText(f"{found} entr{'y' if found == 1 else 'ies'} found; newest first")
