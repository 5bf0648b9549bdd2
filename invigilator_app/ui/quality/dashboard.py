"""The visit (inspector, coordinator): the inspector's first screen. The integrity of the
records and the station's fingerprint; the sessions of the visit's period with their
sign-off state; the sampling plan, ticked off as items are looked at; amendments,
outstanding notifications, malpractice reports, pattern flags and open actions. Choosing
any line shows the record of the session it concerns beside it (one click); an open action
is signed off here by the visit's inspector account."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.enums import Role
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.quality import actions, visits
from invigilator_app.services.quality.dashboard import Dashboard, DashboardItem, DashboardSession, visit_dashboard
from invigilator_app.services.review.amendments import list_amendments
from invigilator_app.services.review.records import export_record
from invigilator_app.services.station import Station
from invigilator_app.ui.models import AllocationsModel, EntriesModel, RowsModel
from invigilator_app.ui.quality.common import ActionsModel, DeadlinesModel, QualityDialogs, SamplesModel
from invigilator_app.ui.widgets import StatusLine, attempt, button, make_table, selected_row


class DashboardSessionsModel(RowsModel[DashboardSession]):
    columns = (
        ("Session", lambda s: str(s.id)),
        ("When", lambda s: s.when),
        ("Room", lambda s: s.room + (" (remote)" if s.remote else "")),
        ("Sign-off", lambda s: s.state),
        ("Amendments", lambda s: str(s.amendments) if s.amendments else ""),
        ("Outstanding", lambda s: str(s.outstanding) if s.outstanding else ""),
        ("Sampled", lambda s: "yes" if s.sampled else ""),
    )


class ItemsModel(RowsModel[DashboardItem]):
    columns = (
        ("Session", lambda i: str(i.session_id) if i.session_id is not None else ""),
        ("What", lambda i: i.text),
    )


class VisitDashboard(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = QualityDialogs(self)
        self.dashboard: Dashboard | None = None
        self.shown_session: int | None = None
        self.choice = QComboBox()
        self.choice.setAccessibleName("Visit")
        self.choice.currentIndexChanged.connect(lambda _i: self.load(recheck=False))
        self.heading = QLabel()
        self.heading.setObjectName("visitHeading")
        self.heading.setWordWrap(True)
        self.integrity = QLabel()
        self.integrity.setObjectName("visitIntegrity")
        self.integrity.setAccessibleName("Integrity and origin")
        self.integrity.setWordWrap(True)
        self.integrity.setFrameShape(QFrame.Shape.StyledPanel)
        self.integrity.setMargin(6)
        self.integrity.setTextFormat(Qt.TextFormat.RichText)
        self.status = StatusLine()
        self.sessions = DashboardSessionsModel()
        self.session_view = make_table(self.sessions, "Sessions in the period")
        self.samples = SamplesModel()
        self.sample_view = make_table(self.samples, "Sampling plan")
        self.amendments = ItemsModel()
        self.notifications = ItemsModel()
        self.patterns = ItemsModel()
        self.malpractice = DeadlinesModel()
        self.open_actions = ActionsModel()
        self.lists = QTabWidget()
        self.lists.setObjectName("visitLists")
        plan_page = QWidget()
        plan_layout = QVBoxLayout(plan_page)
        plan_layout.addWidget(self.sample_view)
        plan_layout.addWidget(
            button("Loo&ked at", self.tick, "Tick the chosen item off as looked at (Alt+K)", name="looked_at")
        )
        self.lists.addTab(plan_page, "Sampling plan")
        self.views: dict[str, QTableView] = {}
        for key, title, model in (
            ("amendments", "Amendments", self.amendments),
            ("notifications", "Outstanding notifications", self.notifications),
            ("malpractice", "Malpractice reports", self.malpractice),
            ("patterns", "Pattern flags", self.patterns),
        ):
            self.views[key] = make_table(model, title)
            self.lists.addTab(self.views[key], title)
        actions_page = QWidget()
        actions_layout = QVBoxLayout(actions_page)
        self.views["actions"] = make_table(self.open_actions, "Open actions")
        actions_layout.addWidget(self.views["actions"])
        actions_layout.addWidget(
            button(
                "&Sign off the chosen action",
                self.sign_off,
                "The EQA signs the action off (Alt+S)",
                name="sign_off_action",
            )
        )
        self.lists.addTab(actions_page, "Open actions")
        # the record beside the lists
        self.record_heading = QLabel("Choose a line to see the record of the session it concerns.")
        self.record_heading.setObjectName("recordHeading")
        self.record_heading.setWordWrap(True)
        self.allocations = AllocationsModel()
        self.entries = EntriesModel()
        self.amendment_lines = QLabel()
        self.amendment_lines.setWordWrap(True)
        record = QWidget()
        record_layout = QVBoxLayout(record)
        record_layout.setContentsMargins(0, 0, 0, 0)
        record_layout.addWidget(self.record_heading)
        record_layout.addWidget(make_table(self.allocations, "Record candidates"), 2)
        record_layout.addWidget(make_table(self.entries, "Record log"), 2)
        record_layout.addWidget(self.amendment_lines)
        record_layout.addWidget(
            button("E&xport the signed record…", self.export, "This session's record (Alt+X)", name="export_record")
        )
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.session_view, 2)
        left_layout.addWidget(self.lists, 3)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(record)
        split.setSizes([770, 580])
        top = QHBoxLayout()
        top.addWidget(QLabel("Visit"))
        top.addWidget(self.choice)
        top.addWidget(self.heading, 1)
        top.addWidget(
            button("C&heck again", self.load, "Re-check every page and the audit chain (Alt+H)", name="check_again")
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.integrity)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self.session_view.clicked.connect(lambda index: self.show_record(self.sessions.row_at(index.row()).id))
        self.sample_view.clicked.connect(lambda index: self.show_record(self.samples.row_at(index.row()).session_id))
        for key, model in (
            ("amendments", self.amendments),
            ("notifications", self.notifications),
            ("patterns", self.patterns),
        ):
            self.views[key].clicked.connect(lambda index, m=model: self.show_record(m.row_at(index.row()).session_id))
        self.views["malpractice"].clicked.connect(
            lambda index: self.show_record(next(iter(self.malpractice.row_at(index.row()).session_ids), None))
        )
        self.fill_choices()

    def fill_choices(self) -> None:
        rows = attempt(self.status, self.dialogs.error, "Visits", lambda: visits.list_visits(self.station)) or []
        self.choice.blockSignals(True)
        self.choice.clear()
        for v in rows:
            self.choice.addItem(f"{v.planned_on:%d %b %Y} · {v.eqa_name} ({v.kind})", v.id)
        self.choice.blockSignals(False)
        if not rows:
            who = (
                "This inspector account is not linked to a visit yet: the coordinator links it in Quality → Visits."
                if self.station.actor.role is Role.INSPECTOR
                else "No visits recorded yet (Quality → Visits)."
            )
            self.heading.setText(who)
            self.integrity.setText("")
            return
        self.load()

    def load(self, recheck: bool = True) -> None:
        """Reload the visit; the integrity check (the whole audit chain) only when asked."""
        visit_id = self.choice.currentData()
        if visit_id is None:
            return
        known = (self.dashboard.integrity, self.dashboard.integrity_ok) if self.dashboard and not recheck else None
        board = attempt(
            self.status, self.dialogs.error, "Visit", lambda: visit_dashboard(self.station, int(visit_id), known)
        )
        if board is None:
            return
        self.dashboard = board
        v = board.visit
        self.heading.setText(
            f"<b>{v.eqa_name}</b> · {v.kind} · {v.planned_on:%d %b %Y} · {board.site_type} site · "
            f"sessions from "
            f"{v.period_from:%d %b %Y} to {v.period_to:%d %b %Y} · sampling plan: "
            f"{v.looked_at} of {len(v.samples)} looked at"
        )
        mark = "" if board.integrity_ok else "<b style='color:#a0202a'>PROBLEM:</b> "
        text = escape(board.integrity).replace("\n", "<br>")
        if board.fingerprint not in board.integrity:
            text += f"<br>Centre certificate fingerprint (SHA-256): <tt>{escape(board.fingerprint)}</tt>"
        self.integrity.setText(mark + text)
        self.sessions.set_rows(board.sessions)
        self.samples.set_rows(v.samples)
        self.amendments.set_rows(board.amendments)
        self.notifications.set_rows(board.notifications)
        self.malpractice.set_rows(board.malpractice)
        self.patterns.set_rows(board.patterns)
        self.open_actions.set_rows(board.actions)
        counts = [
            f"Sampling plan ({v.looked_at}/{len(v.samples)})",
            f"Amendments ({len(board.amendments)})",
            f"Notifications ({len(board.notifications)})",
            f"Malpractice ({len(board.malpractice)})",
            f"Patterns ({len(board.patterns)})",
            f"Open actions ({len(board.actions)})",
        ]
        for i, text in enumerate(counts):
            self.lists.setTabText(i, text)

    def show_record(self, session_id: int | None) -> None:
        if session_id is None:
            return
        detail = attempt(self.status, self.dialogs.error, "Record", lambda: session_detail(self.station, session_id))
        if detail is None:
            return
        self.shown_session = session_id
        s = detail.summary
        self.record_heading.setText(
            f"<b>Record of session {s.id}</b>: {s.day:%a %d %b %Y} {s.start}, {s.room}, invigilator "
            f"{s.invigilator} (IMI PIN {detail.invigilator_pin or 'not recorded'}) · {s.state.replace('_', ' ')}"
        )
        self.allocations.set_rows(detail.allocations)
        self.entries.set_rows(detail.entries)
        amended = list_amendments(self.station, session_id)
        self.amendment_lines.setText(
            "<b>Amendments</b><br>" + "<br>".join(a.line() for a in amended) if amended else "No amendments."
        )

    def tick(self) -> None:
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
            self.status.done(f"{view.label}: {'looked at' if view.looked_at else 'not looked at yet'}.")
            self.load(recheck=False)
            self.sample_view.selectRow(row)

    def sign_off(self) -> None:
        row = selected_row(self.views["actions"])
        if row is None:
            self.status.refused("choose an action first.")
            return
        action = self.open_actions.row_at(row)
        reference = ""
        if self.station.actor.role is not Role.INSPECTOR:
            reference = self.dialogs.text("EQA sign-off", "The EQA's reference for the sign-off:") or ""
            if not reference:
                return
        view = attempt(
            self.status, self.dialogs.error, "Sign-off", lambda: actions.sign_off(self.station, action.id, reference)
        )
        if view is not None:
            self.status.done(f"Action {view.id} signed off: {view.signed_off}.")
            self.load(recheck=False)

    def export(self) -> None:
        if self.shown_session is None:
            self.status.refused("choose a line to show a record first.")
            return
        session_id = self.shown_session
        path = self.dialogs.save_file("Signed record", f"session-{session_id}.pdf")
        if path is None:
            return
        out = attempt(self.status, self.dialogs.error, "Record", lambda: export_record(self.station, session_id, path))
        if out is not None:
            self.status.done(f"Wrote the signed record of session {session_id} to {out}.")
