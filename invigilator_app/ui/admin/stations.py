"""Stations (on the hub; coordinators act, inspectors read): every enrolled room PC with its
last bundle in and out, how far its records are in, the sessions out at it and the bundles
waiting in the drop folder; enrolling a station, sending it a bundle with planned sessions,
importing the stations' bundles (a file or the drop folder) off the GUI thread with
progress, and what each import found or refused, in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.services.station import Station
from invigilator_app.services.stations import views
from invigilator_app.services.stations.enrol import Enrolment, enrol_station
from invigilator_app.services.stations.exchange import Exported, Imported, export_bundle
from invigilator_app.ui.admin.centre_menu import bundle_source, export_text, import_text, importer
from invigilator_app.ui.admin.station_forms import StationDialogs
from invigilator_app.ui.models import RowsModel
from invigilator_app.ui.widgets import StatusLine, button, make_table, selected_row
from invigilator_app.ui.worker import BackgroundTask, Work, start_task

EMPTY = (
    "<p><b>No room PCs are enrolled: this PC is the whole centre.</b></p>"
    "<p>A station is a room PC enrolled with this hub: the hub hands it planned sessions in a bundle (a file on a "
    "USB stick, or a shared drop folder) and takes its records back, so the rules see every room of the centre. "
    "To add one, press <b>Enrol station…</b> and type the code it shows on the room PC.</p>"
)


def _waiting(line: views.StationLine) -> str:
    parts = []
    if line.waiting_from:
        parts.append(f"{line.waiting_from} from it to import")
    if line.waiting_for:
        parts.append(f"{line.waiting_for} for it, not picked up")
    return ", ".join(parts) or "none"


def _out(line: views.StationLine) -> str:
    if not line.sessions_out:
        return "none"
    return f"{len(line.sessions_out)}: " + "; ".join(s.label for s in line.sessions_out)


class StationsModel(RowsModel[views.StationLine]):
    columns = (
        ("No.", lambda s: str(s.view.number)),
        ("Station", lambda s: s.view.name),
        ("Last bundle in", lambda s: s.view.last_in),
        ("Last bundle out", lambda s: s.view.last_out),
        ("Records in up to", lambda s: s.view.records_as_of),
        ("Sessions out", _out),
        ("Waiting in drop folder", _waiting),
    )


class StationsArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.ask = StationDialogs(self)
        self.task: BackgroundTask | None = None
        self.skipped: list[Path] = []
        self.readonly = station.actor.role is Role.INSPECTOR
        layout = QVBoxLayout(self)
        heading = QLabel("<h3>Stations of the centre</h3>")
        layout.addWidget(heading)
        self.empty = QLabel(EMPTY)
        self.empty.setObjectName("stationsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty.setMargin(10)
        layout.addWidget(self.empty)
        self.model = StationsModel()
        self.table = make_table(self.model, "Stations")
        layout.addWidget(self.table, 2)
        self.detail = QLabel()
        self.detail.setObjectName("stationDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.detail)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_detail())
        self.drop_label = QLabel()
        self.drop_label.setObjectName("dropFolder")
        self.drop_label.setWordWrap(True)
        layout.addWidget(self.drop_label)
        bar = QHBoxLayout()
        self.enrol_button = button("&Enrol station…", self.enrol, "Enrol a room PC as a station of this hub (Alt+E)")
        self.send_button = button("Se&nd bundle…", self.send, "Hand planned sessions to a station (Alt+N)")
        self.import_button = button("&Import bundles…", self.receive, "Import the stations' bundles (Alt+I)")
        self.drop_button = button("&Drop folder…", self.choose_drop, "The shared folder for bundles (Alt+D)")
        for b in (self.enrol_button, self.send_button, self.import_button, self.drop_button):
            b.setVisible(not self.readonly)
            bar.addWidget(b)
        bar.addWidget(button("&Refresh", self.refresh, "Read the stations and the drop folder again (Alt+R)"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Bundle progress")
        self.progress.setFormat("%v of %m")
        self.progress.setValue(0)
        self.progress.setVisible(False)
        bar.addWidget(self.progress, 1)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.results = QLabel()
        self.results.setObjectName("bundleResults")
        self.results.setAccessibleName("What the last bundle did")
        self.results.setWordWrap(True)
        self.results.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.results)
        self.status = StatusLine()
        layout.addWidget(self.status)
        self._tail = layout.count()
        layout.addStretch(0)  # takes the table's room while there is no table (a single-PC centre)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.running:
            self.refresh()

    def refresh(self) -> None:
        chosen = self._chosen_name()
        try:
            lines = views.station_lines(self.station)
            drop = views.drop_folder(self.station)
        except InvigilatorError as exc:
            self.status.refused(exc.message)
            return
        self.model.set_rows(lines)
        self.empty.setVisible(not lines)
        self.table.setVisible(bool(lines))
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.setStretch(self._tail, 0 if lines else 1)
        names = [line.view.name for line in lines]
        if lines:
            self.table.selectRow(names.index(chosen) if chosen in names else 0)
        self._show_detail()
        if drop is None:
            self.drop_label.setText("Drop folder: none chosen (bundles go by file, on a USB stick).")
        else:
            from invigilator_app.services.stations.exchange import SUFFIX

            waiting = sum(views.waiting_by_name(drop).values()) if drop.is_dir() else 0
            state = "" if drop.is_dir() else " — not reachable now"
            self.drop_label.setText(f"Drop folder: {drop}{state} ({waiting} {SUFFIX} file(s) in it).")

    def _chosen_name(self) -> str:
        row = selected_row(self.table)
        return self.model.row_at(row).view.name if row is not None and row < self.model.rowCount() else ""

    def _show_detail(self) -> None:
        row = selected_row(self.table)
        if row is None or row >= self.model.rowCount():
            self.detail.setText("")
            return
        line = self.model.row_at(row)
        if not line.sessions_out:
            self.detail.setText(f"No sessions are out at <b>{line.view.name}</b>.")
            return
        items = "".join(f"<li>{s.label} (session {s.id})</li>" for s in line.sessions_out)
        self.detail.setText(
            f"Sessions out at <b>{line.view.name}</b> (edited there until their records come back):"
            f"<ul style='margin-top:2px'>{items}</ul>"
        )

    @property
    def running(self) -> bool:
        from shiboken6 import isValid

        return self.task is not None and isValid(self.task) and self.task.running

    def _run(self, title: str, work: Work, succeeded: Callable[[Any], None]) -> None:
        self.progress.setVisible(True)
        self.progress.setMaximum(0)
        self.status.done(f"{title}…")
        for b in (self.enrol_button, self.send_button, self.import_button):
            b.setEnabled(False)
        self.task = start_task(
            self, title, work, lambda result: self._end(succeeded, result), self._failed, dialog=False
        )
        self.task.progressed.connect(self._progress)

    def _progress(self, done: int, total: int, what: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        if what:
            self.status.done(f"{what}…")

    def _idle(self) -> None:
        self.progress.setVisible(False)
        for b in (self.enrol_button, self.send_button, self.import_button):
            b.setEnabled(True)

    def _end(self, succeeded: Callable[[Any], None], result: Any) -> None:
        self._idle()
        self.refresh()
        succeeded(result)

    def _failed(self, message: str) -> None:
        self._idle()
        self.refresh()
        self.results.setText(f"✖ {message}")
        self.results.setStyleSheet("color: #a0202a;")
        self.status.refused(message.splitlines()[0] if message else "")
        self.ask.error("Not done", message)

    def _busy(self) -> bool:
        if self.running:
            self.ask.error("Stations", "A bundle is being written or read already; wait for it to finish.")
        return self.running or self.readonly

    def enrol(self) -> None:
        if self._busy():
            return
        name = self.ask.text("Enrol station", "Name of the station (for example the room it stands in):")
        if name is None:
            return
        if not name.strip():
            self.ask.error("Enrol station", "A station needs a name (for example the room it stands in).")
            return
        out = self.ask.save_file(f"Enrolment file for {name.strip()}", f"{name.strip()}.enrol", "Enrolment (*.enrol)")
        if out is None:
            return
        station = self.station
        self._run("Enrolling", lambda _p, _c: enrol_station(station, name, out), self._enrolled)

    def _enrolled(self, done: Enrolment) -> None:
        self.results.setStyleSheet("")
        self.results.setText(f"Station {done.name} (number {done.number}) enrolled; enrolment file {done.path}.")
        self.status.done(f"Enrolled {done.name}: type its code on the room PC.")
        place = getattr(self.window(), "centre", None)  # the main window's status bar: now a hub
        if callable(getattr(place, "refresh", None)):
            place.refresh()  # type: ignore[union-attr]
        self.ask.enrolment_shown(done)

    def send(self) -> None:
        if self._busy():
            return
        names = [self.model.row_at(i).view.name for i in range(self.model.rowCount())]
        if not names:
            self.ask.error("Send bundle", "No station is enrolled yet: enrol one first.")
            return
        answer = self.ask.send_bundle(
            names, views.sendable_sessions(self.station), views.drop_folder(self.station), self._chosen_name()
        )
        if answer is None:
            return
        station = self.station
        self._run(
            f"Sending a bundle to {answer.station}",
            lambda progress, _c: export_bundle(station, answer.station, answer.out, answer.sessions, progress),
            self._sent,
        )

    def _sent(self, done: Exported) -> None:
        self.results.setStyleSheet("")
        self.results.setText(export_text(done))
        self.status.done(f"Bundle {done.seq} for {done.to} written.")

    def receive(self) -> None:
        if self._busy():
            return
        source = bundle_source(self.ask, views.drop_folder(self.station), "Import bundles")
        if source is None:
            return
        station = self.station

        self.skipped = []  # bundles named for other PCs, left in the drop folder
        work = importer(station, source, self.skipped)

        self._run("Importing bundles", work, self._received)

    def _received(self, results: list[Imported | str]) -> None:
        text, ok = import_text(results, len(self.skipped))
        self.results.setText(text)
        self.results.setStyleSheet("" if ok else "color: #a0202a;")
        self.status.done(text.splitlines()[0])
        if not ok:
            self.ask.error("Not every bundle was imported", text)

    def choose_drop(self) -> None:
        if self._busy():
            return
        folder = self.ask.folder("Drop folder shared with the stations")
        if folder is None:
            return
        try:
            views.set_drop_folder(self.station, Path(folder))
        except InvigilatorError as exc:
            self.ask.error("Drop folder not chosen", "\n".join(exc.lines()))
            return
        self.status.done(f"Bundles go to and come from {folder}.")
        self.refresh()

    def shutdown(self) -> None:
        """Wait for a bundle being written or read (the window is closing or locking)."""
        if self.running and self.task is not None:
            self.task.wait()
