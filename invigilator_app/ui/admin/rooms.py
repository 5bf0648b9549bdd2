"""Rooms: the layout editor (drag on a metre grid or type coordinates), screens, privacy
filters and the invigilator's desk, with ROOM-1 shown live; print the layout to PDF."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.room import check_room_layout, natural_key
from invigilator_app.services.admin import rooms
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.forms import AdminDialogs
from invigilator_app.ui.admin.layout_editor import DESK, LayoutCanvas
from invigilator_app.ui.admin.models import WorkstationsModel
from invigilator_app.ui.widgets import (
    StatusLine,
    attempt,
    button,
    make_table,
    selected_row,
)


def _metres(name: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0.0, 100.0)
    spin.setDecimals(2)
    spin.setSingleStep(0.1)
    spin.setSuffix(" m")
    spin.setAccessibleName(name)
    return spin


class RoomsArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.ask = AdminDialogs(self)
        self.room = ""
        self.dirty = False
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Rooms</b>"))
        self.room_list = QListWidget()
        self.room_list.setAccessibleName("Rooms")
        self.room_list.currentTextChanged.connect(self.open_room)
        left.addWidget(self.room_list, 1)
        left.addWidget(button("Add &room…", self.add_room, name="add_room"))
        self.canvas = LayoutCanvas()
        self.canvas.changed.connect(self._edited)
        self.canvas.selected.connect(self._canvas_selected)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        holder = QWidget()
        holder.setLayout(left)
        splitter.addWidget(holder)
        splitter.addWidget(self.canvas)
        splitter.addWidget(self._side())
        splitter.setSizes([170, 760, 430])
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter)
        self.refresh_rooms()

    def _side(self) -> QWidget:
        side = QWidget()
        v = QVBoxLayout(side)
        v.setContentsMargins(0, 0, 0, 0)
        self.model = WorkstationsModel()
        self.table = make_table(self.model, "Workstations")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._table_selected())
        v.addWidget(self.table, 1)
        rowbar = QHBoxLayout()
        rowbar.addWidget(button("Add &workstation", self.add_workstation, name="add_workstation"))
        rowbar.addWidget(button("Remo&ve", self.remove_workstation, name="remove_workstation"))
        v.addLayout(rowbar)
        box = QGroupBox("Selected workstation")
        form = QFormLayout(box)
        self.label_edit = QLineEdit()
        self.label_edit.setAccessibleName("Workstation label")
        self.x_spin, self.y_spin = _metres("Workstation x"), _metres("Workstation y")
        self.screen_box = QCheckBox("Scree&n between candidates")
        self.filter_box = QCheckBox("&Privacy filter")
        form.addRow("&Label", self.label_edit)
        form.addRow("&x (across)", self.x_spin)
        form.addRow("&y (from the front)", self.y_spin)
        form.addRow("", self.screen_box)
        form.addRow("", self.filter_box)
        v.addWidget(box)
        desk = QGroupBox("Invigilator's desk")
        dform = QHBoxLayout(desk)
        self.desk_box = QCheckBox("Placed")
        self.desk_x, self.desk_y = _metres("Desk x"), _metres("Desk y")
        for w in (self.desk_box, QLabel("x"), self.desk_x, QLabel("y"), self.desk_y):
            dform.addWidget(w)
        v.addWidget(desk)
        self.room1 = QLabel()
        self.room1.setWordWrap(True)
        self.room1.setAccessibleName("ROOM-1 check")
        v.addWidget(self.room1)
        bar = QHBoxLayout()
        self.save_button = button("&Save layout", self.save, "Save after the ROOM-1 check", "save_layout")
        bar.addWidget(self.save_button)
        bar.addWidget(button("Print to P&DF…", self.print_pdf, name="print_layout"))
        v.addLayout(bar)
        self.status = StatusLine()
        v.addWidget(self.status)
        for signal in (
            self.label_edit.textEdited,
            self.x_spin.valueChanged,
            self.y_spin.valueChanged,
            self.screen_box.toggled,
            self.filter_box.toggled,
        ):
            signal.connect(lambda *_: self._form_edited())
        self.desk_box.toggled.connect(lambda _on: self._desk_edited())
        for spin in (self.desk_x, self.desk_y):  # typing a position places the desk
            spin.valueChanged.connect(
                lambda _v: self.desk_box.setChecked(True) if not self.desk_box.isChecked() else self._desk_edited()
            )
        return side

    # rooms -------------------------------------------------------------------------------
    def refresh_rooms(self, select: str = "") -> None:
        names = [r.name for r in rooms.list_rooms(self.station)]
        with QSignalBlocker(self.room_list):
            self.room_list.clear()
            self.room_list.addItems(names)
        wanted = select or self.room or (names[0] if names else "")
        matches = self.room_list.findItems(wanted, Qt.MatchFlag.MatchExactly)
        if matches:
            self.room_list.setCurrentItem(matches[0])
        self.open_room(wanted if matches else "")

    def open_room(self, name: str) -> None:
        if not name:
            self._show([], None)
            return
        layout = rooms.get_layout(self.station, name)
        self.room = name
        self._show(layout.workstations, layout.desk)
        self.dirty = False
        self._update_checks()

    def add_room(self) -> None:
        name = self.ask.text("Add room", "Room name (e.g. IT Suite):")
        if not name:
            return
        added = attempt(self.status, self.ask.error, "Room not added", lambda: rooms.add_room(self.station, name))
        if added is not None:
            self.status.done(f"Added {added.name}; place its workstations, then save.")
            self.refresh_rooms(added.name)

    # editing ----------------------------------------------------------------------------
    def _show(self, workstations: list[WorkstationFact], desk: tuple[float, float] | None) -> None:
        self.canvas.set_layout(workstations, desk)
        self.model.set_rows(self.canvas.workstations)
        with QSignalBlocker(self.desk_box), QSignalBlocker(self.desk_x), QSignalBlocker(self.desk_y):
            self.desk_box.setChecked(desk is not None)
            self.desk_x.setValue(desk[0] if desk else 0.0)
            self.desk_y.setValue(desk[1] if desk else 0.0)
        if workstations:
            self.table.selectRow(0)
        self._fill_form()
        self._update_checks()

    def _index(self) -> int | None:
        i = self.canvas.current
        return i if i is not None and 0 <= i < len(self.canvas.workstations) else None

    def _fill_form(self) -> None:
        i = self._index()
        w = self.canvas.workstations[i] if i is not None else WorkstationFact("", 0.0, 0.0)
        widgets = (self.label_edit, self.x_spin, self.y_spin, self.screen_box, self.filter_box)
        blockers = [QSignalBlocker(x) for x in widgets]
        self.label_edit.setText(w.label)
        self.x_spin.setValue(w.x)
        self.y_spin.setValue(w.y)
        self.screen_box.setChecked(w.screen)
        self.filter_box.setChecked(w.privacy_filter)
        for x in widgets:
            x.setEnabled(i is not None)
        del blockers

    def _table_selected(self) -> None:
        row = selected_row(self.table)
        if row is not None and row != self.canvas.current:
            self.canvas.current = row
            self.canvas.update()
            self._fill_form()

    def _canvas_selected(self, index: int) -> None:
        if index != DESK:
            with QSignalBlocker(self.table.selectionModel()):
                self.table.selectRow(index)
        self._fill_form()

    def _form_edited(self) -> None:
        i = self._index()
        if i is None:
            return
        self.canvas.workstations[i] = WorkstationFact(
            self.label_edit.text(),
            self.x_spin.value(),
            self.y_spin.value(),
            self.screen_box.isChecked(),
            self.filter_box.isChecked(),
        )
        self.canvas.update()
        self._edited(refill=False)

    def _desk_edited(self) -> None:
        self.canvas.desk = (self.desk_x.value(), self.desk_y.value()) if self.desk_box.isChecked() else None
        self.canvas.update()
        self._edited()

    def _edited(self, refill: bool = True) -> None:
        self.dirty = True
        current = self.canvas.current
        self.model.set_rows(self.canvas.workstations)
        if current is not None and current != DESK:
            with QSignalBlocker(self.table.selectionModel()):
                self.table.selectRow(current)
        if current == DESK and self.canvas.desk:
            with QSignalBlocker(self.desk_x), QSignalBlocker(self.desk_y):
                self.desk_x.setValue(self.canvas.desk[0])
                self.desk_y.setValue(self.canvas.desk[1])
        elif refill:
            self._fill_form()
        self._update_checks()

    def add_workstation(self) -> None:
        if not self.room:
            return
        used = {w.label for w in self.canvas.workstations}
        n = len(used) + 1
        while f"PC-{n:02d}" in used:
            n += 1
        last = max(self.canvas.workstations, key=lambda w: natural_key(w.label), default=None)
        x, y = (last.x + 1.5, last.y) if last else (1.0, 1.0)
        self.canvas.workstations.append(WorkstationFact(f"PC-{n:02d}", round(x, 2), round(y, 2)))
        self.canvas.select(len(self.canvas.workstations) - 1)
        self._edited()

    def remove_workstation(self) -> None:
        i = self._index()
        if i is None:
            return
        del self.canvas.workstations[i]
        self.canvas.current = min(i, len(self.canvas.workstations) - 1) if self.canvas.workstations else None
        self._edited()

    def _update_checks(self) -> None:
        found = check_room_layout(self.canvas.workstations)
        if found:
            self.room1.setText("<b>ROOM-1 refuses this layout:</b><br>" + "<br>".join(v.message for v in found))
            self.room1.setStyleSheet("color: #a0202a;")
        else:
            self.room1.setText("ROOM-1: every pair is at least 1.5 m apart or has a screen or privacy filter.")
            self.room1.setStyleSheet("")
        self.save_button.setEnabled(bool(self.room) and not found)
        unsaved = " (unsaved changes)" if self.dirty else ""
        self.status.done(
            f"{self.room}: {len(self.canvas.workstations)} workstations{unsaved}."
            if self.room
            else "Add a room to start."
        )

    def save(self) -> None:
        layout = [replace(w, label=w.label.strip()) for w in self.canvas.workstations]
        saved = attempt(
            self.status,
            self.ask.error,
            "Layout not saved",
            lambda: rooms.save_layout(self.station, self.room, layout, self.canvas.desk),
        )
        if saved is not None:
            self.dirty = False
            self.refresh_rooms(saved.name)
            self.status.done(f"Saved the layout of {saved.name}: {len(saved.workstations)} workstations.")

    def print_pdf(self) -> None:
        if not self.room:
            return
        if self.dirty:
            self.ask.error("Print", "Save the layout first: the PDF shows the saved layout.")
            return
        path = self.ask.save_file("Print the layout", f"{self.room} layout.pdf", "PDF (*.pdf)")
        if path is None:
            return
        out = attempt(
            self.status, self.ask.error, "Not printed", lambda: rooms.export_layout_pdf(self.station, self.room, path)
        )
        if out is not None:
            self.status.done(f"Wrote {out}.")
