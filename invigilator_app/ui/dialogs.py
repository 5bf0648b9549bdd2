"""Every question the GUI asks and every message it shows, behind one small service, so
that windows can be driven by tests without clicking through modal dialogs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.console.sessions import AllocationView
from invigilator_app.ui.console.record_dialogs import EntryDialog, IdentityDialog


@dataclass(frozen=True)
class EntryAnswer:
    note: str
    registration_numbers: list[str]
    question_number: str = ""
    assessment_id: str = ""


@dataclass(frozen=True)
class IdentityAnswer:
    method: str
    id_type: str
    match_confirmed: bool


class Dialogs:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def entry(self, kind: IncidentType, allocations: Sequence[AllocationView], preselected: str) -> EntryAnswer | None:
        dialog = EntryDialog(kind, allocations, preselected, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return EntryAnswer(dialog.note.toPlainText().strip(), dialog.registration_numbers(),
                           dialog.question.text().strip(), dialog.assessment.currentText().strip())

    def identity(self, allocation: AllocationView) -> IdentityAnswer | None:
        dialog = IdentityDialog(allocation, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        method = str(dialog.method.currentData())
        id_type = dialog.id_type.currentText().strip() if method in ("photo_id", "id_to_camera") else ""
        return IdentityAnswer(method, id_type, dialog.match.isChecked())

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def info(self, title: str, html: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, html, QMessageBox.StandardButton.Close, self.parent)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def choose(self, title: str, label: str, options: list[str]) -> str | None:
        value, ok = QInputDialog.getItem(self.parent, title, label, options, 0, False)
        return value if ok and value else None

    def save_file(self, title: str, suggested: str, file_filter: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, file_filter)
        return Path(path) if path else None

    def text(self, title: str, label: str) -> str | None:
        value, ok = QInputDialog.getText(self.parent, title, label)
        return value.strip() if ok and value.strip() else None
