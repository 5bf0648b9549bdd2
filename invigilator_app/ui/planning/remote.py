"""Remote session (coordinator): plan a remotely invigilated session — the day and time,
the room the invigilator watches from, the invigilator, and each candidate with the
assessment and the location they sit it at. The same rules as a room's plan are checked
(a refusal lists every rule broken); nothing is written unless all pass."""

from __future__ import annotations

from datetime import time, timedelta

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.admin.rooms import list_rooms
from invigilator_app.services.admin.users import list_users
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator
from invigilator_app.services.planning.plans import PlannedCandidate, PlanResult
from invigilator_app.services.planning.remote import RemoteCandidate, RemotePlanRequest, plan_remote_session
from invigilator_app.services.quality.actions import today
from invigilator_app.services.station import Station
from invigilator_app.ui.quality.common import QualityDialogs, caption, date_edit, line, py_date
from invigilator_app.ui.widgets import StatusLine, attempt, button

COLUMNS = ("Registration no.", "Assessment id", "Qualification", "Location (where they sit it)")
ROWS = 12


class RemotePlannerArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = QualityDialogs(self)
        now = today(station)
        self.status = StatusLine()
        self.day = date_edit(now + timedelta(days=7), "Day")
        self.start = QTimeEdit(QTime(9, 30))
        self.start.setDisplayFormat("HH:mm")
        self.start.setAccessibleName("Start")
        self.room = QComboBox()
        self.room.setAccessibleName("Room the invigilator watches from")
        self.invigilator = QComboBox()
        self.invigilator.setEditable(True)
        self.invigilator.setAccessibleName("Invigilator")
        self.pin = line("IMI PIN", "the invigilator's IMI PIN")
        self.impartial = QCheckBox("&Impartial (INV-3)")
        self.assessor = QCheckBox("&Assessor (INV-2)")
        self.notice = date_edit(now, "Notice given on")
        self.ready = QCheckBox("&Readiness confirmed for every candidate (CAND-5)")
        self.ready.setChecked(True)
        self.table = QTableWidget(ROWS, len(COLUMNS))
        self.table.setObjectName("remoteCandidates")
        self.table.setAccessibleName("Remote candidates")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((130, 150, 120)):
            self.table.setColumnWidth(col, width)
        form = QFormLayout()
        when = QHBoxLayout()
        when.addWidget(self.day)
        when.addWidget(caption("at", self.start))
        when.addWidget(self.start)
        when.addStretch(1)
        form.addRow(caption("&Day", self.day), when)
        room = QHBoxLayout()
        room.addWidget(self.room)
        room.addWidget(QLabel("the room the invigilator watches from"))
        room.addStretch(1)
        form.addRow(caption("Roo&m", self.room), room)
        who = QHBoxLayout()
        who.addWidget(self.invigilator, 2)
        who.addWidget(caption("IMI &PIN", self.pin))
        who.addWidget(self.pin, 1)
        who.addWidget(self.impartial)
        who.addWidget(self.assessor)
        form.addRow(caption("In&vigilator", self.invigilator), who)
        notice = QHBoxLayout()
        notice.addWidget(self.notice)
        notice.addStretch(1)
        form.addRow(caption("&Notice given on", self.notice), notice)
        form.addRow("", self.ready)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "<h3>Plan a remotely invigilated session</h3>Each candidate sits the assessment at "
                "their own location, watched on camera; identity is checked to camera and the remote "
                "checklist (REMOTE-1 \u2026) is asked instead of the room checklist."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(
            button("P&lan remote session", self.plan, "Check every rule and plan it (Alt+L)", name="plan_remote")
        )
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.invigilator.currentIndexChanged.connect(lambda _i: self._fill_invigilator())
        self.refresh()

    def refresh(self) -> None:
        self.room.clear()
        for room in list_rooms(self.station):
            self.room.addItem(room.name)
        self.invigilator.clear()
        self._people = {u.name: u for u in list_users(self.station) if u.role == "invigilator" and not u.disabled}
        self.invigilator.addItems(sorted(self._people))
        self._fill_invigilator()

    def _fill_invigilator(self) -> None:
        person = self._people.get(self.invigilator.currentText())
        if person is not None:
            self.pin.setText(person.imi_pin)
            self.impartial.setChecked(person.impartial)
            self.assessor.setChecked(person.assessor)

    def _cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def set_row(self, row: int, values: tuple[str, str, str, str]) -> None:
        for col, value in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(value))

    def request(self) -> RemotePlanRequest:
        candidates = []
        problems = []
        for row in range(self.table.rowCount()):
            values = [self._cell(row, col) for col in range(len(COLUMNS))]
            if not any(values):
                continue
            missing = [COLUMNS[col] for col in range(3) if not values[col]]
            if missing:
                problems.append(f"Row {row + 1}: give the {', '.join(m.lower() for m in missing)}.")
                continue
            candidates.append(
                RemoteCandidate(
                    PlannedCandidate(
                        values[0].upper(),
                        values[1],
                        values[2],
                        "",
                        notice_date=py_date(self.notice),
                        readiness_confirmed=self.ready.isChecked(),
                        path=f"row {row + 1}",
                    ),
                    values[3],
                )
            )
        if problems:
            raise BadInput("\n".join(problems))
        start = self.start.time()
        return RemotePlanRequest(
            py_date(self.day),
            time(start.hour(), start.minute()),
            self.room.currentText(),
            PlannedInvigilator(
                self.invigilator.currentText().strip(),
                self.pin.text().strip(),
                self.assessor.isChecked(),
                self.impartial.isChecked(),
            ),
            tuple(candidates),
        )

    def plan(self) -> None:
        def call() -> PlanResult:
            return plan_remote_session(self.station, self.request(), "Remote session")

        result = attempt(self.status, self.dialogs.error, "Remote session", call)
        if result is None:
            return
        warned = "; ".join(f"{v.rule_id}: {v.message}" for v in result.warnings)
        self.status.done(
            f"Planned remote session {result.session_id}." + (f" Warnings noted: {warned}" if warned else "")
        )
        self.table.clearContents()
