"""The malpractice / maladministration report form (003): every field the awarding body
asks for, with the list of what is still missing kept up to date as the coordinator types."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.malpractice import (
    FIELD_LABELS,
    Learner,
    MalpracticeFields,
    MalpracticeReportView,
    missing_fields,
)

LONG = {
    "nature",
    "initial_investigation",
    "outcome",
    "mitigating_circumstances",
    "centre_staff",
    "product",
    "awarding_body_staff",
    "conflict_of_interest",
}


class MalpracticeForm(QDialog):
    def __init__(self, report: MalpracticeReportView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Malpractice report {report.id}")
        self.resize(760, 680)
        layout = QVBoxLayout(self)
        self.missing = QLabel()
        self.missing.setObjectName("missing")
        self.missing.setWordWrap(True)
        self.missing.setAccessibleName("Fields still missing")
        layout.addWidget(self.missing)
        body = QWidget()
        form = QFormLayout(body)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        for f in fields(MalpracticeFields):
            if f.name == "learners":
                continue
            value = str(getattr(report.fields, f.name))
            edit: QLineEdit | QPlainTextEdit
            if f.name in LONG:
                edit = QPlainTextEdit(value)
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(58)
                edit.textChanged.connect(self._update)
            else:
                edit = QLineEdit(value)
                edit.textChanged.connect(self._update)
            edit.setAccessibleName(FIELD_LABELS[f.name])
            edit.setObjectName(f.name)
            self.edits[f.name] = edit
            label = QLabel(FIELD_LABELS[f.name])
            label.setWordWrap(True)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.learners = QPlainTextEdit(
            "\n".join(f"{x.name}; {x.date_of_birth}; {x.registration_number}" for x in report.fields.learners)
        )
        self.learners.setObjectName("learners")
        self.learners.setAccessibleName("Learners: name; date of birth; registration number, one a line")
        self.learners.setTabChangesFocus(True)
        self.learners.setFixedHeight(70)
        self.learners.textChanged.connect(self._update)
        form.addRow(QLabel("Learner(s): name; date of birth;\nregistration number — one a line"), self.learners)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()

    def values(self) -> MalpracticeFields:
        texts = {
            name: (edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()).strip()
            for name, edit in self.edits.items()
        }
        learners = []
        for line in self.learners.toPlainText().splitlines():
            if line.strip():
                parts = [p.strip() for p in line.split(";")] + ["", ""]
                learners.append(Learner(parts[0], parts[1], parts[2]))
        return MalpracticeFields(**texts, learners=tuple(learners))

    def _update(self) -> None:
        missing = missing_fields(self.values())
        if missing:
            self.missing.setText(
                "<b>Still missing before export (write “None” where nothing applies):</b> " + "; ".join(missing)
            )
        else:
            self.missing.setText("<b>Complete:</b> every field the awarding body asks for is filled in.")
