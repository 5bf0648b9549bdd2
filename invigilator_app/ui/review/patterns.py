"""Patterns (coordinator, inspector): charts of attempts by hour, completion times and
attempts per candidate, with the findings to drill into, and the report as a PDF."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.domain.patterns import PatternKind, PatternReport
from invigilator_app.domain.timezones import local
from invigilator_app.services.review import patterns
from invigilator_app.services.station import Station
from invigilator_app.ui.review.charts import BarChart
from invigilator_app.ui.review.dialogs import ReviewDialogs
from invigilator_app.ui.review.models import FindingsModel
from invigilator_app.ui.review.search import date_edit, py_date
from invigilator_app.ui.widgets import busy_cursor, button
from invigilator_app.ui.widgets import make_table as table
from invigilator_app.ui.worker import BackgroundTask, start_task

LONG_RANGE_DAYS = 400
"""A range longer than this (days) is counted in the background."""


class PatternsArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = ReviewDialogs(self)
        self.report: PatternReport | None = None
        self.counting: BackgroundTask | None = None
        self.exporting: BackgroundTask | None = None
        FindingsModel.zone = station.zone
        today = local(station.now(), station.zone).date()
        self.from_day = date_edit(today - timedelta(days=90), "From")
        self.to_day = date_edit(today, "To")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Pattern")
        self.kind.addItem("every pattern", "")
        for kind in PatternKind:
            self.kind.addItem(kind.label, kind.value)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Pattern summary")
        top = QHBoxLayout()
        caption = QLabel("&From")
        caption.setBuddy(self.from_day)
        top.addWidget(caption)
        top.addWidget(self.from_day)
        top.addWidget(QLabel("to"))
        top.addWidget(self.to_day)
        self.show_button = button("&Show", self.refresh, "Look at this range (Alt+S)")
        top.addWidget(self.show_button)
        top.addSpacing(18)
        caption = QLabel("&List")
        caption.setBuddy(self.kind)
        top.addWidget(caption)
        top.addWidget(self.kind, 1)
        self.export_button = button("Export &PDF…", self.export, "Save the pattern report as a PDF (Alt+P)")
        top.addWidget(self.export_button)
        charts = QHBoxLayout()
        self.charts = [BarChart(), BarChart(), BarChart()]
        for chart in self.charts:
            charts.addWidget(chart)
        holder = QWidget()
        holder.setLayout(charts)
        self.findings = FindingsModel()
        self.view = table(self.findings, "Pattern findings")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(holder)
        split.addWidget(self.view)
        split.setSizes([260, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.kind.currentIndexChanged.connect(self._list)
        self.refresh()

    def refresh(self) -> None:
        """Count the range: at once up to ``LONG_RANGE_DAYS`` (a year of a busy centre is
        about a third of a second), in the background with progress and Cancel beyond."""
        if self.counting is not None:
            return
        first, last = py_date(self.from_day), py_date(self.to_day)
        if (last - first).days > LONG_RANGE_DAYS:
            station = self.station
            self.summary.setText(f"Counting the attempts from {first:%d %b %Y} to {last:%d %b %Y}…")
            self.show_button.setEnabled(False)
            self.counting = start_task(
                self,
                "Pattern report",
                lambda _progress, cancelled: patterns.pattern_report(station, first, last, cancelled=cancelled),
                self._show,
                self._not_counted,
                dialog=True,
            )
            return
        try:
            with busy_cursor():
                report = patterns.pattern_report(self.station, first, last)
        except InvigilatorError as exc:
            self.summary.setText(f"<b>{exc.message}</b>")
            return
        self._show(report)

    def _not_counted(self, message: str) -> None:
        self.counting = None
        self.show_button.setEnabled(True)
        self.summary.setText(
            f"<b>{message}</b>" if self.report is None else f"<b>{message}</b> Still shown: the last report."
        )

    def _show(self, report: PatternReport) -> None:
        self.counting = None
        self.show_button.setEnabled(True)
        self.report = report
        for widget, chart in zip(self.charts, self.report.charts, strict=True):
            widget.set_chart(chart)
        counts = ", ".join(f"{k.label}: {len(self.report.of_kind(k))}" for k in PatternKind)
        self.summary.setText(
            f"<b>{self.report.attempts} attempts, {len(self.report.findings)} finding(s)</b> — {counts}"
        )
        self._list()

    def _list(self) -> None:
        if self.report is None:
            return
        wanted = self.kind.currentData()
        self.findings.set_rows([f for f in self.report.findings if not wanted or f.kind.value == wanted])

    def export(self) -> None:
        """Save the report as a PDF in the background: a year is a few seconds, ten years of
        a busy centre a few thousand pages; the window stays in use and Cancel writes nothing."""
        if self.exporting is not None:
            return
        first, last = py_date(self.from_day), py_date(self.to_day)
        path = self.dialogs.save_file("Export pattern report", f"patterns-{first}-{last}.pdf")
        if path is None:
            return
        station = self.station
        self.export_button.setEnabled(False)
        self.exporting = start_task(
            self,
            "Export pattern report",
            lambda progress, cancelled: patterns.export_patterns(
                station, first, last, path, progress=progress, cancelled=cancelled
            ),
            lambda saved: self._exported(f"Saved the pattern report to {saved}.", ok=True),
            lambda message: self._exported(message, ok=False),
            dialog=True,
        )

    def _exported(self, message: str, *, ok: bool) -> None:
        self.exporting = None
        self.export_button.setEnabled(True)
        if ok:
            self.dialogs.info("Export", message)
        else:
            self.dialogs.error("Export", message)

    def shutdown(self) -> None:
        """Stop the counting and any export, and wait for their threads (the window is
        locking or closing); a stopped export writes nothing."""
        for task in (self.counting, self.exporting):
            if task is not None and task.running:
                task.wait()
