"""Session planner: date, time, room and invigilator; candidates and assessments; seats by
hand or automatically; the rule panel (blocks, authorisation requests and warnings with
rule ids) re-checked 200 ms after every change; Save only while nothing blocks; copy a
session to another date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QDate, QSignalBlocker, QTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.enums import Role, Severity
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.timefmt import day_text, session_name, time_text
from invigilator_app.domain.timezones import local
from invigilator_app.domain.violations import Violation
from invigilator_app.services.admin import rooms
from invigilator_app.services.admin.candidates import candidate_choices
from invigilator_app.services.admin.catalogue_admin import list_assessments
from invigilator_app.services.admin.users import UserView, list_users
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator
from invigilator_app.services.planning.plans import (
    PlannedCandidate,
    PlanRequest,
    plan_session,
    preview_plan,
)
from invigilator_app.services.planning.seat_assignment import SeatRequest, auto_assign
from invigilator_app.services.planning.session_copy import copy_session
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.forms import NO_DATE, AdminDialogs
from invigilator_app.ui.admin.models import PlanLine, PlanLinesModel, ViolationsModel
from invigilator_app.ui.widgets import (
    StatusLine,
    attempt,
    button,
    make_table,
    selected_row,
)

DEBOUNCE_MS = 200


class PlannerArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.ask = AdminDialogs(self)
        self.violations: list[Violation] = []
        self.problems: list[str] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.check)
        layout = QVBoxLayout(self)
        layout.addLayout(self._session_form())
        splitter = QSplitter()
        splitter.addWidget(self._candidates_box())
        splitter.addWidget(self._rules_box())
        splitter.setSizes([800, 560])
        layout.addWidget(splitter, 1)
        layout.addLayout(self._copy_bar())
        self.status = StatusLine()
        layout.addWidget(self.status)
        self.reload_choices()
        self.changed()

    # building -----------------------------------------------------------------------------
    def _session_form(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        today = local(self.station.now(), self.station.zone).date()
        self.day = QDateEdit(QDate(today + timedelta(days=7)))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd dd/MM/yyyy")
        self.start = QTimeEdit(QTime(9, 30))
        self.start.setDisplayFormat("HH:mm")
        self.room = QComboBox()
        self.invigilator = QComboBox()
        for text, widget in (
            ("&Date", self.day),
            ("S&tart", self.start),
            ("&Room", self.room),
            ("&Invigilator", self.invigilator),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            bar.addWidget(label)
            bar.addWidget(widget, 2 if widget in (self.room, self.invigilator) else 1)
        self.day.dateChanged.connect(lambda _d: self.changed())
        self.start.timeChanged.connect(lambda _t: self.changed())
        self.room.currentIndexChanged.connect(lambda _i: self._room_changed())
        self.invigilator.currentIndexChanged.connect(lambda _i: self.changed())
        return bar

    def _candidates_box(self) -> QWidget:
        box = QGroupBox("Candidates and assessments")
        v = QVBoxLayout(box)
        add = QHBoxLayout()
        self.candidate = QComboBox()
        self.candidate.setEditable(True)
        self.candidate.setAccessibleName("Candidate to add")
        self.assessment = QComboBox()
        self.assessment.setAccessibleName("Assessment")
        add.addWidget(self.candidate, 3)
        add.addWidget(self.assessment, 3)
        add.addWidget(button("&Add", self.add_line, "Add the candidate for the assessment", "add_to_plan"))
        v.addLayout(add)
        self.lines = PlanLinesModel()
        self.table = make_table(self.lines, "Planned candidates")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._fill_line_form())
        v.addWidget(self.table, 1)
        form = QFormLayout()
        self.seat = QComboBox()
        self.seat.setAccessibleName("Workstation")
        self.notice = QDateEdit()
        self.notice.setMinimumDate(NO_DATE)
        self.notice.setSpecialValueText("not recorded")
        self.notice.setDisplayFormat("dd/MM/yyyy")
        self.notice.setCalendarPopup(True)
        self.notice.setAccessibleName("Notice date (CAND-4)")
        self.ready = QCheckBox("Learning for the unit complete (CAND-5)")
        self.support = QLineEdit()
        self.support.setPlaceholderText("How the candidate was supported before this resit (CAND-8)")
        self.support.setAccessibleName("Support note (CAND-8)")
        row = QHBoxLayout()
        row.addWidget(self.seat, 1)
        row.addWidget(QLabel("Notice given (CAND-4)"))
        row.addWidget(self.notice, 1)
        row.addWidget(self.ready)
        seat_label, support_label = QLabel("&Workstation"), QLabel("&Support note")
        seat_label.setBuddy(self.seat)
        support_label.setBuddy(self.support)
        form.addRow(seat_label, row)
        form.addRow(support_label, self.support)
        v.addLayout(form)
        self.seat.currentIndexChanged.connect(lambda _i: self._line_edited())
        self.notice.dateChanged.connect(lambda _d: self._line_edited())
        self.ready.toggled.connect(lambda _b: self._line_edited())
        self.support.textEdited.connect(lambda _t: self._line_edited())
        bar = QHBoxLayout()
        bar.addWidget(
            button(
                "Assign seats a&utomatically",
                self.assign,
                "Keeps seats chosen by hand; candidates on the same assessment are kept apart where the room allows",
                "auto_assign",
            )
        )
        bar.addWidget(button("&Notice today for all", self.notice_all, name="notice_all"))
        bar.addWidget(button("Re&move", self.remove_line, name="remove_from_plan"))
        v.addLayout(bar)
        return box

    def _rules_box(self) -> QWidget:
        box = QGroupBox("Rule check (updates as the plan changes)")
        v = QVBoxLayout(box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Rule check summary")
        v.addWidget(self.summary)
        self.rules = ViolationsModel()
        self.rule_table = make_table(self.rules, "Rule check")
        self.rule_table.setWordWrap(True)
        self.rule_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        v.addWidget(self.rule_table, 1)
        self.save_button = button(
            "Sa&ve session",
            self.save,
            "Saved only when nothing blocks; warnings are recorded as acknowledged by you",
            "save_session",
        )
        v.addWidget(self.save_button)
        return box

    def _copy_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.copy_from = QComboBox()
        self.copy_from.setAccessibleName("Session to copy")
        self.copy_day = QDateEdit(self.day.date().addDays(7))
        self.copy_day.setCalendarPopup(True)
        self.copy_day.setDisplayFormat("ddd dd/MM/yyyy")
        self.copy_day.setAccessibleName("Copy to date")
        label = QLabel("&Copy session")
        label.setBuddy(self.copy_from)
        bar.addWidget(label)
        bar.addWidget(self.copy_from, 3)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.copy_day, 1)
        bar.addWidget(
            button(
                "Co&py",
                self.copy,
                "Plan the same candidates, assessments and seats on that date (every rule checked again)",
                "copy_session",
            )
        )
        return bar

    # choices -------------------------------------------------------------------------------
    def reload_choices(self) -> None:
        with QSignalBlocker(self.room), QSignalBlocker(self.invigilator):
            keep_room, keep_inv = self.room.currentText(), self.invigilator.currentText()
            self.room.clear()
            self.room.addItems([r.name for r in rooms.list_rooms(self.station) if r.workstations])
            self.room.setCurrentText(keep_room)
            self.invigilator.clear()
            self.people: dict[str, UserView] = {}
            for u in list_users(self.station):
                if u.role != Role.INSPECTOR.value and not u.disabled:
                    self.people[u.name] = u
                    self.invigilator.addItem(u.name)
            if keep_inv:
                self.invigilator.setCurrentText(keep_inv)
            elif any(u.role == Role.INVIGILATOR.value for u in self.people.values()):
                self.invigilator.setCurrentText(
                    next(n for n, u in self.people.items() if u.role == Role.INVIGILATOR.value)
                )
        self.candidate.clear()
        self.candidates: list[tuple[str, str]] = candidate_choices(self.station)  # found by index in the list
        self.candidate.addItems([f"{name} ({number})" for number, name in self.candidates])
        self.assessment.clear()
        for a in list_assessments(self.station):
            self.assessment.addItem(f"{a.code} — {a.title}" if a.title else a.code, (a.code, a.qualification))
        self.copy_from.clear()
        since = local(self.station.now(), self.station.zone).date() - timedelta(days=60)
        for s in reversed(list_sessions(self.station, since=since)):
            self.copy_from.addItem(f"{session_name(s.room, s.day, s.start)} ({s.candidates} candidates)", s.id)
        self._room_changed()

    def _room_changed(self) -> None:
        self.labels = (
            [w.label for w in rooms.get_layout(self.station, self.room.currentText()).workstations]
            if self.room.currentText()
            else []
        )
        rows = [
            replace(p, workstation="", why_seat="") if p.workstation not in self.labels else p
            for p in self.lines.rows()
        ]
        self.lines.set_rows(rows)
        self._fill_line_form()
        self.changed()

    # the plan ---------------------------------------------------------------------------------
    def add_line(self) -> None:
        at = self.candidate.currentIndex()
        who = self.candidates[at] if 0 <= at < len(self.candidates) else None
        what = self.assessment.currentData()
        if who is None or what is None:
            self.ask.error("Add", "Choose a candidate and an assessment first.")
            return
        if any(p.registration_number == who[0] for p in self.lines.rows()):
            self.ask.error("Add", f"{who[1]} is already in this session.")
            return
        self.lines.set_rows([*self.lines.rows(), PlanLine(who[0], who[1], what[0], what[1])])
        self.table.selectRow(self.lines.rowCount() - 1)
        self.changed()

    def remove_line(self) -> None:
        row = selected_row(self.table)
        if row is not None:
            self.lines.set_rows([p for i, p in enumerate(self.lines.rows()) if i != row])
            self.changed()

    def _fill_line_form(self) -> None:
        row = selected_row(self.table)
        p = self.lines.row_at(row) if row is not None and row < self.lines.rowCount() else None
        with (
            QSignalBlocker(self.seat),
            QSignalBlocker(self.notice),
            QSignalBlocker(self.ready),
            QSignalBlocker(self.support),
        ):
            self.seat.clear()
            self.seat.addItem("(not seated)", "")
            taken = {q.workstation for q in self.lines.rows() if q is not p}
            for label in self.labels:
                self.seat.addItem(label + (" (taken)" if label in taken else ""), label)
            self.seat.setCurrentIndex(max(0, self.seat.findData(p.workstation if p else "")))
            self.notice.setDate(QDate(p.notice_date) if p and p.notice_date else NO_DATE)
            self.ready.setChecked(bool(p and p.readiness_confirmed))
            self.support.setText(p.support_note if p else "")
        for w in (self.seat, self.notice, self.ready, self.support):
            w.setEnabled(p is not None)

    def _line_edited(self) -> None:
        row = selected_row(self.table)
        if row is None:
            return
        p = self.lines.row_at(row)
        seat = self.seat.currentData() or ""
        if seat and any(q.workstation == seat for i, q in enumerate(self.lines.rows()) if i != row):
            self.ask.error("Workstation", f"{seat} is taken by another candidate in this plan.")
            self._fill_line_form()
            return
        notice = None if self.notice.date() == NO_DATE else self.notice.date().toPython()
        rows = list(self.lines.rows())
        rows[row] = replace(
            p,
            workstation=seat,
            notice_date=notice,  # type: ignore[arg-type]
            readiness_confirmed=self.ready.isChecked(),
            support_note=self.support.text().strip(),
            why_seat="chosen by hand" if seat != p.workstation else p.why_seat,
        )
        self.lines.set_rows(rows)
        self.table.selectRow(row)
        self.changed()

    def notice_all(self) -> None:
        today = local(self.station.now(), self.station.zone).date()
        self.lines.set_rows([replace(p, notice_date=p.notice_date or today) for p in self.lines.rows()])
        self._fill_line_form()
        self.changed()

    def assign(self) -> None:
        if not self.room.currentText():
            return
        requests = [SeatRequest(p.registration_number, p.assessment_id, p.workstation) for p in self.lines.rows()]
        choices = attempt(
            self.status, self.ask.error, "Seats", lambda: auto_assign(self.station, self.room.currentText(), requests)
        )
        if choices is None:
            return
        self.lines.set_rows(
            [
                replace(p, workstation=c.workstation, why_seat=c.reason)
                for p, c in zip(self.lines.rows(), choices, strict=True)
            ]
        )
        self._fill_line_form()
        self.changed()

    def request(self) -> PlanRequest | None:
        user = self.people.get(self.invigilator.currentText())
        if user is None or not self.room.currentText():
            return None
        return PlanRequest(
            day=self.day.date().toPython(),  # type: ignore[arg-type]
            start=self.start.time().toPython(),  # type: ignore[arg-type]
            room=self.room.currentText(),
            invigilator=PlannedInvigilator(user.name, user.imi_pin, user.assessor, user.impartial),
            candidates=tuple(
                PlannedCandidate(
                    p.registration_number,
                    p.assessment_id,
                    p.qualification,
                    p.workstation,
                    support_note=p.support_note,
                    notice_date=p.notice_date,
                    readiness_confirmed=p.readiness_confirmed,
                    path=p.name,
                )
                for p in self.lines.rows()
            ),
        )

    # checking -----------------------------------------------------------------------------------
    def changed(self) -> None:
        """Something in the plan changed: check it again once the changes pause."""
        self.timer.start()

    def check(self) -> None:
        self.timer.stop()
        self.problems, self.violations = [], []
        request = self.request()
        if request is None:
            self.problems.append("Choose a room with workstations and an invigilator.")
        elif not request.candidates:
            self.problems.append("Add at least one candidate.")
        else:
            unseated = [p.name for p in self.lines.rows() if not p.workstation]
            if unseated:
                self.problems.append(f"Not seated yet: {', '.join(unseated)}.")
            try:
                self.violations = preview_plan(self.station, request, "plan")
            except InvigilatorError as exc:
                self.problems += exc.lines()
        self.rules.set_rows(self.violations)
        blocks = sum(v.severity is Severity.BLOCK for v in self.violations)
        asks = sum(v.severity is Severity.AUTHORISE for v in self.violations)
        warns = sum(v.severity is Severity.WARN for v in self.violations)
        head = f"{blocks} block(s), {asks} authorisation request(s), {warns} warning(s)."
        if self.problems:
            head = "<b>Cannot save yet:</b> " + " ".join(self.problems) + "<br>" + head
        elif blocks or asks:
            head = "<b>Cannot save:</b> " + head + " An assessor needs an INV-2 authorisation (Users)." * bool(asks)
        else:
            head = "<b>Ready to save.</b> " + head + (" Warnings are recorded as acknowledged by you." if warns else "")
        self.summary.setText(head)
        self.save_button.setEnabled(not self.problems and not blocks and not asks)

    def save(self) -> None:
        self.check()
        request = self.request()
        if request is None or not self.save_button.isEnabled():
            return
        result = attempt(self.status, self.ask.error, "Session not saved", lambda: plan_session(self.station, request))
        if result is None:
            return
        warned = f"; {len(result.warnings)} warning(s) acknowledged" if result.warnings else ""
        self.status.done(
            f"Saved session {result.session_id}: {len(request.candidates)} candidate(s) in "
            f"{session_name(request.room, request.day, time_text(request.start))}{warned}."
        )
        self.lines.set_rows([])
        self.reload_choices()
        self.check()

    def copy(self) -> None:
        session_id = self.copy_from.currentData()
        if session_id is None:
            return
        day: date = self.copy_day.date().toPython()  # type: ignore[assignment]
        result = attempt(
            self.status, self.ask.error, "Session not copied", lambda: copy_session(self.station, session_id, day)
        )
        if result is not None:
            warned = "; ".join(v.line() for v in result.warnings)
            self.status.done(f"Copied to {day_text(day)}" + (f" — {warned}" if warned else "."))
            self.reload_choices()
