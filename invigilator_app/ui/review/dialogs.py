"""The questions the review, patterns and inspection areas ask, behind one small object
that tests replace with a fake (as ``ui.dialogs`` does for the main window)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from invigilator_app.domain.malpractice import MalpracticeFields, MalpracticeReportView


class ReviewDialogs:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def text(self, title: str, label: str, multiline: bool = True) -> str | None:
        if multiline:
            value, ok = QInputDialog.getMultiLineText(self.parent, title, label)
        else:
            value, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.EchoMode.Normal)
        return value.strip() if ok and value.strip() else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def save_file(self, title: str, suggested: str, filters: str = "PDF (*.pdf)") -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filters)
        return Path(path) if path else None

    def folder(self, title: str) -> Path | None:
        path = QFileDialog.getExistingDirectory(self.parent, title)
        return Path(path) if path else None

    def malpractice(self, report: MalpracticeReportView) -> MalpracticeFields | None:
        from invigilator_app.ui.review.malpractice_form import MalpracticeForm

        form = MalpracticeForm(report, self.parent)
        if form.exec() != MalpracticeForm.DialogCode.Accepted:
            return None
        return form.values()

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)
