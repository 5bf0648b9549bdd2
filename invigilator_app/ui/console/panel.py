"""One session in the console: seating plan, candidates, log, room checklist and clock.

The selected candidate is the invigilator's: a seat chosen on the plan (click or arrow
keys) or a row chosen in the Candidates table is the one every candidate action and form
acts on, and it stays selected through every reload, action and dialog."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.timefmt import day_text
from invigilator_app.services.console.sessions import (
    AllocationView,
    EntryView,
    SessionDetail,
)
from invigilator_app.ui.console.pages import ChecklistPage, ClockPage
from invigilator_app.ui.console.seating_plan import SeatingPlan
from invigilator_app.ui.console.strip import MessageStrip
from invigilator_app.ui.models import STATE_TEXT, AllocationsModel, EntriesModel, RowsModel
from invigilator_app.ui.widgets import make_table

LOCATION_COLUMNS = (
    ("Location", lambda a: a.workstation),
    ("Candidate", lambda a: a.candidate_name),
    ("Reg. no.", lambda a: a.registration_number),
    ("Assessment", lambda a: a.assessment_id),
    ("State", lambda a: STATE_TEXT.get(a.state, a.state)),
    ("Identity check (to camera)", lambda a: a.identity_check or "not yet"),
    ("Start", lambda a: a.start),
    ("Finish", lambda a: a.finish),
)


class LocationsModel(RowsModel[AllocationView]):
    """A remotely invigilated session's candidates by location (in place of the seating plan)."""

    columns = LOCATION_COLUMNS


TITLE_NAME_MAX = 60
"""A name longer than this is cut with an ellipsis in titles (the tables' tooltips hold it whole)."""


def candidate_title(allocation: AllocationView) -> str:
    """How a form or action names the candidate it acts on: "PC-02 Amelia Hughes"."""
    name = allocation.candidate_name
    if len(name) > TITLE_NAME_MAX:
        name = name[: TITLE_NAME_MAX - 1].rstrip() + "\u2026"
    return f"{allocation.workstation} {name}"


class SessionPanel(QWidget):
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: SessionDetail | None = None
        self.selected_reg: str | None = None
        self._syncing = False
        layout = QVBoxLayout(self)
        self.title = QLabel("Choose a session on the left.")
        self.title.setObjectName("sessionTitle")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.strip = MessageStrip()
        layout.addWidget(self.strip)
        self.selected_label = QLabel("")
        self.selected_label.setObjectName("selectedCandidate")
        self.selected_label.setAccessibleName("Selected candidate")
        self.selected_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.selected_label.setWordWrap(True)
        self.selected_label.setStyleSheet("QLabel#selectedCandidate { background: #e3f2fd; padding: 3px; }")
        layout.addWidget(self.selected_label)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("consoleTabs")
        self.seating = SeatingPlan()
        self.plan_scroll = QScrollArea()
        self.plan_scroll.setWidget(self.seating)
        self.plan_scroll.setWidgetResizable(True)
        self.plan_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plan_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.allocations = AllocationsModel()
        self.entries = EntriesModel()
        self.allocation_view = make_table(self.allocations, "Candidates")
        self.entry_view = make_table(self.entries, "Log")
        self.checklist = ChecklistPage()
        self.clock = ClockPage()
        # A remotely invigilated session has candidates at locations: a table replaces the plan.
        self.locations = LocationsModel()
        self.location_view = make_table(self.locations, "Locations")
        self.first = QStackedWidget()
        self.first.addWidget(self.plan_scroll)
        self.first.addWidget(self.location_view)
        self.tabs.addTab(self.first, "Seating &plan")
        self.tabs.addTab(self.allocation_view, "C&andidates")
        self.tabs.addTab(self.entry_view, "&Log")
        self.tabs.addTab(self.checklist, "Room c&hecklist")
        self.tabs.addTab(self.clock, "Cloc&k")
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout.addWidget(self.tabs, 1)
        self.checklist.back_requested.connect(lambda: self.show_page(self.entry_view))
        self.seating.seat_activated.connect(self.show_candidate)
        self.seating.seat_selected.connect(self._seat_chosen)
        self.allocation_view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.location_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: (
                None
                if self._syncing or not current.isValid()
                else self.select_candidate(self.locations.row_at(current.row()).registration_number)
            )
        )
        # Tab walks the pages in order: plan → candidates → log → checklist → out.
        self._tab_path: list[QWidget] = [self.seating, self.allocation_view, self.entry_view]
        for widget in self._tab_path:
            widget.installEventFilter(self)

    # ---- what is shown --------------------------------------------------------------------
    def show_detail(self, detail: SessionDetail) -> None:
        """Show a session, or the same one reloaded: the selected candidate and entry stay."""
        same = self.detail is not None and self.detail.summary.id == detail.summary.id
        entry = self.selected_entry() if same else None
        self.detail = detail
        s = detail.summary
        self.title.setText(f"{s.room} — {day_text(s.day)}, {s.start}")
        outstanding = sum(1 for e in detail.entries if e.notify and not e.notified)
        self.subtitle.setText(
            f"Invigilator: {s.invigilator} (IMI PIN {detail.invigilator_pin or 'not recorded'}) · "
            f"State: {STATE_TEXT.get(s.state, s.state)}"
            + (
                f" · <b>out at station {escape(s.out_at)}</b> (changed there until its record comes back)"
                if s.out_at
                else ""
            )
            + f" · Candidates: {s.candidates} · "
            f"Log entries: {len(detail.entries)}"
            + (f" · <b>{outstanding} awaiting notification</b>" if outstanding else "")
        )
        regs = [a.registration_number for a in detail.allocations]
        if not same or self.selected_reg not in regs:
            self.selected_reg = regs[0] if regs else None
        self._syncing = True
        try:
            self.seating.set_plan(detail.workstations, detail.allocations, detail.desk, detail.door, detail.facing)
            self.locations.set_rows(detail.allocations if detail.remote else [])
            self.first.setCurrentWidget(self.location_view if detail.remote else self.plan_scroll)
            self.tabs.setTabText(0, "Loca&tions" if detail.remote else "Seating &plan")
            self.tabs.setTabText(3, "Remote c&hecklist" if detail.remote else "Room c&hecklist")
            if detail.remote:
                self.title.setText(f"{s.room} — {day_text(s.day)}, {s.start} — remotely invigilated")
            self.seating.setMinimumSize(self.seating.minimumSizeHint())
            self.allocations.set_rows(detail.allocations)
            self.entries.set_rows(detail.entries)
            if entry is not None:
                ids = [e.id for e in detail.entries]
                if entry.id in ids:
                    self.entry_view.selectRow(ids.index(entry.id))
        finally:
            self._syncing = False
        self._apply_selection()

    def _apply_selection(self) -> None:
        """Put the plan's seat and the table's row on the selected candidate."""
        chosen = self.selected_allocation()
        self._syncing = True
        try:
            if chosen is not None:
                self.seating.select_label(chosen.workstation)
                row = next(
                    r
                    for r in range(self.allocations.rowCount())
                    if self.allocations.row_at(r).registration_number == chosen.registration_number
                )
                index = self.allocations.index(row, 0)
                self.allocation_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.allocation_view.scrollTo(index)
        finally:
            self._syncing = False
        rect = self.seating.current_rect()
        if rect is not None:  # a plan larger than its space scrolls to the selected seat
            self.plan_scroll.ensureVisible(
                int(rect.center().x()), int(rect.center().y()), int(rect.width() / 2) + 12, int(rect.height() / 2) + 12
            )
        if chosen is None:
            seat = self.seating.current_label()
            text = f"Selected: {escape(seat)} — no candidate" if seat else "No candidate selected"
        else:
            extra = f" · {chosen.arrangements_label}" if chosen.arrangements_label else ""
            text = (
                f"Selected: <b>{escape(candidate_title(chosen))}</b> ({escape(chosen.registration_number)}) · "
                f"{escape(chosen.assessment_id)} · {STATE_TEXT.get(chosen.state, chosen.state)}{escape(extra)}"
            )
        self.selected_label.setText(text)
        self.selected_label.setAccessibleDescription(self.selected_label.text().replace("<b>", "").replace("</b>", ""))
        self.selection_changed.emit()

    # ---- the invigilator's choice ---------------------------------------------------------
    def select_candidate(self, registration_number: str | None) -> None:
        self.selected_reg = registration_number
        self._apply_selection()

    def _seat_chosen(self, label: str) -> None:
        if self._syncing or self.detail is None:
            return
        alloc = next((a for a in self.detail.allocations if a.workstation == label), None)
        self.selected_reg = alloc.registration_number if alloc else None
        self._apply_selection()

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        self.select_candidate(self.allocations.row_at(current.row()).registration_number)

    def selected_allocation(self) -> AllocationView | None:
        """The candidate the invigilator selected (on the plan or in the table), whatever tab shows."""
        if self.detail is None or self.selected_reg is None:
            return None
        return next((a for a in self.detail.allocations if a.registration_number == self.selected_reg), None)

    def selected_entry(self) -> EntryView | None:
        row = self.entry_view.currentIndex().row()
        return self.entries.row_at(row) if 0 <= row < self.entries.rowCount() else None

    def show_candidate(self, label: str) -> None:
        """Enter on a seat: the candidate's row in the Candidates tab."""
        self._seat_chosen(label)
        self.tabs.setCurrentWidget(self.allocation_view)
        self.allocation_view.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- keyboard path --------------------------------------------------------------------
    def page_focus(self, page: QWidget) -> QWidget:
        """The widget that takes the keyboard when a page is shown."""
        if page is self.first:
            return self.location_view if self.first.currentWidget() is self.location_view else self.seating
        if page is self.checklist:
            return self.checklist.first_field()
        return page

    def show_page(self, page: QWidget) -> None:
        self.tabs.setCurrentWidget(page)
        self.page_focus(page).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _tab_shown(self, index: int) -> None:
        """A page shown by its mnemonic or a click takes the keyboard, so focus never stays behind."""
        page = self.tabs.widget(index)
        if page is None:  # index -1: no page left
            return
        focus: QWidget | None = self.focusWidget()  # null when nothing in the panel has focus; the stubs say never
        if (
            self.isVisible()
            and focus is not None
            and focus is not page
            and not page.isAncestorOf(focus)
            and self.isAncestorOf(focus)
        ):
            self.page_focus(page).setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and watched in self._tab_path:
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            backward = event.key() == Qt.Key.Key_Backtab or (
                event.key() == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            step = 1 if forward else -1 if backward else 0
            if step:
                pages = [self.first, self.allocation_view, self.entry_view, self.checklist]
                position = self._tab_path.index(watched) + step
                if 0 <= position < len(pages):
                    self.show_page(pages[position])
                    return True
        return super().eventFilter(watched, event)
