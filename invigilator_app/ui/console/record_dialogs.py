"""Forms for what the invigilator records during a session.

Each form names the candidate it acts on in its title ("Fire alarm — PC-02 Amelia Hughes"),
saves with Ctrl+Enter and cancels with Esc. The log-entry form opens with the note focused
and the selected candidate ticked; Enter on an empty note saves at once, so the chord and
one key log an incident."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
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
from invigilator_app.ui.widgets import form_keys

# The incidents that stop the room: the clock pauses for everyone working unless unticked.
PAUSING = (IncidentType.FIRE_ALARM, IncidentType.IT_ISSUE, IncidentType.EMERGENCY)
WARNING_STYLE = "color: #8a4b00;"


def titled(what: str, allocation: AllocationView | None) -> str:
    return f"{what} — {allocation.workstation} {allocation.candidate_name}" if allocation else what


class EntryDialog(QDialog):
    """Note and candidates for a log entry; question issues also take question number and
    assessment (the selected candidate's, with a warning if another is chosen)."""

    def __init__(
        self,
        kind: IncidentType,
        allocations: Sequence[AllocationView],
        preselected: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.allocations = list(allocations)
        self.selected = next((a for a in allocations if a.registration_number == preselected), None)
        self.setWindowTitle(titled(kind.label, self.selected))
        self.setObjectName("entryForm")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 96)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{self.windowTitle()}</b> — logged at the current time.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.involved = QLabel("")
        self.involved.setObjectName("involved")
        self.involved.setAccessibleName("Logged for")
        self.involved.setWordWrap(True)
        layout.addWidget(self.involved)
        if kind.notify:
            layout.addWidget(QLabel(f"This entry stays outstanding until the {kind.notify} is notified."))
        form = self._form = QFormLayout()
        self.question = QLineEdit()
        self.question.setAccessibleName("Question number")
        self.assessment = QComboBox()
        self.assessment.setEditable(True)
        self.assessment.setAccessibleName("Assessment")
        self.assessment.addItems(sorted({a.assessment_id for a in allocations}))
        if self.selected is not None:
            self.assessment.setCurrentText(self.selected.assessment_id)
        self.assessment_warning = QLabel("")
        self.assessment_warning.setWordWrap(True)
        self.assessment_warning.setStyleSheet(WARNING_STYLE)
        self.assessment_warning.setAccessibleName("Assessment warning")
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note" if kind is not IncidentType.QUESTION_ISSUE else "Description")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.note.setPlaceholderText("Optional. Enter on an empty note saves; Ctrl+Enter saves at any time.")
        self.note.textChanged.connect(self._cap)
        self.note.installEventFilter(self)
        if kind is IncidentType.QUESTION_ISSUE:
            self.note.setPlaceholderText("Brief description. Ctrl+Enter saves.")
            form.addRow("&Question number", self.question)
            form.addRow("&Description", self.note)
            form.addRow("&Assessment", self.assessment)
            form.addRow("", self.assessment_warning)
            reminder = QLabel("Describe the issue briefly. Never copy the question, and never photograph the platform.")
            reminder.setWordWrap(True)
            reminder.setStyleSheet(WARNING_STYLE)
            form.addRow(reminder)
        else:
            form.addRow("&Note", self.note)
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Candidates involved")
        for a in allocations:
            item = QListWidgetItem(f"{a.workstation}  {a.candidate_name} ({a.registration_number}) · {a.assessment_id}")
            item.setData(Qt.ItemDataRole.UserRole, a.registration_number)
            item.setCheckState(
                Qt.CheckState.Checked if a.registration_number == preselected else Qt.CheckState.Unchecked
            )
            self.candidates.addItem(item)
        rows = max(3, min(len(self.allocations), 6))
        self.candidates.setFixedHeight(self.fontMetrics().height() * rows + 16)
        self.everyone = QCheckBox("&Everyone in the room")
        self.everyone.setChecked(kind is IncidentType.FIRE_ALARM)
        form.addRow("Candidates", self.candidates)
        form.addRow("", self.everyone)
        self.pause = QCheckBox("&Pause the clock for the candidates working now (their finish times move on)")
        self.pause.setChecked(kind in PAUSING)
        if kind in PAUSING:
            form.addRow("", self.pause)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #a4000f;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Form message")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        form_keys(self, self._check)
        self.assessment.currentTextChanged.connect(self._warn)
        self.candidates.itemChanged.connect(self._warn)
        self.everyone.toggled.connect(self._warn)
        self._warn()
        (self.question if kind is IncidentType.QUESTION_ISSUE else self.note).setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            watched is self.note
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and not self.note.toPlainText().strip()
        ):
            self._check()
            return True
        return super().eventFilter(watched, event)

    def _ticked(self) -> list[AllocationView]:
        regs = set(self.registration_numbers())
        return [a for a in self.allocations if a.registration_number in regs]

    def _warn(self) -> None:
        ticked = self._ticked()
        if self.everyone.isChecked():
            self.involved.setText(f"Logged for: <b>everyone in the room</b> ({len(ticked)} candidates)")
        elif len(ticked) == 1:
            self.involved.setText(f"Logged for: <b>{titled('', ticked[0])[3:]}</b>")
        else:
            self.involved.setText(
                f"Logged for: <b>{len(ticked)} candidates</b>"
                if ticked
                else "Logged for: the room (no candidate ticked)"
            )
        if self.kind is not IncidentType.QUESTION_ISSUE:
            return
        chosen = self.assessment.currentText().strip()
        others = [a for a in self._ticked() if a.assessment_id != chosen]
        self._form.setRowVisible(self.assessment_warning, bool(others))
        self.assessment_warning.setText(
            ""
            if not others
            else "; ".join(f"{a.workstation} {a.candidate_name} is sitting {a.assessment_id}" for a in others[:3])
            + f", not {chosen or 'this assessment'}."
        )

    def _cap(self) -> None:
        if self.kind is IncidentType.QUESTION_ISSUE and len(self.note.toPlainText()) > QUESTION_DESCRIPTION_MAX:
            self.error.setText(f"Keep it brief: at most {QUESTION_DESCRIPTION_MAX} characters.")

    def _check(self) -> None:
        if self.kind is IncidentType.QUESTION_ISSUE:
            if not self.question.text().strip() or not self.assessment.currentText().strip():
                self.error.setText("A question issue needs the question number and the assessment.")
                (self.question if not self.question.text().strip() else self.assessment).setFocus()
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
        self.setObjectName("identityForm")
        self.setWindowTitle(titled("Identity check", allocation))
        layout = QFormLayout(self)
        layout.addRow(
            QLabel(
                f"<b>{allocation.candidate_name}</b> ({allocation.registration_number}) at "
                f"{allocation.workstation}<br>Takes exactly: <b>{allocation.assessment_id}</b> "
                f"{allocation.assessment_title}"
            )
        )
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
        layout.addRow("Checked &by", self.method)
        layout.addRow("&ID seen", self.id_type)
        layout.addRow("", self.match)
        self.method.currentIndexChanged.connect(
            lambda: self.id_type.setEnabled(self.method.currentData() in ("photo_id", "id_to_camera"))
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        form_keys(self, self.accept)
        self.method.setFocus()
