"""Review (coordinator): closed sessions waiting for review, the record with its log and
review history, comment / return with a query / sign-off, malpractice reports drafted
from selected entries, and the follow-up list across every session."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.malpractice import MalpracticeReportView
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.review import malpractice
from invigilator_app.services.review import queue as review
from invigilator_app.services.station import Station
from invigilator_app.ui.models import EntriesModel
from invigilator_app.ui.review.dialogs import ReviewDialogs
from invigilator_app.ui.review.models import FollowUpModel, QueueModel, ReportsModel
from invigilator_app.ui.widgets import button
from invigilator_app.ui.widgets import make_table as table

FOLLOW_UP_TAB = 1


def selected_rows(view: QTableView) -> list[int]:
    return sorted({i.row() for i in view.selectionModel().selectedRows()})


class ReviewArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = ReviewDialogs(self)
        self.session_id: int | None = None
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.queue = QueueModel()
        self.queue_view = table(self.queue, "Review queue")
        self.entries = EntriesModel()
        self.entries_view = table(self.entries, "Record log", multi=True)
        self.title = QLabel("Choose a closed session on the left.")
        self.title.setWordWrap(True)
        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        self.history.setAccessibleName("Review history")
        self.history.setMaximumHeight(110)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        rl.addWidget(self.title)
        rl.addWidget(QLabel("Log (select entries to report malpractice):"))
        rl.addWidget(self.entries_view, 1)
        rl.addWidget(QLabel("Review history:"))
        rl.addWidget(self.history)
        actions = QHBoxLayout()
        self.comment_button = button("&Comment…", self.comment, "Add a note to the record (Alt+C)")
        self.return_button = button("&Return with query…", self.return_query, "Send back to the invigilator (Alt+R)")
        self.sign_button = button("&Sign off…", self.sign_off, "Sign off the record as reviewed (Alt+S)")
        self.report_button = button(
            "&Malpractice report…", self.draft_report, "Draft a malpractice report from the selected entries (Alt+M)"
        )
        for b in (self.comment_button, self.return_button, self.sign_button, self.report_button):
            actions.addWidget(b)
        actions.addStretch(1)
        rl.addLayout(actions)
        split = QSplitter()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("<b>Waiting for review</b> (closed by the invigilator)"))
        ll.addWidget(self.queue_view)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 820])
        self.tabs.addTab(split, "&Queue")

        self.follow = FollowUpModel()
        self.follow_view = table(self.follow, "Follow-up list")
        fu = QWidget()
        fl = QVBoxLayout(fu)
        fl.addWidget(QLabel("<b>Outstanding across all sessions</b>, oldest first"))
        fl.addWidget(self.follow_view, 1)
        row = QHBoxLayout()
        self.notified_button = button(
            "Mark &notified…", self.mark_notified, "Record when the party was told and their reference (Alt+N)"
        )
        row.addWidget(self.notified_button)
        row.addStretch(1)
        fl.addLayout(row)
        self.tabs.addTab(fu, "&Follow-up")

        self.reports = ReportsModel()
        self.reports_view = table(self.reports, "Malpractice reports")
        rp = QWidget()
        pl = QVBoxLayout(rp)
        pl.addWidget(self.reports_view, 1)
        row = QHBoxLayout()
        row.addWidget(button("&Edit…", self.edit_report, "Complete the report's fields (Alt+E)"))
        row.addWidget(button("E&xport PDF…", self.export_report, "Export the report as a PDF (Alt+X)"))
        row.addWidget(
            button(
                "Close &investigation…",
                self.close_investigation,
                "The investigation is over; records are still kept five years (Alt+I)",
            )
        )
        row.addStretch(1)
        pl.addLayout(row)
        self.tabs.addTab(rp, "Malpractice re&ports")

        self.queue_view.selectionModel().selectionChanged.connect(self._selected)
        self._follow_stale = True
        self.tabs.currentChanged.connect(self._tab_shown)
        self.refresh()

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        current = self.session_id
        self.queue.set_rows(review.review_queue(self.station))
        self._follow_up()
        self.reports.set_rows(malpractice.list_reports(self.station))
        rows = [r for r in range(self.queue.rowCount()) if self.queue.row_at(r).session_id == current]
        if rows:
            self.queue_view.selectRow(rows[0])
        elif self.queue.rowCount():
            self.queue_view.selectRow(0)
        else:
            self.session_id = None
            self.entries.set_rows([])
            self.history.setPlainText("")
            self.title.setText("Nothing waits for review.")

    def _follow_up(self) -> None:
        """The follow-up list read again if it is shown, else only counted for its tab (it
        is read when the tab is next opened): thousands of items on a large store."""
        if self.tabs.currentIndex() == FOLLOW_UP_TAB:
            self.follow.set_rows(review.follow_ups(self.station))
            count = self.follow.rowCount()
            self._follow_stale = False
        else:
            count = review.follow_up_count(self.station)
            self._follow_stale = True
        self.tabs.setTabText(FOLLOW_UP_TAB, f"&Follow-up ({count})")

    def _tab_shown(self, index: int) -> None:
        if index == FOLLOW_UP_TAB and self._follow_stale:
            self._follow_up()

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if selected.indexes():
            self.show_session(self.queue.row_at(selected.indexes()[0].row()).session_id)

    def show_session(self, session_id: int) -> None:
        self.session_id = session_id
        detail = session_detail(self.station, session_id)
        s = detail.summary
        outstanding = sum(1 for e in detail.entries if e.notify and not e.notified)
        self.title.setText(
            f"<b>Session {s.id}: {s.room}, {s.day:%A %d %B %Y} {s.start}</b><br>"
            f"Invigilator {s.invigilator} (IMI PIN {detail.invigilator_pin or 'not recorded'}) · "
            f"{s.candidates} candidates · {len(detail.entries)} log entries"
            + (f" · <b>{outstanding} awaiting notification</b>" if outstanding else "")
        )
        self.entries.set_rows(detail.entries)
        self.history.setPlainText(
            "\n".join(
                f"{h.at}  {h.by}: {h.action.replace('_', ' ')}{' — ' + h.text if h.text else ''}"
                for h in review.review_history(self.station, session_id)
            )
            or "No review yet."
        )

    # ------------------------------------------------------------------ writing

    def _do(self, title: str, call: Callable[[], object]) -> bool:
        try:
            call()
        except InvigilatorError as exc:
            self.dialogs.error(title, "\n".join(exc.lines()))
            return False
        self.refresh()
        return True

    def _session(self) -> int | None:
        if self.session_id is None:
            self.dialogs.error("Review", "Choose a session in the queue first.")
        return self.session_id

    def comment(self) -> None:
        sid = self._session()
        text = self.dialogs.text("Comment", f"Comment on session {sid}:") if sid else None
        if sid and text:
            self._do("Comment", lambda: review.comment(self.station, sid, text))

    def return_query(self) -> None:
        sid = self._session()
        text = (
            self.dialogs.text("Return with query", f"Question for the invigilator of session {sid}:") if sid else None
        )
        if sid and text:
            self._do("Return", lambda: review.return_with_query(self.station, sid, text))

    def sign_off(self) -> None:
        sid = self._session()
        if not sid:
            return
        text = self.dialogs.text("Sign off", f"Sign off session {sid} as reviewed. Optional comment:")
        self._do("Sign off", lambda: review.sign_off_review(self.station, sid, text or ""))

    def draft_report(self) -> None:
        rows = selected_rows(self.entries_view)
        if not rows:
            self.dialogs.error("Malpractice report", "Select one or more log entries first.")
            return
        ids = [self.entries.row_at(r).id for r in rows]
        draft: list[MalpracticeReportView] = []
        if self._do("Malpractice report", lambda: draft.append(malpractice.draft_report(self.station, ids))):
            self.tabs.setCurrentIndex(2)
            self._edit(draft[0])

    def _report(self) -> MalpracticeReportView | None:
        rows = selected_rows(self.reports_view)
        if not rows:
            self.dialogs.error("Malpractice report", "Select a report first.")
            return None
        return self.reports.row_at(rows[0])

    def edit_report(self) -> None:
        report = self._report()
        if report is not None:
            self._edit(report)

    def _edit(self, report: MalpracticeReportView) -> None:
        values = self.dialogs.malpractice(report)
        if values is not None:
            self._do("Malpractice report", lambda: malpractice.update_report(self.station, report.id, values))

    def export_report(self) -> None:
        report = self._report()
        if report is None:
            return
        allow = False
        if report.missing:
            allow = self.dialogs.confirm(
                "Fields missing",
                "Still missing:\n" + "\n".join(report.missing) + "\n\nExport the report anyway (marked NOT GIVEN)?",
            )
            if not allow:
                return
        path = self.dialogs.save_file("Export malpractice report", f"malpractice-report-{report.id}.pdf")
        if path is not None:
            self._do("Export", lambda: malpractice.export_report(self.station, report.id, path, allow_missing=allow))

    def close_investigation(self) -> None:
        report = self._report()
        if report is not None and self.dialogs.confirm(
            "Close investigation", f"Close the investigation of report {report.id}? Its records stay five years."
        ):
            self._do("Close investigation", lambda: malpractice.close_investigation(self.station, report.id))

    def mark_notified(self) -> None:
        rows = selected_rows(self.follow_view)
        item = self.follow.row_at(rows[0]) if rows else None
        if item is None or item.entry_id is None:
            self.dialogs.error("Notified", "Select an entry that someone must be told about.")
            return
        ref = self.dialogs.text("Notified", f"{item.what}\n\nTheir reference (told now):", multiline=False)
        if ref:
            self._do("Notified", lambda: review.mark_notified(self.station, item.entry_id, ref))  # type: ignore[arg-type]
