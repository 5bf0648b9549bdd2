"""Qt table models that adapt service results (plain dataclasses) to views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from invigilator_app.domain.timefmt import day_text
from invigilator_app.services.console.sessions import AllocationView, EntryView, SessionSummary

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole})
"""The roles these models answer; a view asks a cell for a dozen, so the others are
turned away first (integers compare equal to the enum members and hash alike)."""

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


CELL_MAX = 160
"""Characters a table cell shows; a longer name or note ends in an ellipsis, its tooltip holds it whole."""
NAME_MAX = 60
"""Characters of a person's name on a seat card, a form's title or the selection line."""


def short_text(text: str, limit: int = NAME_MAX) -> str:
    """The text, cut with an ellipsis after ``limit`` characters (the Candidates tab's tooltip has it whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


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
        if role not in TEXT_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        text = self.columns[index.column()][1](self._rows[row])
        if role == Qt.ItemDataRole.DisplayRole and len(text) > CELL_MAX:
            return text[: CELL_MAX - 1].rstrip() + "\u2026"  # the whole text is in the tooltip
        return text

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        horizontal = role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(self.columns):
            return self.columns[section][0]
        return None


class SessionsModel(RowsModel[SessionSummary]):
    columns = (
        ("Date", lambda s: day_text(s.day)),
        ("Start", lambda s: s.start),
        ("Room", lambda s: s.room),
        ("State", lambda s: STATE_TEXT.get(s.state, s.state) + (f", out at {s.out_at}" if s.out_at else "")),
        ("Invigilator", lambda s: s.invigilator),
        ("Candidates", lambda s: str(s.candidates)),
    )


class AllocationsModel(RowsModel[AllocationView]):
    columns = (
        # What the invigilator looks for first comes first: state and times before the long titles.
        ("Workstation", lambda a: a.workstation),
        ("Candidate", lambda a: a.candidate_name),
        ("State", lambda a: STATE_TEXT.get(a.state, a.state)),
        ("Register", lambda a: a.register),
        ("Start", lambda a: a.start),
        ("Finish", lambda a: a.finish),
        ("Identity check", lambda a: a.identity_check or "not yet"),
        ("Reg. no.", lambda a: a.registration_number),
        (
            "Assessment",
            lambda a: f"{a.assessment_id} — {a.assessment_title}" if a.assessment_title else a.assessment_id,
        ),
        ("Qualification", lambda a: a.qualification),
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
        ("Notify", lambda e: f"{e.notify}: {e.notified or 'OUTSTANDING'}" if e.notify else ""),
        ("Marks", lambda e: ", ".join(m for m, on in (("transcribed", e.transcribed), ("late", e.late)) if on)),
    )
