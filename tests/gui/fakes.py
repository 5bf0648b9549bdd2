"""Test doubles for the GUI's dialog service (ui/dialogs.py), and a helper to pick a seat."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.console.sessions import AllocationView
from invigilator_app.ui.dialogs import EntryAnswer, IdentityAnswer


class FakeDialogs:
    """Answers the window's questions the way an invigilator would, and keeps its messages."""

    def __init__(self) -> None:
        self.entry_answer: EntryAnswer | None = None
        self.identity_answer: IdentityAnswer | None = None
        self.confirm_answer = True
        self.text_answer: str | None = None
        self.save_answer: Path | None = None
        self.choice: str | None = None
        self.offered: list[str] = []
        self.choices: list[str] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.confirmations: list[str] = []
        self.asked: list[IncidentType] = []

    def entry(
        self,
        kind: IncidentType,
        allocations: Sequence[AllocationView],
        preselected: str,
        done: Callable[[EntryAnswer], None],
    ) -> None:
        self.asked.append(kind)
        self.preselected = preselected
        if self.entry_answer is not None:
            done(self.entry_answer)

    def identity(self, allocation: AllocationView, done: Callable[[IdentityAnswer], None]) -> None:
        self.identified = allocation
        if self.identity_answer is not None:
            done(self.identity_answer)

    def sign_off(self, title: str, summary: Any, declaration: str, done: Callable[[], None]) -> None:
        self.confirmations.append(declaration)
        self.summary = summary
        if self.confirm_answer:
            done()

    def error(self, title: str, text: str) -> None:
        self.errors.append(text)

    def info(self, title: str, html: str) -> None:
        self.infos.append(html)

    def confirm(self, title: str, text: str) -> bool:
        self.confirmations.append(text)
        return self.confirm_answer

    def text(self, title: str, label: str) -> str | None:
        return self.text_answer

    def choose(self, title: str, label: str, options: list[str]) -> str | None:
        self.offered = options
        if self.choices:  # several questions in a row: answered in order
            return self.choices.pop(0)
        return self.choice

    def save_file(self, title: str, suggested: str, file_filter: str) -> Path | None:
        return self.save_answer


def select_workstation(window: Any, workstation: str) -> None:
    """Select, in the Candidates tab, the candidate at this workstation."""
    panel = window.panel
    panel.tabs.setCurrentWidget(panel.allocation_view)
    for row in range(panel.allocations.rowCount()):
        if panel.allocations.row_at(row).workstation == workstation:
            panel.allocation_view.selectRow(row)
            assert panel.selected_allocation().workstation == workstation
            return
    raise AssertionError(workstation)
