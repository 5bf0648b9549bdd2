"""The invigilator's sign-off: the log in brief first, then the declaration to confirm."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.services.console.closing import SignOffSummary
from invigilator_app.ui.widgets import form_keys


def summary_html(summary: SignOffSummary) -> str:
    def items(lines: list[str], none: str) -> str:
        if not lines:
            return f"<p>{escape(none)}</p>"
        return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"

    return (
        f"<h3>The log: {summary.entries} entr{'y' if summary.entries == 1 else 'ies'}</h3>"
        + items(summary.entry_lines, "No incidents were logged.")
        + "<h3>Notifications not yet made</h3>"
        + items(summary.unresolved, "None.")
        + "<h3>Candidates without an outcome</h3>"
        + items(summary.without_outcome, "None: every candidate has one.")
    )


class SignOffDialog(QDialog):
    """Shows the summary; the declaration must be ticked before Sign off (Ctrl+Enter) works."""

    def __init__(self, title: str, summary: SignOffSummary, declaration: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signOffForm")
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout = QVBoxLayout(self)
        body = QLabel(summary_html(summary))
        body.setObjectName("signOffSummary")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setAccessibleName("Summary of the log")
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setMinimumHeight(self.fontMetrics().height() * 10)
        layout.addWidget(scroll, 1)
        text = QLabel(declaration)
        text.setWordWrap(True)
        text.setStyleSheet("padding: 6px; background: #f5f5f5;")
        layout.addWidget(text)
        self.confirm = QCheckBox("I &declare the above is true")
        self.confirm.setAccessibleName("Confirm the declaration")
        layout.addWidget(self.confirm)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #a4000f;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign = buttons.addButton("&Sign off", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        form_keys(self, self._check)
        self.confirm.setFocus()

    def _check(self) -> None:
        if not self.confirm.isChecked():
            self.error.setText("Tick the declaration first (Space), then sign off.")
            self.confirm.setFocus()
            return
        self.accept()
