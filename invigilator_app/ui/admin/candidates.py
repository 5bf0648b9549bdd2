"""Candidates: the searchable register, add and edit, and the spreadsheet import."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.services.admin import candidates_admin as admin
from invigilator_app.services.admin.candidates import count_candidates, list_candidates
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.forms import AdminDialogs
from invigilator_app.ui.admin.models import CandidatesModel
from invigilator_app.ui.widgets import (
    StatusLine,
    attempt,
    button,
    make_table,
    selected_row,
)


class CandidatesArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.ask = AdminDialogs(self)
        self.editable = station.actor.role is Role.COORDINATOR
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or registration number (Ctrl+F)")
        self.search.setAccessibleName("Search candidates")
        self.search.setClearButtonEnabled(True)
        find = QLabel("&Find:")
        find.setBuddy(self.search)
        top.addWidget(find)
        top.addWidget(self.search, 1)
        self.add_button = button("&Add…", self.add, "Register one candidate (Ctrl+N)", "add_candidate")
        self.edit_button = button("&Edit…", self.edit, "Change the selected candidate (Enter)", "edit_candidate")
        self.import_button = button(
            "&Import…",
            self.import_file,
            "Import a CSV or a centre system's spreadsheet export, with a preview",
            "import_candidates",
        )
        for b in (self.add_button, self.edit_button, self.import_button):
            b.setEnabled(self.editable)
            top.addWidget(b)
        layout.addLayout(top)
        self.model = CandidatesModel()
        self.table = make_table(self.model, "Candidates register")
        self.table.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        self.status = StatusLine()
        layout.addWidget(self.count)
        layout.addWidget(self.status)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        if self.editable:
            QShortcut(QKeySequence.StandardKey.New, self, self.add)
            self.table.activated.connect(lambda _i: self.edit())
        self.refresh()

    def refresh(self) -> None:
        rows = list_candidates(self.station, self.search.text())
        self.model.set_rows(rows)
        total = count_candidates(self.station)
        shown = f"{len(rows)} shown of {total} registered" if len(rows) < total else f"{total} registered"
        self.count.setText(f"{shown}. Extra time and access arrangements appear on seating plans and records.")

    def _select(self, registration_number: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).registration_number == registration_number:
                self.table.selectRow(row)
                return

    def add(self) -> None:
        wanted = self.ask.candidate(None)
        if wanted is None:
            return
        saved = attempt(
            self.status, self.ask.error, "Candidate not added", lambda: admin.add_candidate(self.station, wanted)
        )
        if saved is not None:
            self.status.done(f"Added {saved.name} ({saved.registration_number}).")
            self.refresh()
            self._select(saved.registration_number)

    def edit(self) -> None:
        row = selected_row(self.table)
        if row is None or not self.editable:
            return
        current = self.model.row_at(row)
        wanted = self.ask.candidate(current)
        if wanted is None:
            return
        saved = attempt(
            self.status,
            self.ask.error,
            "Candidate not changed",
            lambda: admin.edit_candidate(self.station, current.id, wanted),
        )
        if saved is not None:
            self.status.done(f"Saved {saved.name} ({saved.registration_number}).")
            self.refresh()
            self._select(saved.registration_number)

    def import_file(self) -> None:
        path = self.ask.open_file("Import candidates", "Spreadsheet exports (*.csv *.txt);;All files (*)")
        if path is None:
            return
        try:
            sheet = admin.read_spreadsheet(path.read_bytes(), str(path))
        except OSError as exc:
            self.ask.error("Import", f"{path}: cannot be read ({exc.strerror or exc}).")
            return
        except BadInput as exc:
            self.ask.error("Import", exc.message)
            return
        preview = self.ask.import_preview(sheet, lambda mapping: admin.preview_import(self.station, sheet, mapping))
        if preview is None:
            self.status.done("Import cancelled; nothing was written.")
            return
        result = attempt(
            self.status, self.ask.error, "Nothing imported", lambda: admin.import_previewed(self.station, preview)
        )
        if result is not None:
            self.status.done(f"Imported {path.name}: {result.added} added, {result.unchanged} already registered.")
            self.refresh()
