"""Every question the GUI asks and every message it shows, behind one small service, so
that windows can be driven by tests without clicking through modal dialogs.

The console's forms (log entry, identity check, sign-off) open window-modal without
blocking (``QDialog.open``) and call ``done`` with the answer when saved; cancelled, they
call nothing. Short questions (a reason, a choice) are asked and answered in place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from shiboken6 import isValid

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.console.closing import SignOffSummary
from invigilator_app.services.console.sessions import AllocationView
from invigilator_app.ui.console.record_dialogs import (
    PAUSING,
    EntryDialog,
    IdentityDialog,
)
from invigilator_app.ui.console.register_forms import RegisterForm
from invigilator_app.ui.console.sign_off import SignOffDialog
from invigilator_app.ui.widgets import form_keys


@dataclass(frozen=True)
class EntryAnswer:
    note: str
    registration_numbers: list[str]
    question_number: str = ""
    assessment_id: str = ""
    pause: bool = False


@dataclass(frozen=True)
class IdentityAnswer:
    method: str
    id_type: str
    match_confirmed: bool


class Dialogs:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def entry(
        self,
        kind: IncidentType,
        allocations: Sequence[AllocationView],
        preselected: str,
        done: Callable[[EntryAnswer], None],
    ) -> QDialog:
        dialog = EntryDialog(kind, allocations, preselected, self.parent)
        dialog.accepted.connect(
            lambda: done(
                EntryAnswer(
                    dialog.note.toPlainText().strip(),
                    dialog.registration_numbers(),
                    dialog.question.text().strip(),
                    dialog.assessment.currentText().strip(),
                    kind in PAUSING and dialog.pause.isChecked(),
                )
            )
        )
        return self._open(dialog)

    def identity(self, allocation: AllocationView, done: Callable[[IdentityAnswer], None]) -> QDialog:
        dialog = IdentityDialog(allocation, self.parent)

        def answer() -> None:
            method = str(dialog.method.currentData())
            id_type = dialog.id_type.currentText().strip() if method in ("photo_id", "id_to_camera") else ""
            done(IdentityAnswer(method, id_type, dialog.match.isChecked()))

        dialog.accepted.connect(answer)
        return self._open(dialog)

    def sign_off(self, title: str, summary: SignOffSummary, declaration: str, done: Callable[[], None]) -> QDialog:
        dialog = SignOffDialog(title, summary, declaration, self.parent)
        dialog.accepted.connect(done)
        return self._open(dialog)

    def register_form(
        self,
        title: str,
        heading: str,
        text_label: str,
        done: Callable[[int | None, str], None],
        choices: Sequence[tuple[int, str]] = (),
        choice_label: str = "",
    ) -> QDialog:
        """Late arrival, transfer: ``done(chosen id or None, text)`` when saved."""
        dialog = RegisterForm(title, heading, text_label, choices, choice_label, self.parent)
        dialog.accepted.connect(lambda: done(dialog.chosen(), dialog.answer()))
        return self._open(dialog)

    @staticmethod
    def _open(dialog: QDialog) -> QDialog:
        """Open without blocking; when it closes, the keyboard goes back where it was (the seat)."""
        before = QApplication.focusWidget()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def back(_result: int) -> None:
            if before is not None and isValid(before) and before.isVisible():
                before.window().activateWindow()
                before.setFocus(Qt.FocusReason.PopupFocusReason)

        dialog.finished.connect(back)
        dialog.open()
        return dialog

    def error(self, title: str, text: str) -> None:
        """A warning that does not block: Enter or Esc closes it, and nothing waits for it."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.parent)
        box.setObjectName("warning")
        self._open(box)

    def info(self, title: str, html: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, html, QMessageBox.StandardButton.Close, self.parent)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self.parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose(self, title: str, label: str, options: list[str]) -> str | None:
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setComboBoxItems(options)
        dialog.setComboBoxEditable(False)
        form_keys(dialog, dialog.accept)
        return dialog.textValue() or None if dialog.exec() == QDialog.DialogCode.Accepted else None

    def save_file(self, title: str, suggested: str, file_filter: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, file_filter)
        return Path(path) if path else None

    def text(self, title: str, label: str) -> str | None:
        """A short answer; None when cancelled, "" when saved empty (the caller says if that will do)."""
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        form_keys(dialog, dialog.accept)
        return dialog.textValue().strip() if dialog.exec() == QDialog.DialogCode.Accepted else None
