"""Dialogs for what the invigilator records during a session."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.console.recording import QUESTION_DESCRIPTION_MAX
from invigilator_app.services.console.sessions import AllocationView


class EntryDialog(QDialog):
    """Note and candidates for a log entry; question issues also take question number and assessment."""

    def __init__(self, kind: IncidentType, allocations: Sequence[AllocationView], preselected: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(kind.label)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{kind.label}</b> — logged at the current time.")
        layout.addWidget(heading)
        if kind.notify:
            layout.addWidget(QLabel(f"This entry stays outstanding until the {kind.notify} is notified."))
        form = QFormLayout()
        self.question = QLineEdit()
        self.question.setAccessibleName("Question number")
        self.assessment = QComboBox()
        self.assessment.setEditable(True)
        self.assessment.setAccessibleName("Assessment id")
        self.assessment.addItems(sorted({a.assessment_id for a in allocations}))
        if kind is IncidentType.QUESTION_ISSUE:
            form.addRow("&Question number", self.question)
            form.addRow("&Assessment id", self.assessment)
            reminder = QLabel("Describe the issue briefly. Never copy the question, and never photograph the platform.")
            reminder.setWordWrap(True)
            reminder.setStyleSheet("color: #8a4b00;")
            form.addRow(reminder)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.note.textChanged.connect(self._cap)
        form.addRow("&Note" if kind is not IncidentType.QUESTION_ISSUE else "&Description", self.note)
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Candidates involved")
        for a in allocations:
            item = QListWidgetItem(f"{a.workstation}  {a.candidate_name} ({a.registration_number})")
            item.setData(Qt.ItemDataRole.UserRole, a.registration_number)
            item.setCheckState(Qt.CheckState.Checked if a.registration_number == preselected else Qt.CheckState.Unchecked)
            self.candidates.addItem(item)
        self.everyone = QCheckBox("&Everyone in the room")
        self.everyone.setChecked(kind is IncidentType.FIRE_ALARM)
        form.addRow("Candidates", self.candidates)
        form.addRow("", self.everyone)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #a4000f;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.question if kind is IncidentType.QUESTION_ISSUE else self.note).setFocus()

    def _cap(self) -> None:
        if self.kind is IncidentType.QUESTION_ISSUE and len(self.note.toPlainText()) > QUESTION_DESCRIPTION_MAX:
            self.error.setText(f"Keep it brief: at most {QUESTION_DESCRIPTION_MAX} characters.")

    def _check(self) -> None:
        if self.kind is IncidentType.QUESTION_ISSUE:
            if not self.question.text().strip() or not self.assessment.currentText().strip():
                self.error.setText("A question issue needs the question number and the assessment id.")
                return
            if len(self.note.toPlainText()) > QUESTION_DESCRIPTION_MAX:
                self.error.setText(f"Keep it brief: at most {QUESTION_DESCRIPTION_MAX} characters.")
                return
        self.accept()

    def registration_numbers(self) -> list[str]:
        regs = []
        for i in range(self.candidates.count()):
            item = self.candidates.item(i)
            if self.everyone.isChecked() or item.checkState() == Qt.CheckState.Checked:
                regs.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return regs


class IdentityDialog(QDialog):
    """CAND-1: what was seen, and that it matched."""

    def __init__(self, allocation: AllocationView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Identity check")
        layout = QFormLayout(self)
        layout.addRow(QLabel(f"<b>{allocation.candidate_name}</b> ({allocation.registration_number}) at "
                             f"{allocation.workstation}<br>Takes exactly: <b>{allocation.assessment_id}</b> "
                             f"{allocation.assessment_title}"))
        self.method = QComboBox()
        self.method.setAccessibleName("How the identity was checked")
        if allocation.remote:  # remotely invigilated: photo ID is held up to the camera
            self.method.addItem("Photo ID to camera", "id_to_camera")
        else:
            self.method.addItem("Photo ID", "photo_id")
        self.method.addItem("Known to the invigilator", "known_to_invigilator")
        self.id_type = QComboBox()
        self.id_type.setEditable(True)
        self.id_type.setAccessibleName("Type of photo ID")
        self.id_type.addItems(["driving licence", "passport", "college / employer ID card", "other photo ID"])
        self.match = QCheckBox("The photo and name &match this candidate")
        self.match.setChecked(True)
        layout.addRow("&Checked by", self.method)
        layout.addRow("&ID seen", self.id_type)
        layout.addRow("", self.match)
        self.method.currentIndexChanged.connect(
            lambda: self.id_type.setEnabled(self.method.currentData() in ("photo_id", "id_to_camera")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
