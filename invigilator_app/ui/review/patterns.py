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


class PatternsArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = ReviewDialogs(self)
        self.report: PatternReport | None = None
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
        top.addWidget(button("&Show", self.refresh, "Look at this range (Alt+S)"))
        top.addSpacing(18)
        caption = QLabel("&List")
        caption.setBuddy(self.kind)
        top.addWidget(caption)
        top.addWidget(self.kind, 1)
        top.addWidget(button("Export &PDF…", self.export, "Save the pattern report as a PDF (Alt+P)"))
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
        try:
            with busy_cursor():
                self.report = patterns.pattern_report(self.station, py_date(self.from_day), py_date(self.to_day))
        except InvigilatorError as exc:
            self.summary.setText(f"<b>{exc.message}</b>")
            return
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
        first, last = py_date(self.from_day), py_date(self.to_day)
        path = self.dialogs.save_file("Export pattern report", f"patterns-{first}-{last}.pdf")
        if path is None:
            return
        try:
            with busy_cursor():
                patterns.export_patterns(self.station, first, last, path)
        except InvigilatorError as exc:
            self.dialogs.error("Export", exc.message)
            return
        self.dialogs.info("Export", f"Saved the pattern report to {path}.")
