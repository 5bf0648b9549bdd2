"""Actions (every open action, overdue first, with its days left), the complaints and
appeals register with its windows, and the malpractice reports' deadlines."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.quality import complaints, malpractice_deadlines
from invigilator_app.services.quality.actions import list_actions, today
from invigilator_app.services.quality.complaints import STAGES, ComplaintInput
from invigilator_app.services.station import Station
from invigilator_app.ui.quality.common import (
    ActionsModel,
    ComplaintsModel,
    DeadlinesModel,
    QualityDialogs,
    caption,
    date_edit,
    line,
    py_date,
)
from invigilator_app.ui.widgets import StatusLine, attempt, button, make_table, selected_row


class ActionsPage(QWidget):
    """Every open action of every visit: overdue first, then by days left."""

    def __init__(self, station: Station, dialogs: QualityDialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = dialogs
        self.summary = QLabel()
        self.summary.setObjectName("actionsSummary")
        self.summary.setAccessibleName("Actions summary")
        self.summary.setWordWrap(True)
        self.within = QSpinBox()
        self.within.setRange(0, 3650)
        self.within.setValue(3650)
        self.within.setAccessibleName("Due within days")
        self.within.setSuffix(" days")
        self.within.valueChanged.connect(lambda _v: self.refresh())
        self.model = ActionsModel()
        self.view = make_table(self.model, "Open actions")
        self.status = StatusLine()
        row = QHBoxLayout()
        row.addWidget(caption("Due &within", self.within))
        row.addWidget(self.within)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        rows = (
            attempt(
                self.status,
                self.dialogs.error,
                "Actions",
                lambda: list_actions(self.station, due_within=self.within.value()),
            )
            or []
        )
        self.model.set_rows(rows)
        overdue = sum(1 for a in rows if a.state == "overdue")
        soon = sum(1 for a in rows if a.state == "due soon")
        self.summary.setText(
            f"<b>{overdue} overdue</b>, {soon} due within 7 days, {len(rows)} open in all. Each must be done by its "
            "date and signed off by the EQA; a missed date brings sanctions."
            if rows
            else "No open actions."
        )


class ComplaintsPage(QWidget):
    """The register: a new complaint or appeal, its stage, outcome and closing."""

    def __init__(
        self, station: Station, dialogs: QualityDialogs, changed: object = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = dialogs
        self.changed = changed
        now = today(station)
        self.model = ComplaintsModel()
        self.view = make_table(self.model, "Complaints and appeals")
        self.status = StatusLine()
        self.received = date_edit(now, "Received on")
        self.incident = date_edit(now - timedelta(days=1), "Incident date")
        self.complainant = line("Complainant", "who complains")
        self.about = line("About person", "whom it is about (staff, other)")
        self.candidate = line("Candidate", "registration no. (optional)")
        self.sessions = line("Sessions", "session numbers, e.g. 12, 14")
        self.stage = QComboBox()
        self.stage.setAccessibleName("Stage")
        for key, label in STAGES.items():
            self.stage.addItem(label, key)
        self.summary_edit = line("Summary", "what it is about")
        grid = QGridLayout()
        cells = [
            ("&Received on", self.received),
            ("&Incident on", self.incident),
            ("Co&mplainant", self.complainant),
            ("A&bout", self.about),
            ("Ca&ndidate", self.candidate),
            ("S&essions", self.sessions),
            ("S&tage", self.stage),
            ("S&ummary", self.summary_edit),
        ]
        for i, (text, widget) in enumerate(cells):
            grid.addWidget(caption(text, widget), i // 4, (i % 4) * 2)
            grid.addWidget(widget, i // 4, (i % 4) * 2 + 1)
        grid.addWidget(
            button("Record &complaint", self.record, "Add it to the register (Alt+C)", name="record_complaint"), 2, 7
        )
        box = QGroupBox("New complaint or appeal (the centre's own process comes first)")
        box.setLayout(grid)
        self.outcome = line("Outcome", "the outcome, to close it")
        follow = QHBoxLayout()
        follow.addWidget(button("Move to the chosen stage", self.set_stage, name="set_stage"))
        follow.addWidget(self.outcome, 1)
        follow.addWidget(
            button("C&lose with outcome", self.close_one, "Close the chosen complaint (Alt+L)", name="close_complaint")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(
            QLabel(
                "Raised within 90 days of the incident; never heard more than 6 months after it. "
                "The sessions an open complaint names are kept from the retention purge."
            )
        )
        layout.addWidget(self.view, 1)
        layout.addLayout(follow)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(
            attempt(self.status, self.dialogs.error, "Complaints", lambda: complaints.list_complaints(self.station))
            or []
        )

    def _session_ids(self) -> tuple[int, ...]:
        parts = [p.strip() for p in self.sessions.text().replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise BadInput(f"Sessions: {self.sessions.text()!r} is not a list of session numbers (e.g. 12, 14).")
        return tuple(int(p) for p in parts)

    def record(self) -> None:
        def call() -> complaints.ComplaintView:
            return complaints.record_complaint(
                self.station,
                ComplaintInput(
                    received_on=py_date(self.received),
                    incident_on=py_date(self.incident),
                    summary=self.summary_edit.text(),
                    complainant=self.complainant.text(),
                    about_person=self.about.text(),
                    registration_number=self.candidate.text(),
                    session_ids=self._session_ids(),
                    stage=str(self.stage.currentData()),
                ),
            )

        view = attempt(self.status, self.dialogs.error, "New complaint", call)
        if view is not None:
            for edit in (self.complainant, self.about, self.candidate, self.sessions, self.summary_edit):
                edit.clear()
            self.status.done(f"Complaint {view.id} recorded: {view.standing}; 6 months end {view.last_day:%d %b %Y}.")
            self._after()

    def _chosen(self) -> int | None:
        row = selected_row(self.view)
        if row is None:
            self.status.refused("choose a complaint first.")
            return None
        return self.model.row_at(row).id

    def set_stage(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        view = attempt(
            self.status,
            self.dialogs.error,
            "Stage",
            lambda: complaints.update_complaint(self.station, chosen, stage=str(self.stage.currentData())),
        )
        if view is not None:
            self.status.done(f"Complaint {view.id}: {STAGES[view.stage]}.")
            self._after()

    def close_one(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        view = attempt(
            self.status,
            self.dialogs.error,
            "Close",
            lambda: complaints.update_complaint(
                self.station, chosen, outcome=self.outcome.text(), closed_on=today(self.station)
            ),
        )
        if view is not None:
            self.outcome.clear()
            self.status.done(f"Complaint {view.id} closed; its sessions are no longer held from the purge.")
            self._after()

    def _after(self) -> None:
        self.refresh()
        if callable(self.changed):
            self.changed()


class DeadlinesPage(QWidget):
    """Each malpractice report: when the awarding body must be told, and when its records
    may be purged."""

    def __init__(
        self, station: Station, dialogs: QualityDialogs, changed: object = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = dialogs
        self.changed = changed
        self.model = DeadlinesModel()
        self.view = make_table(self.model, "Malpractice deadlines")
        self.status = StatusLine()
        self.told_on = date_edit(today(station), "Told on")
        row = QHBoxLayout()
        row.addWidget(caption("Told o&n", self.told_on))
        row.addWidget(self.told_on)
        row.addWidget(
            button("Record &told…", self.record_told, "The awarding body was told (Alt+T)", name="record_told")
        )
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "The awarding body must be told immediately; records stay while the investigation "
                "is open and at least five years after (003)."
            )
        )
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(
            attempt(
                self.status,
                self.dialogs.error,
                "Malpractice",
                lambda: malpractice_deadlines.list_deadlines(self.station),
            )
            or []
        )

    def record_told(self) -> None:
        row = selected_row(self.view)
        if row is None:
            self.status.refused("choose a report first.")
            return
        report_id = self.model.row_at(row).report_id
        reference = self.dialogs.text("Awarding body told", "Their reference (or the email it was sent in):")
        if reference is None:
            return
        view = attempt(
            self.status,
            self.dialogs.error,
            "Malpractice",
            lambda: malpractice_deadlines.record_notified(self.station, report_id, py_date(self.told_on), reference),
        )
        if view is not None:
            self.status.done(f"Report {view.report_id}: {view.when}.")
            self.refresh()
            if callable(self.changed):
                self.changed()
