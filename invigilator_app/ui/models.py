"""Qt table models that adapt service results (plain dataclasses) to views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from invigilator_app.services.console.sessions import AllocationView, EntryView, SessionSummary

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

STATE_TEXT = {
    "expected": "Expected",
    "identity_checked": "ID checked",
    "logged_on": "Logged on",
    "started": "Started",
    "finished": "Finished",
    "absent": "Absent",
    "withdrawn": "Withdrawn",
    "transferred": "Transferred",
    "planned": "Planned",
    "running": "Running",
    "closed": "Closed",
    "signed_off": "Signed off",
}


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of rows; each column is (header, getter, tooltip getter or None)."""

    columns: Sequence[tuple[str, Callable[[Any], str]]] = ()

    def __init__(self, rows: Sequence[Row] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()][1](self._rows[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return self.columns[section][0]
        return None


class SessionsModel(RowsModel[SessionSummary]):
    columns = (
        ("Date", lambda s: s.day.strftime("%a %d %b %Y")),
        ("Start", lambda s: s.start),
        ("Room", lambda s: s.room),
        ("Invigilator", lambda s: s.invigilator),
        ("Candidates", lambda s: str(s.candidates)),
        ("State", lambda s: STATE_TEXT.get(s.state, s.state)),
    )


class AllocationsModel(RowsModel[AllocationView]):
    columns = (
        ("Workstation", lambda a: a.workstation),
        ("Candidate", lambda a: a.candidate_name),
        ("Reg. no.", lambda a: a.registration_number),
        ("Assessment", lambda a: f"{a.assessment_id} — {a.assessment_title}" if a.assessment_title else a.assessment_id),
        ("Qualification", lambda a: a.qualification),
        ("State", lambda a: STATE_TEXT.get(a.state, a.state)),
        ("Register", lambda a: a.register),
        ("Identity check", lambda a: a.identity_check or "not yet"),
        ("Start", lambda a: a.start),
        ("Finish", lambda a: a.finish),
        ("Result", lambda a: a.result),
        ("Attempt", lambda a: f"{a.attempt_number}{' (chargeable)' if a.chargeable else ''}"),
        ("Access arrangements", lambda a: a.arrangements_label),
        ("Flags", lambda a: a.flags.replace("\n", "; ")),
    )


class EntriesModel(RowsModel[EntryView]):
    columns = (
        ("Time", lambda e: e.at),
        ("Entry", lambda e: e.type_label),
        ("Candidates", lambda e: e.candidates),
        ("Note", lambda e: e.note),
        ("Recorded by", lambda e: e.recorded_by + (f" (typed in by {e.typed_by})" if e.typed_by else "")),
        ("Notify", lambda e: (f"{e.notify}: {e.notified or 'OUTSTANDING'}" if e.notify else "")),
        ("Marks", lambda e: ", ".join(m for m, on in (("transcribed", e.transcribed), ("late", e.late)) if on)),
    )
