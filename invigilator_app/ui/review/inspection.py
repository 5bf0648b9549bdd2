"""Inspection (inspector, coordinator): the integrity of the store first — every page and
the audit chain — then the inspection pack for a date range, written off the GUI thread
with a progress bar and a Cancel button; a cancelled pack leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.timezones import local
from invigilator_app.services.review.inspection import export_inspection_pack
from invigilator_app.services.station import Station
from invigilator_app.services.trust.integrity import verify_store
from invigilator_app.ui.review.dialogs import ReviewDialogs
from invigilator_app.ui.review.search import date_edit, py_date
from invigilator_app.ui.widgets import button
from invigilator_app.ui.worker import BackgroundTask


class InspectionArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = ReviewDialogs(self)
        self.task: BackgroundTask | None = None
        self.check_task: BackgroundTask | None = None
        self.status = QLabel()
        self.status.setObjectName("integrityStatus")
        self.status.setAccessibleName("Integrity status")
        self.status.setWordWrap(True)
        self.status.setFrameShape(QFrame.Shape.StyledPanel)
        self.status.setMargin(10)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.status.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        today = local(station.now(), station.zone).date()
        self.from_day = date_edit(today.replace(month=1, day=1), "Pack from")
        self.to_day = date_edit(today, "Pack to")
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Pack folder")
        self.folder.setPlaceholderText("a new or empty folder")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Pack progress")
        self.progress.setFormat("%v of %m")
        self.progress.setValue(0)
        self.step = QLabel("")
        self.export_button = button("&Export pack", self.start, "Write the inspection pack (Alt+E)")
        self.cancel_button = button("&Cancel", self.cancel, "Stop; nothing half-written is kept (Alt+C)")
        self.cancel_button.setEnabled(False)
        layout = QVBoxLayout(self)
        heading = QLabel("<h3>Integrity of the records</h3>")
        layout.addWidget(heading)
        layout.addWidget(self.status)
        layout.addWidget(self.detail)
        check = QHBoxLayout()
        check.addWidget(button("C&heck again", self.check, "Re-check every page and the audit chain (Alt+H)"))
        check.addStretch(1)
        layout.addLayout(check)
        layout.addSpacing(12)
        layout.addWidget(
            QLabel(
                "<h3>Inspection pack</h3>Every session's signed record, register.csv, "
                "patterns.pdf and an audit checkpoint for the range."
            )
        )
        row = QHBoxLayout()
        caption = QLabel("&From")
        caption.setBuddy(self.from_day)
        row.addWidget(caption)
        row.addWidget(self.from_day)
        row.addWidget(QLabel("to"))
        row.addWidget(self.to_day)
        caption = QLabel("Fo&lder")
        caption.setBuddy(self.folder)
        row.addWidget(caption)
        row.addWidget(self.folder, 1)
        row.addWidget(button("Choose…", self.choose, "Choose the folder"))
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        layout.addLayout(row)
        layout.addWidget(self.step)
        layout.addStretch(1)
        self.check()

    def check(self) -> None:
        """Check every page and the audit chain in a worker thread (seconds on a ten-year
        store): the area shows at once and says it is checking."""
        if self.checking:
            return
        self.status.setText("Checking every page of the store and the audit chain…")
        self.status.setStyleSheet("")
        self.detail.setText("")
        station = self.station
        self.check_task = BackgroundTask(self, "Integrity check", lambda _p, _c: verify_store(station), dialog=False)
        self.check_task.succeeded.connect(self._checked)
        self.check_task.failed.connect(self._check_failed)
        self.check_task.start()

    @property
    def checking(self) -> bool:
        return self.check_task is not None

    def _end_check(self) -> None:
        if self.check_task is not None:
            self.check_task.deleteLater()
        self.check_task = None

    def _checked(self, report: str) -> None:
        self._end_check()
        self.status.setText("✔ OK — every page passed the integrity check and the audit chain is unbroken.")
        self.status.setStyleSheet("QLabel { background: #E8F4EA; color: #14532D; font-weight: bold; }")
        self.detail.setText(report)

    def _check_failed(self, message: str) -> None:
        self._end_check()
        self.status.setText(f"✖ FAILED — the records cannot be shown to be unaltered.\n{message}")
        self.status.setStyleSheet("QLabel { background: #FBE9EA; color: #7A1016; font-weight: bold; }")
        self.detail.setText("")

    def choose(self) -> None:
        folder = self.dialogs.folder("Folder for the inspection pack")
        if folder is not None:
            self.folder.setText(str(folder))

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def start(self) -> None:
        if self.running:
            return
        if not self.folder.text().strip():
            self.dialogs.error("Inspection pack", "Choose a new or empty folder for the pack first.")
            return
        first, last, out = py_date(self.from_day), py_date(self.to_day), Path(self.folder.text().strip())
        station = self.station
        self.task = BackgroundTask(
            self,
            "Inspection pack",
            lambda progress, cancelled: export_inspection_pack(
                station, first, last, out, progress=progress, cancelled=cancelled
            ),
            dialog=False,
        )
        self.task.progressed.connect(self._progress)
        self.task.succeeded.connect(
            lambda result: self._finished(
                True,
                (
                    f"Wrote {len(result.files)} files to {result.out_dir}: {result.sessions} "
                    f"session record(s), {result.register_rows} register row(s)."
                ),
            )
        )
        self.task.failed.connect(lambda message: self._finished(False, message))
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.step.setText("Starting…")
        self.task.start()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.step.setText("Cancelling…")

    def _progress(self, done: int, total: int, what: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.step.setText(f"Writing {what}")

    def _finished(self, ok: bool, message: str) -> None:
        if self.task is not None:
            self.task.deleteLater()
        self.task = None
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.step.setText(message)
        if not ok:
            self.progress.setValue(0)
            self.dialogs.error("Inspection pack", message)

    def shutdown(self) -> None:
        """Stop any export and the integrity check, and wait for their threads (the window
        is closing)."""
        if self.task is not None and self.task.running:
            self.task.wait()
        if self.check_task is not None and self.check_task.running:
            self.check_task.wait()
