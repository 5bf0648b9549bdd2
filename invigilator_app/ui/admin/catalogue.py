"""Catalogue: qualifications (retake interval, apprenticeship standard, allowed aids) and
their assessments (planned duration); the 2-hour list from 001 is loaded on first use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from invigilator_app.services.admin import catalogue_admin as cat
from invigilator_app.services.admin.catalogue_admin import QualificationView
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.forms import AdminDialogs, AssessmentAnswer
from invigilator_app.ui.admin.models import AssessmentsModel, QualificationsModel
from invigilator_app.ui.widgets import (
    StatusLine,
    attempt,
    button,
    make_table,
    selected_row,
)


class CatalogueArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.ask = AdminDialogs(self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        heading = QLabel(
            "<b>Qualifications</b> — retake interval (CAND-7), Apprenticeship Standard (INV-3), "
            "aids allowed in the room (ROOM-5, ROOM-6)"
        )
        heading.setWordWrap(True)
        bar.addWidget(heading, 1)
        bar.addWidget(button("Add &qualification…", self.add_qualification, name="add_qualification"))
        bar.addWidget(button("&Edit qualification…", self.edit_qualification, name="edit_qualification"))
        bar.addWidget(
            button(
                "&Import CSV…",
                self.import_file,
                "qualification_number,qualification_title,retake_hours,"
                "apprenticeship_standard,calculator_allowed,dictionary_allowed,other_software_allowed,"
                "assessment_id,assessment_title,planned_minutes",
                "import_catalogue",
            )
        )
        layout.addLayout(bar)
        self.qualifications = QualificationsModel()
        self.q_table = make_table(self.qualifications, "Qualifications")
        self.assessments = AssessmentsModel()
        self.a_table = make_table(self.assessments, "Assessments")
        self.q_table.activated.connect(lambda _i: self.edit_qualification())
        self.a_table.activated.connect(lambda _i: self.edit_assessment())
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        abar = QHBoxLayout()
        self.a_heading = QLabel()
        abar.addWidget(self.a_heading, 1)
        abar.addWidget(button("Add a&ssessment…", self.add_assessment, name="add_assessment"))
        abar.addWidget(button("Edit assess&ment…", self.edit_assessment, name="edit_assessment"))
        lower_layout.addLayout(abar)
        lower_layout.addWidget(self.a_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.q_table)
        splitter.addWidget(lower)
        splitter.setSizes([420, 260])
        layout.addWidget(splitter, 1)
        self.status = StatusLine()
        layout.addWidget(self.status)
        self.q_table.selectionModel().selectionChanged.connect(lambda *_: self.show_assessments())
        added = attempt(self.status, self.ask.error, "Catalogue", lambda: cat.preload_two_hour_list(station))
        if added:
            self.status.done(f"Loaded {added} qualifications from the 2-hour retake list (001).")
        self.refresh()

    def current(self) -> QualificationView | None:
        row = selected_row(self.q_table)
        return self.qualifications.row_at(row) if row is not None else None

    def refresh(self, select: str = "") -> None:
        keep = select or (q.number if (q := self.current()) else "")
        self.qualifications.set_rows(cat.list_qualifications(self.station))
        for row in range(self.qualifications.rowCount()):
            if self.qualifications.row_at(row).number == keep:
                self.q_table.selectRow(row)
                break
        else:
            if self.qualifications.rowCount():
                self.q_table.selectRow(0)
        self.show_assessments()

    def show_assessments(self) -> None:
        q = self.current()
        self.assessments.set_rows(cat.list_assessments(self.station, q.number) if q else [])
        self.a_heading.setText(f"<b>Assessments of {q.number}</b> {q.title}" if q else "<b>Assessments</b>")

    def add_qualification(self) -> None:
        self._save_qualification(self.ask.qualification(None))

    def edit_qualification(self) -> None:
        q = self.current()
        if q is not None:
            self._save_qualification(self.ask.qualification(q))

    def _save_qualification(self, wanted: cat.QualificationInput | None) -> None:
        if wanted is None:
            return
        saved = attempt(
            self.status, self.ask.error, "Qualification not saved", lambda: cat.save_qualification(self.station, wanted)
        )
        if saved is not None:
            self.status.done(f"Saved qualification {saved.number} (retake after {saved.retake_hours} h).")
            self.refresh(saved.number)

    def add_assessment(self) -> None:
        q = self.current()
        numbers = [self.qualifications.row_at(r).number for r in range(self.qualifications.rowCount())]
        self._save_assessment(self.ask.assessment(numbers, AssessmentAnswer("", q.number if q else "", "", None)))

    def edit_assessment(self) -> None:
        row = selected_row(self.a_table)
        if row is None:
            return
        a = self.assessments.row_at(row)
        numbers = [self.qualifications.row_at(r).number for r in range(self.qualifications.rowCount())]
        self._save_assessment(
            self.ask.assessment(numbers, AssessmentAnswer(a.code, a.qualification, a.title, a.planned_minutes))
        )

    def _save_assessment(self, answer: AssessmentAnswer | None) -> None:
        if answer is None:
            return
        saved = attempt(
            self.status,
            self.ask.error,
            "Assessment not saved",
            lambda: cat.save_assessment(
                self.station, answer.code, answer.qualification, answer.title, answer.planned_minutes
            ),
        )
        if saved is not None:
            self.status.done(f"Saved assessment {saved.code} in {saved.qualification}.")
            self.refresh(saved.qualification)

    def import_file(self) -> None:
        path = self.ask.open_file("Import the catalogue", "CSV files (*.csv);;All files (*)")
        if path is None:
            return
        result = attempt(
            self.status, self.ask.error, "Nothing imported", lambda: cat.import_catalogue_file(self.station, path)
        )
        if result is not None:
            self.status.done(
                f"Imported {path.name}: {result.qualifications_added} qualifications added, "
                f"{result.qualifications_updated} changed; {result.assessments_added} assessments added, "
                f"{result.assessments_updated} changed."
            )
            self.refresh()
