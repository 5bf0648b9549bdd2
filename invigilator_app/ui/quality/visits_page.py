"""Visits (coordinator): the EQA's visits, a new visit's details, the visit's sampling plan
and the actions raised at it — evidence, done, the EQA's sign-off — and its signed report."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.services.admin.accounts import list_accounts
from invigilator_app.services.quality import actions, visits
from invigilator_app.services.quality.actions import today
from invigilator_app.services.quality.report import export_visit_report
from invigilator_app.services.quality.visits import SAMPLE_KINDS, SampleInput, VisitInput
from invigilator_app.services.station import Station
from invigilator_app.ui.quality.common import (
    ActionsModel,
    OptionalDate,
    QualityDialogs,
    SamplesModel,
    VisitsModel,
    caption,
    date_edit,
    line,
    py_date,
)
from invigilator_app.ui.widgets import StatusLine, attempt, button, make_table, selected_row


class VisitsPage(QWidget):
    def __init__(
        self, station: Station, dialogs: QualityDialogs, changed: object = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = dialogs
        self.changed = changed
        now = today(station)
        self.status = StatusLine()
        self.visits = VisitsModel()
        self.visit_view = make_table(self.visits, "Visits")
        self.visit_view.selectionModel().selectionChanged.connect(lambda *_: self._show_visit())
        # a new visit
        self.eqa_name = line("EQA name", "the external quality assurer's name")
        self.planned_on = date_edit(now + timedelta(days=42), "Visit on")
        self.period_from = date_edit(now - timedelta(days=90), "Period from")
        self.period_to = date_edit(now, "Period to")
        self.unannounced = QCheckBox("&Unannounced")
        self.remote = QCheckBox("Re&mote")
        self.schedule = OptionalDate("Sc&hedule received", now)
        self.plan = OptionalDate("Sampling &plan received", now)
        self.inspector = QComboBox()
        self.inspector.setAccessibleName("Inspector account")
        self.notes = line("Notes")
        form = QFormLayout()
        form.addRow(caption("E&QA name", self.eqa_name), self.eqa_name)
        form.addRow(caption("&Visit on", self.planned_on), self.planned_on)
        period = QHBoxLayout()
        period.addWidget(self.period_from)
        period.addWidget(caption("to", self.period_to))
        period.addWidget(self.period_to)
        period.addStretch(1)
        form.addRow(caption("Period &from", self.period_from), period)
        kinds = QHBoxLayout()
        kinds.addWidget(self.unannounced)
        kinds.addWidget(self.remote)
        kinds.addStretch(1)
        form.addRow("Kind", kinds)
        form.addRow(self.schedule)
        form.addRow(self.plan)
        inspector_row = QHBoxLayout()
        inspector_row.addWidget(self.inspector, 1)
        inspector_row.addWidget(
            button(
                "Lin&k to the chosen visit",
                self.link_inspector,
                "Link this inspector account to the visit chosen on the left (Alt+K)",
                name="link_inspector",
            )
        )
        form.addRow(caption("&Inspector account", self.inspector), inspector_row)
        form.addRow("Notes", self.notes)
        save = button("&Save visit", self.save_visit, "Record this visit (Alt+S)", name="save_visit")
        form.addRow(save)
        new_box = QGroupBox("New visit")
        new_box.setLayout(form)
        top = QHBoxLayout()
        top.addWidget(self.visit_view, 3)
        top.addWidget(new_box, 2)
        # the sampling plan
        self.samples = SamplesModel()
        self.sample_view = make_table(self.samples, "Sampling plan")
        self.sample_kind = QComboBox()
        self.sample_kind.setAccessibleName("Sample kind")
        self.sample_kind.addItems(list(SAMPLE_KINDS))
        self.sample_session = QSpinBox()
        self.sample_session.setAccessibleName("Session number")
        self.sample_session.setRange(0, 10_000_000)
        self.sample_session.setSpecialValueText("no session")
        self.sample_candidate = line("Registration number", "registration no.")
        self.sample_text = line("Sample description", "what was sampled")
        add_sample = QHBoxLayout()
        for w in (self.sample_kind, self.sample_session, self.sample_candidate, self.sample_text):
            add_sample.addWidget(w)
        add_sample.addWidget(
            button("Add to pla&n", self.add_sample, "Add this item to the sampling plan (Alt+N)", name="add_sample")
        )
        looked = QHBoxLayout()
        looked.addWidget(
            button("&Looked at", self.mark_looked, "Tick the chosen item off as looked at (Alt+L)", name="looked_at")
        )
        looked.addStretch(1)
        plan_box = QGroupBox("Sampling plan of the chosen visit")
        plan_layout = QVBoxLayout(plan_box)
        plan_layout.addWidget(self.sample_view)
        plan_layout.addLayout(add_sample)
        plan_layout.addLayout(looked)
        # the actions
        self.action_rows = ActionsModel()
        self.action_view = make_table(self.action_rows, "Actions of the visit")
        self.action_text = line("Action", "what the EQA asked for")
        self.action_due = date_edit(now + timedelta(days=28), "Due by")
        self.action_reference = line("Evidence reference", "where the evidence is (optional)")
        add_action = QHBoxLayout()
        add_action.addWidget(caption("Ac&tion", self.action_text))
        add_action.addWidget(self.action_text, 3)
        add_action.addWidget(caption("Due &by", self.action_due))
        add_action.addWidget(self.action_due)
        add_action.addWidget(caption("&Reference", self.action_reference))
        add_action.addWidget(self.action_reference, 2)
        add_action.addWidget(
            button("&Add action", self.add_action, "Add this action to the visit (Alt+A)", name="add_action")
        )
        self.done_on = date_edit(now, "Done on")
        follow = QHBoxLayout()
        follow.addWidget(caption("Done on", self.done_on))
        follow.addWidget(self.done_on)
        follow.addWidget(
            button("Mark &done", self.mark_done, "The chosen action was done on this day (Alt+D)", name="mark_done")
        )
        follow.addWidget(
            button(
                "Attach &evidence file…",
                self.attach,
                "Keep a file in the encrypted store (Alt+E)",
                name="attach_evidence",
            )
        )
        follow.addWidget(
            button(
                "Record EQA si&gn-off…",
                self.sign_off,
                "Record the EQA's sign-off with their reference (Alt+G)",
                name="record_signoff",
            )
        )
        follow.addStretch(1)
        follow.addWidget(
            button("E&xport visit report…", self.export, "The signed visit report PDF (Alt+X)", name="export_report")
        )
        action_box = QGroupBox("Actions raised at the chosen visit")
        action_layout = QVBoxLayout(action_box)
        action_layout.addWidget(self.action_view)
        action_layout.addLayout(add_action)
        action_layout.addLayout(follow)
        bottom = QHBoxLayout()
        bottom.addWidget(plan_box, 2)
        bottom.addWidget(action_box, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 2)
        layout.addLayout(bottom, 3)
        layout.addWidget(self.status)
        self.refresh()

    # reading
    def refresh(self) -> None:
        current = self.current_visit_id()
        self.inspector.clear()
        self.inspector.addItem("none yet", "")
        for account in list_accounts(self.station):
            if account.role == "inspector" and account.status == "active":
                self.inspector.addItem(f"{account.name} (until {account.expires})", account.name)
        rows = attempt(self.status, self.dialogs.error, "Visits", lambda: visits.list_visits(self.station)) or []
        self.visits.set_rows(rows)
        ids = [v.id for v in rows]
        if rows:
            self.visit_view.selectRow(ids.index(current) if current in ids else 0)
        self._show_visit()

    def current_visit_id(self) -> int | None:
        row = selected_row(self.visit_view)
        return self.visits.row_at(row).id if row is not None and row < self.visits.rowCount() else None

    def _show_visit(self) -> None:
        visit_id = self.current_visit_id()
        if visit_id is None:
            self.samples.set_rows([])
            self.action_rows.set_rows([])
            return
        visit = visits.get_visit(self.station, visit_id)
        self.samples.set_rows(visit.samples)
        self.action_rows.set_rows(actions.list_actions(self.station, visit_id=visit_id, include_signed_off=True))

    def _changed(self, text: str) -> None:
        self.status.done(text)
        self.refresh()
        if callable(self.changed):
            self.changed()

    def _need_visit(self) -> int | None:
        visit_id = self.current_visit_id()
        if visit_id is None:
            self.status.refused("choose a visit first (or save a new one).")
        return visit_id

    def _action_id(self) -> int | None:
        row = selected_row(self.action_view)
        if row is None:
            self.status.refused("choose an action first.")
            return None
        return self.action_rows.row_at(row).id

    # writing
    def save_visit(self) -> None:
        wanted = VisitInput(
            eqa_name=self.eqa_name.text(),
            planned_on=py_date(self.planned_on),
            period_from=py_date(self.period_from),
            period_to=py_date(self.period_to),
            announced=not self.unannounced.isChecked(),
            remote=self.remote.isChecked(),
            schedule_received_on=self.schedule.value(),
            sampling_plan_received_on=self.plan.value(),
            inspector=str(self.inspector.currentData() or ""),
            notes=self.notes.text(),
        )
        view = attempt(self.status, self.dialogs.error, "New visit", lambda: visits.record_visit(self.station, wanted))
        if view is not None:
            self.eqa_name.clear()
            self.notes.clear()
            self._changed(f"Visit {view.id} by {view.eqa_name} on {view.planned_on:%d %b %Y} recorded.")
            ids = [self.visits.row_at(i).id for i in range(self.visits.rowCount())]
            self.visit_view.selectRow(ids.index(view.id))
            self.action_text.setFocus()

    def link_inspector(self) -> None:
        visit_id = self._need_visit()
        if visit_id is None:
            return
        name = str(self.inspector.currentData() or "")
        view = attempt(
            self.status,
            self.dialogs.error,
            "Inspector account",
            lambda: visits.link_inspector(self.station, visit_id, name),
        )
        if view is not None:
            self._changed(f"Visit {view.id}: inspector account {view.inspector or 'none'}.")

    def add_sample(self) -> None:
        visit_id = self._need_visit()
        if visit_id is None:
            return
        wanted = SampleInput(
            self.sample_kind.currentText(),
            self.sample_session.value() or None,
            self.sample_candidate.text(),
            self.sample_text.text(),
        )
        view = attempt(
            self.status, self.dialogs.error, "Sampling plan", lambda: visits.add_sample(self.station, visit_id, wanted)
        )
        if view is not None:
            for edit in (self.sample_candidate, self.sample_text):
                edit.clear()
            self.sample_session.setValue(0)
            self._changed(f"Added to the sampling plan: {view.label}.")

    def mark_looked(self) -> None:
        row = selected_row(self.sample_view)
        if row is None:
            self.status.refused("choose an item of the sampling plan first.")
            return
        sample = self.samples.row_at(row)
        view = attempt(
            self.status,
            self.dialogs.error,
            "Sampling plan",
            lambda: visits.mark_looked_at(self.station, sample.id, not sample.looked_at),
        )
        if view is not None:
            self._changed(f"{view.label}: {'looked at' if view.looked_at else 'not looked at yet'}.")

    def add_action(self) -> None:
        visit_id = self._need_visit()
        if visit_id is None:
            return
        view = attempt(
            self.status,
            self.dialogs.error,
            "New action",
            lambda: actions.add_action(
                self.station, visit_id, self.action_text.text(), py_date(self.action_due), self.action_reference.text()
            ),
        )
        if view is not None:
            self.action_text.clear()
            self.action_reference.clear()
            self._changed(f"Action {view.id} added: due {view.due_on:%d %b %Y}, {view.when}.")

    def mark_done(self) -> None:
        action_id = self._action_id()
        if action_id is None:
            return
        view = attempt(
            self.status,
            self.dialogs.error,
            "Action done",
            lambda: actions.mark_done(self.station, action_id, py_date(self.done_on)),
        )
        if view is not None:
            self._changed(f"Action {view.id}: {view.when}.")

    def attach(self) -> None:
        action_id = self._action_id()
        if action_id is None:
            return
        path = self.dialogs.open_file("Evidence file for the action")
        if path is None:
            return
        view = attempt(
            self.status, self.dialogs.error, "Evidence", lambda: actions.attach_evidence(self.station, action_id, path)
        )
        if view is not None:
            self._changed(f"{path.name} kept in the store as evidence for action {view.id}.")

    def sign_off(self) -> None:
        action_id = self._action_id()
        if action_id is None:
            return
        reference = self.dialogs.text("EQA sign-off", "The EQA's reference for the sign-off (email, hub form):")
        if reference is None:
            return
        view = attempt(
            self.status,
            self.dialogs.error,
            "EQA sign-off",
            lambda: actions.sign_off(self.station, action_id, reference),
        )
        if view is not None:
            self._changed(f"Action {view.id} signed off: {view.signed_off}.")

    def export(self) -> None:
        visit_id = self._need_visit()
        if visit_id is None:
            return
        path = self.dialogs.save_file("Visit report", f"eqa-visit-{visit_id}.pdf")
        if path is None:
            return
        out = attempt(
            self.status, self.dialogs.error, "Visit report", lambda: export_visit_report(self.station, visit_id, path)
        )
        if out is not None:
            self.status.done(f"Wrote the signed visit report to {out}.")
