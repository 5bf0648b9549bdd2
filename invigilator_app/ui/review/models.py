"""Qt table models for the review, patterns and search areas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from invigilator_app.domain.malpractice import MalpracticeReportView
from invigilator_app.domain.patterns import PatternFinding
from invigilator_app.domain.timefmt import when_text
from invigilator_app.services.review.queue import FollowUp, QueueItem
from invigilator_app.services.review.search import PAGE, EntryFilters, EntryRow
from invigilator_app.ui.models import RowsModel

Index = QModelIndex | QPersistentModelIndex


class QueueModel(RowsModel[QueueItem]):
    columns = (
        ("Date", lambda q: q.day),
        ("Start", lambda q: q.start),
        ("Room", lambda q: q.room),
        ("Invigilator", lambda q: q.invigilator),
        ("Closed", lambda q: q.closed_at),
        ("Review", lambda q: q.status),
        ("Open follow-ups", lambda q: str(q.outstanding) if q.outstanding else ""),
    )


class FollowUpModel(RowsModel[FollowUp]):
    columns = (
        ("Age", lambda f: f.age_text),
        ("What", lambda f: f.what),
        ("Who", lambda f: f.who),
        ("Session", lambda f: str(f.session_id)),
    )


class ReportsModel(RowsModel[MalpracticeReportView]):
    columns = (
        ("Report", lambda r: str(r.id)),
        ("Drafted", lambda r: f"{r.created_at} by {r.created_by}"),
        ("Status", lambda r: r.status),
        ("Investigation", lambda r: "under investigation" if r.under_investigation else "closed"),
        ("Kept until", lambda r: r.retain_until),
        ("Missing", lambda r: str(len(r.missing)) if r.missing else "complete"),
        ("Nature", lambda r: r.fields.nature.replace("\n", "; ")),
    )


class FindingsModel(RowsModel[PatternFinding]):
    zone = "Europe/London"
    columns = (
        ("When", lambda f: when_text(f.when, FindingsModel.zone)),
        ("Pattern", lambda f: f.kind.label),
        ("Candidate", lambda f: f"{f.candidate_name} ({f.registration_number})"),
        ("Session(s)", lambda f: ", ".join(str(s) for s in f.session_ids)),
        ("Detail", lambda f: f.detail),
    )


ENTRY_COLUMNS: tuple[tuple[str, Callable[[EntryRow], str]], ...] = (
    ("Date", lambda e: e.day),
    ("Time", lambda e: e.at),
    ("Room", lambda e: e.room),
    ("Invigilator", lambda e: e.invigilator),
    ("Entry", lambda e: e.type_label),
    ("Candidates", lambda e: e.candidates),
    ("Note", lambda e: e.note),
    ("Follow-up", lambda e: e.state),
    ("Session", lambda e: str(e.session_id)),
)

Fetch = Callable[[EntryFilters, int, int], list[EntryRow]]


class LazyEntriesModel(QAbstractTableModel):
    """Search results a page at a time: the view asks for more as it scrolls
    (canFetchMore / fetchMore), so the first rows show at once on a large store."""

    def __init__(self, fetch: Fetch, page: int = PAGE, parent: Any = None) -> None:
        super().__init__(parent)
        self.fetch = fetch
        self.page = page
        self.filters = EntryFilters()
        self._rows: list[EntryRow] = []
        self._more = False

    def set_filters(self, filters: EntryFilters) -> None:
        """Start again with new filters; loads the first page."""
        first = self.fetch(filters, 0, self.page)
        self.beginResetModel()
        self.filters = filters
        self._rows = first
        self._more = len(first) == self.page
        self.endResetModel()

    def row_at(self, row: int) -> EntryRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(ENTRY_COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt API
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802 - Qt API
        if parent.isValid() or not self._more:
            return
        more = self.fetch(self.filters, len(self._rows), self.page)
        self._more = len(more) == self.page
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return ENTRY_COLUMNS[index.column()][1](self._rows[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        horizontal = role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(ENTRY_COLUMNS):
            return ENTRY_COLUMNS[section][0]
        return None
