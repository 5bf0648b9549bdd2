"""Forms for the administration areas (candidate, qualification, assessment, invigilator)
and the import preview, all behind ``AdminDialogs`` so tests can answer them with a fake."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.services.admin.candidates import CandidateView
from invigilator_app.services.admin.candidates_admin import (
    FIELD_LABELS,
    FIELDS,
    CandidateInput,
    ImportPreview,
    Spreadsheet,
    guess_column_map,
)
from invigilator_app.services.admin.catalogue_admin import (
    QualificationInput,
    QualificationView,
)
from invigilator_app.services.admin.users import UserView
from invigilator_app.ui.admin.models import PreviewModel
from invigilator_app.ui.widgets import make_table

NO_DATE = QDate(1900, 1, 1)


class _Form(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def line(self, label: str, text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setAccessibleName(label.replace("&", ""))
        self.form.addRow(label, edit)
        return edit

    def check(self, label: str, on: bool) -> QCheckBox:
        box = QCheckBox(label)
        box.setChecked(on)
        self.form.addRow("", box)
        return box


class CandidateForm(_Form):
    def __init__(self, existing: CandidateView | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit candidate" if existing else "Add candidate", parent)
        c = existing
        self.reg = self.line("&Registration number", c.registration_number if c else "")
        self.first = self.line("&First name", c.first_name if c else "")
        self.last = self.line("&Last name", c.last_name if c else "")
        self.dob = QDateEdit()
        self.dob.setDisplayFormat("dd/MM/yyyy")
        self.dob.setMinimumDate(NO_DATE)
        self.dob.setSpecialValueText("not recorded")
        self.dob.setDate(QDate(c.date_of_birth) if c and c.date_of_birth else NO_DATE)
        self.form.addRow("&Date of birth", self.dob)
        self.extra = QSpinBox()
        self.extra.setRange(0, 100)
        self.extra.setSuffix(" %")
        self.extra.setValue(c.extra_time_percent if c else 0)
        self.form.addRow("E&xtra time", self.extra)
        self.rest_breaks = self.check(
            "Supervised &rest breaks (the clock stops during a break)", bool(c and c.rest_breaks)
        )
        self.reader = self.line("Rea&der (who)", c.reader if c else "")
        self.scribe = self.line("&Scribe (who)", c.scribe if c else "")
        self.separate_room = self.line("Separate roo&m (which)", c.separate_room if c else "")
        self.arrangements = self.line("&Other arrangements", c.access_arrangements if c else "")
        self.arrangements.setPlaceholderText("any other arrangement, as a note")

    def value(self) -> CandidateInput:
        dob = None if self.dob.date() == NO_DATE else self.dob.date().toPython()
        return CandidateInput(
            self.reg.text(),
            self.first.text(),
            self.last.text(),
            dob,  # type: ignore[arg-type]
            self.arrangements.text(),
            self.extra.value(),
            self.rest_breaks.isChecked(),
            self.reader.text(),
            self.scribe.text(),
            self.separate_room.text(),
        )


class QualificationForm(_Form):
    def __init__(self, existing: QualificationView | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit qualification" if existing else "Add qualification", parent)
        q = existing
        self.number = self.line("&Number", q.number if q else "")
        self.number.setReadOnly(q is not None)
        self.title_edit = self.line("&Title", q.title if q else "")
        self.hours = QSpinBox()
        self.hours.setRange(0, 24 * 365)
        self.hours.setSuffix(" hours")
        self.hours.setValue(q.retake_hours if q else 48)
        self.form.addRow("&Retake after a fail (CAND-7)", self.hours)
        self.apprenticeship = self.check(
            "Linked to an &Apprenticeship Standard (INV-3)", bool(q and q.apprenticeship_standard)
        )
        self.calculator = self.check("&Calculator allowed (ROOM-6)", bool(q and q.calculator_allowed))
        self.dictionary = self.check("&Dictionary allowed (ROOM-6)", bool(q and q.dictionary_allowed))
        self.software = self.check("&Other software allowed (ROOM-5)", bool(q and q.other_software_allowed))

    def value(self) -> QualificationInput:
        return QualificationInput(
            self.number.text(),
            self.title_edit.text(),
            self.hours.value(),
            self.apprenticeship.isChecked(),
            self.calculator.isChecked(),
            self.dictionary.isChecked(),
            self.software.isChecked(),
        )


@dataclass(frozen=True)
class AssessmentAnswer:
    code: str
    qualification: str
    title: str
    planned_minutes: int | None


class AssessmentForm(_Form):
    def __init__(
        self, qualifications: list[str], existing: AssessmentAnswer | None, parent: QWidget | None = None
    ) -> None:
        editing = bool(existing and existing.code)
        super().__init__("Edit assessment" if editing else "Add assessment", parent)
        a = existing
        self.code = self.line("Assessment &id", a.code if a else "")
        self.code.setReadOnly(editing)
        self.qualification = QComboBox()
        self.qualification.addItems(qualifications)
        if a:
            self.qualification.setCurrentText(a.qualification)
        self.form.addRow("&Qualification", self.qualification)
        self.title_edit = self.line("&Title", a.title if a else "")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSpecialValueText("not set")
        self.minutes.setSuffix(" min")
        self.minutes.setValue(a.planned_minutes or 0 if a else 0)
        self.form.addRow("&Planned duration", self.minutes)

    def value(self) -> AssessmentAnswer:
        return AssessmentAnswer(
            self.code.text(), self.qualification.currentText(), self.title_edit.text(), self.minutes.value() or None
        )


@dataclass(frozen=True)
class InvigilatorAnswer:
    name: str
    imi_pin: str
    assessor: bool
    impartial: bool


class InvigilatorForm(_Form):
    def __init__(self, existing: UserView | None, parent: QWidget | None = None) -> None:
        super().__init__("Invigilator's declarations" if existing else "Add invigilator", parent)
        u = existing
        self.name = self.line("&Name", u.name if u else "")
        self.name.setReadOnly(u is not None)
        self.pin = self.line("&IMI PIN (INV-1)", u.imi_pin if u else "")
        self.assessor = self.check(
            "Is an &assessor (INV-2: needs an authorisation to invigilate)", bool(u and u.assessor)
        )
        self.impartial = self.check(
            "Declared &impartial: no related industry qualification or background (INV-3)", bool(u and u.impartial)
        )

    def value(self) -> InvigilatorAnswer:
        return InvigilatorAnswer(
            self.name.text(), self.pin.text(), self.assessor.isChecked(), self.impartial.isChecked()
        )


@dataclass(frozen=True)
class InspectorAnswer:
    name: str
    last_day: date
    password: str


class InspectorForm(_Form):
    """An inspector's account for a monitoring visit: read-only, and it expires by itself."""

    def __init__(self, first_day: date, parent: QWidget | None = None) -> None:
        super().__init__("Add inspector account", parent)
        self.name = self.line("&Name")
        self.last_day = QDateEdit(QDate(first_day))
        self.last_day.setCalendarPopup(True)
        self.last_day.setDisplayFormat("ddd dd/MM/yyyy")
        self.last_day.setMinimumDate(QDate(first_day))
        self.form.addRow("&Last day of the visit", self.last_day)
        self.password = self.line("&Password (12 characters or more)")
        self.again = self.line("&Repeat the password")
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)

    def accept(self) -> None:
        if self.password.text() != self.again.text():
            QMessageBox.warning(self, "Add inspector account", "The two passwords differ.")
            return
        super().accept()

    def value(self) -> InspectorAnswer:
        return InspectorAnswer(self.name.text(), self.last_day.date().toPython(), self.password.text())  # type: ignore[arg-type]


class ImportPreviewDialog(QDialog):
    """Every row of a spreadsheet as it would be imported; the column map can be changed.
    Import stays disabled while any row is bad."""

    def __init__(
        self,
        sheet: Spreadsheet,
        preview: Callable[[dict[str, int | None]], ImportPreview],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import candidates — {Path(sheet.source).name}")
        self.resize(1100, 600)
        self.sheet, self._preview = sheet, preview
        self.preview_result: ImportPreview | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{sheet.source}: {sheet.encoding}, separated by “{sheet.delimiter}”, "
                f"{len(sheet.rows)} rows. Nothing is written until you press Import."
            )
        )
        mapping = QHBoxLayout()
        self.combos: dict[str, QComboBox] = {}
        for field in FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {FIELD_LABELS[field]}")
            combo.addItem("(none)", None)
            for i, header in enumerate(sheet.headers):
                combo.addItem(header or f"column {i + 1}", i)
            label = QLabel(f"{FIELD_LABELS[field]}:")
            label.setBuddy(combo)
            mapping.addWidget(label)
            mapping.addWidget(combo, 1)
            self.combos[field] = combo
        layout.addLayout(mapping)
        self.model = PreviewModel()
        self.table = make_table(self.model, "Import preview")
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        guess = guess_column_map(sheet.headers)
        for field, combo in self.combos.items():
            combo.setCurrentIndex(max(0, combo.findData(guess[field])))
        self.refresh(self.column_map())
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(lambda _i: self.refresh(self.column_map()))

    def column_map(self) -> dict[str, int | None]:
        return {field: combo.currentData() for field, combo in self.combos.items()}

    def refresh(self, mapping: dict[str, int | None]) -> None:
        try:
            result = self._preview(mapping)
        except InvigilatorError as exc:
            self.preview_result = None
            self.model.set_rows([])
            self.summary.setText(f"<b>Cannot preview:</b> {exc.message}")
            self.import_button.setEnabled(False)
            return
        self.preview_result = result
        self.model.set_rows(result.rows)
        bad = len(result.bad)
        new = sum(1 for r in result.rows if r.status == "new")
        same = sum(1 for r in result.rows if r.status == "unchanged")
        text = f"{new} new, {same} already registered, {bad} bad."
        if bad:
            text += " Fix the bad rows in the file (or the column choices) and import again: all rows or none."
        self.summary.setText(text)
        self.import_button.setEnabled(bad == 0 and bool(result.good))


class AdminDialogs:
    """The administration areas' questions; tests replace this with a fake."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def _run(self, form: QDialog) -> bool:
        return form.exec() == QDialog.DialogCode.Accepted

    def candidate(self, existing: CandidateView | None) -> CandidateInput | None:
        form = CandidateForm(existing, self.parent)
        return form.value() if self._run(form) else None

    def qualification(self, existing: QualificationView | None) -> QualificationInput | None:
        form = QualificationForm(existing, self.parent)
        return form.value() if self._run(form) else None

    def assessment(self, qualifications: list[str], existing: AssessmentAnswer | None) -> AssessmentAnswer | None:
        form = AssessmentForm(qualifications, existing, self.parent)
        return form.value() if self._run(form) else None

    def invigilator(self, existing: UserView | None) -> InvigilatorAnswer | None:
        form = InvigilatorForm(existing, self.parent)
        return form.value() if self._run(form) else None

    def inspector(self, first_day: date) -> InspectorAnswer | None:
        form = InspectorForm(first_day, self.parent)
        return form.value() if self._run(form) else None

    def import_preview(
        self, sheet: Spreadsheet, preview: Callable[[dict[str, int | None]], ImportPreview]
    ) -> ImportPreview | None:
        dialog = ImportPreviewDialog(sheet, preview, self.parent)
        return dialog.preview_result if self._run(dialog) else None

    def open_file(self, title: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, title, "", pattern)
        return Path(name) if name else None

    def save_file(self, title: str, suggested: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, pattern)
        return Path(name) if name else None

    def text(self, title: str, label: str) -> str | None:
        value, ok = QInputDialog.getText(self.parent, title, label)
        return value if ok else None

    def day(self, title: str, label: str, initial: date) -> date | None:
        form = _Form(title, self.parent)
        edit = QDateEdit(QDate(initial))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("ddd dd/MM/yyyy")
        form.form.addRow(label, edit)
        return edit.date().toPython() if self._run(form) else None  # type: ignore[return-value]

    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self.parent, title, text) == QMessageBox.StandardButton.Yes

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def folder(self, title: str) -> Path | None:
        name = QFileDialog.getExistingDirectory(self.parent, title)
        return Path(name) if name else None

    def show_secret(self, title: str, text: str) -> None:
        """Something to write down once (a new recovery key): selectable, never stored."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
