"""What the quality pages share: their questions behind one object (a fake in tests),
table models, and small form helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from invigilator_app.services.quality.actions import ActionView
from invigilator_app.services.quality.complaints import STAGES, ComplaintView
from invigilator_app.services.quality.malpractice_deadlines import MalpracticeDeadline
from invigilator_app.services.quality.visits import SampleView, VisitView, plan_notice_days
from invigilator_app.ui.models import RowsModel


class QualityDialogs:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def text(self, title: str, label: str) -> str | None:
        value, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.EchoMode.Normal)
        return value.strip() if ok and value.strip() else None

    def open_file(self, title: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title)
        return Path(path) if path else None

    def save_file(self, title: str, suggested: str, filters: str = "PDF (*.pdf)") -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filters)
        return Path(path) if path else None

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)


def date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setAccessibleName(name)
    return edit


def py_date(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class OptionalDate(QWidget):
    """A date that may be not yet known: a tick box beside the date."""

    def __init__(self, label: str, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.known = QCheckBox(label)
        self.known.setAccessibleName(f"{label.replace('&', '')} known")
        self.edit = date_edit(day, label.replace("&", ""))
        self.edit.setEnabled(False)
        self.known.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.known)
        row.addWidget(self.edit)
        row.addStretch(1)

    def value(self) -> date | None:
        return py_date(self.edit) if self.known.isChecked() else None


def line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setObjectName(name.lower().replace(" ", "_"))
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _d(day: date | None) -> str:
    return f"{day:%d %b %Y}" if day is not None else ""


class VisitsModel(RowsModel[VisitView]):
    columns = (
        ("No.", lambda v: str(v.id)),
        ("Visit on", lambda v: _d(v.planned_on)),
        ("EQA", lambda v: v.eqa_name),
        ("Kind", lambda v: v.kind),
        ("Period", lambda v: f"{_d(v.period_from)} – {_d(v.period_to)}"),
        (
            "Plan received",
            lambda v: (
                f"{_d(v.sampling_plan_received_on)}, {plan_notice_days(v)} days before"
                if v.sampling_plan_received_on
                else "not yet"
            ),
        ),
        ("Inspector account", lambda v: v.inspector),
        ("Looked at", lambda v: f"{v.looked_at} of {len(v.samples)}"),
    )


class SamplesModel(RowsModel[SampleView]):
    columns = (
        ("Item", lambda s: s.label),
        ("Looked at", lambda s: f"✓ {s.looked_at}" if s.looked_at else "not yet"),
        ("By", lambda s: s.looked_by),
    )


class ActionsModel(RowsModel[ActionView]):
    columns = (
        ("No.", lambda a: str(a.id)),
        ("Days left", lambda a: str(a.days_left) if a.state not in ("done", "signed off") else ""),
        ("State", lambda a: a.state.upper() if a.state == "overdue" else a.state),
        ("Due", lambda a: _d(a.due_on)),
        ("When", lambda a: a.when),
        ("Action", lambda a: a.text),
        ("Visit", lambda a: f"{a.visit_id} ({a.eqa_name})"),
        (
            "Evidence",
            lambda a: "; ".join(
                [a.evidence_reference] * bool(a.evidence_reference) + [e.file_name for e in a.evidence]
            ),
        ),
        ("EQA sign-off", lambda a: a.signed_off),
    )


class ComplaintsModel(RowsModel[ComplaintView]):
    columns = (
        ("No.", lambda c: str(c.id)),
        ("Received", lambda c: _d(c.received_on)),
        ("Incident", lambda c: _d(c.incident_on)),
        ("As received", lambda c: c.standing),
        ("90 days to", lambda c: _d(c.prompt_until)),
        ("6 months to", lambda c: _d(c.last_day)),
        ("Open", lambda c: c.last_day_note if c.open else f"closed {_d(c.closed_on)}"),
        ("Stage", lambda c: STAGES.get(c.stage, c.stage)),
        ("From", lambda c: c.complainant),
        ("About", lambda c: c.about),
        ("Sessions", lambda c: ", ".join(str(i) for i in c.session_ids)),
        ("Summary", lambda c: c.summary),
        ("Outcome", lambda c: c.outcome),
    )


class DeadlinesModel(RowsModel[MalpracticeDeadline]):
    columns = (
        ("Report", lambda d: str(d.report_id)),
        ("Tell the awarding body by", lambda d: _d(d.tell_by)),
        ("State", lambda d: d.state.upper() if d.state == "overdue" else d.state),
        ("When", lambda d: d.when),
        ("Reference", lambda d: d.reference),
        ("Records may be purged", lambda d: d.purge),
        ("Sessions", lambda d: ", ".join(str(i) for i in d.session_ids)),
    )
