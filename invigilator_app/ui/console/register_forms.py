"""Forms for the register and the clock of one candidate: late arrival, transfer.

Each names the candidate in its title ("Late arrival — PC-02 Amelia Hughes"), opens with the
first field focused, saves with Enter or Ctrl+Enter and cancels with Esc."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.ui.widgets import form_keys


class RegisterForm(QDialog):
    """A heading, an optional choice (e.g. the session to transfer to) and a one-line text."""

    def __init__(
        self,
        title: str,
        heading: str,
        text_label: str,
        choices: Sequence[tuple[int, str]] = (),
        choice_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("registerForm")
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        layout = QVBoxLayout(self)
        top = QLabel(f"<b>{title}</b> — {heading}")
        top.setWordWrap(True)
        layout.addWidget(top)
        form = QFormLayout()
        self.choice: QComboBox | None = None
        if choices:
            self.choice = QComboBox()
            self.choice.setAccessibleName(choice_label.rstrip(":").replace("&", ""))
            for value, label in choices:
                self.choice.addItem(label, value)
            form.addRow(choice_label, self.choice)
        self.text = QLineEdit()
        self.text.setAccessibleName(text_label.rstrip(":").replace("&", ""))
        form.addRow(text_label, self.text)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        form_keys(self, self.accept)
        (self.choice or self.text).setFocus()

    def chosen(self) -> int | None:
        return self.choice.currentData() if self.choice is not None else None

    def answer(self) -> str:
        return self.text.text().strip()
