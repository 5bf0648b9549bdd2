"""Review, Search, Patterns and Inspection areas on a real temporary store."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.services.review import malpractice
from invigilator_app.services.review import queue as review
from invigilator_app.services.review.search import EntryFilters, search_entries
from invigilator_app.ui.main_window import MainWindow
from invigilator_app.ui.review.inspection import InspectionArea
from invigilator_app.ui.review.models import LazyEntriesModel
from invigilator_app.ui.review.patterns import PatternsArea
from invigilator_app.ui.review.queue import ReviewArea
from invigilator_app.ui.review.search import SearchArea
from tests.review_helpers import close, coordinator, demo_store, inspector

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


class FakeDialogs:
    def __init__(self) -> None:
        self.texts: list[str | None] = []
        self.confirm_answer = True
        self.path: Path | None = None
        self.fields = None
        self.errors: list[str] = []
        self.infos: list[str] = []

    def text(self, title: str, label: str, multiline: bool = True) -> str | None:
        return self.texts.pop(0) if self.texts else None

    def confirm(self, title: str, text: str) -> bool:
        return self.confirm_answer

    def save_file(self, title: str, suggested: str, filters: str = "") -> Path | None:
        return self.path

    def folder(self, title: str) -> Path | None:
        return self.path

    def malpractice(self, report):
        return self.fields(report) if self.fields else None

    def info(self, title: str, text: str) -> None:
        self.infos.append(text)

    def error(self, title: str, text: str) -> None:
        self.errors.append(text)


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    data_dir, password = demo_store(tmp_path)
    station = coordinator(data_dir, password)
    try:
        close(station, list_sessions(station)[0].id)
    finally:
        station.close()
    return data_dir, password


W = TypeVar("W", bound=QWidget)


def _shown(qtbot, widget: W) -> W:
    """The area on screen, as a person sees it."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _shoot(widget: QWidget, name: str) -> None:
    if os.environ.get("INVIGILATOR_SCREENSHOTS"):
        widget.resize(1366, 720)
        widget.show()
        widget.grab().save(str(SHOTS / name))


def test_review_area_comment_return_sign_off_and_follow_up(qtbot, store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    area = ReviewArea(station)
    qtbot.addWidget(area)
    area.dialogs = fake = FakeDialogs()
    assert area.queue.rowCount() == 1 and area.session_id == area.queue.row_at(0).session_id
    assert area.entries.rowCount() == 1 and "IT issue" in area.entries.row_at(0).type_label
    _shoot(area, "review-queue.png")
    fake.texts = ["PC-04: how long was it down?"]
    area.return_button.click()
    assert area.queue.row_at(0).status == "returned"
    fake.texts = [None]
    area.sign_button.click()
    assert fake.errors and "not answered" in fake.errors[-1]
    review.answer_query(station, area.session_id, "Three minutes.")
    fake.texts = ["Checked."]
    area.sign_button.click()
    assert area.queue.rowCount() == 0 and "Nothing waits" in area.title.text()
    area.tabs.setCurrentIndex(1)
    assert area.follow.rowCount() == 2
    area.follow_view.selectRow(0)
    fake.texts = ["IMI-CH-1234"]
    area.notified_button.click()
    assert area.follow.rowCount() == 1
    _shoot(area, "review-follow-up.png")
    station.close()


def test_review_area_drafts_a_malpractice_report_from_selected_entries(
    qtbot, store: tuple[Path, str], tmp_path: Path
) -> None:
    station = coordinator(*store)
    area = ReviewArea(station)
    qtbot.addWidget(area)
    area.dialogs = fake = FakeDialogs()
    fake.fields = lambda report: replace(report.fields, initial_investigation="Logs checked.")
    area.entries_view.selectionModel().select(
        area.entries.index(0, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    )
    area.report_button.click()
    assert area.tabs.currentIndex() == 2 and area.reports.rowCount() == 1
    report = area.reports.row_at(0)
    assert report.fields.initial_investigation == "Logs checked." and report.missing
    area.reports_view.selectRow(0)
    fake.confirm_answer = False
    fake.path = tmp_path / "report.pdf"
    area.export_report()
    assert not fake.path.exists(), "not exported while fields are missing unless confirmed"
    fake.confirm_answer = True
    area.export_report()
    assert fake.path.read_bytes().startswith(b"%PDF")
    _shoot(area, "review-malpractice-reports.png")
    station.close()


def test_malpractice_form_lists_missing_fields_as_they_are_filled(qtbot, store: tuple[Path, str]) -> None:
    from invigilator_app.ui.review.malpractice_form import MalpracticeForm

    station = coordinator(*store)
    entry = search_entries(station, EntryFilters(type="submitted_early"))[0].id
    report = malpractice.draft_report(station, [entry])
    form = MalpracticeForm(report)
    qtbot.addWidget(form)
    assert "Mitigating circumstances" in form.missing.text()
    for name, value in (
        ("awarding_body_staff", "None"),
        ("initial_investigation", "Interviewed."),
        ("outcome", "No case."),
        ("mitigating_circumstances", "None"),
        ("conflict_of_interest", "None"),
    ):
        edit = form.edits[name]
        edit.setPlainText(value) if hasattr(edit, "setPlainText") else edit.setText(value)
    assert form.missing.text().startswith("<b>Complete")
    assert form.values().learners[0].registration_number == "R4410230"
    if os.environ.get("INVIGILATOR_SCREENSHOTS"):
        form.edits["outcome"].setPlainText("")
        form.show()
        form.grab().save(str(SHOTS / "review-malpractice-form.png"))
    station.close()


def test_search_area_filters_and_loads_more_as_it_scrolls(qtbot, store: tuple[Path, str]) -> None:
    station = inspector(store[0])
    area = SearchArea(station)
    qtbot.addWidget(area)
    assert area.model.rowCount() == 5 and "5 entries" in area.count.text()
    area.type.setCurrentIndex(area.type.findData("question_issue"))
    assert area.model.rowCount() == 1 and area.model.row_at(0).type == "question_issue"
    area.type.setCurrentIndex(0)
    area.text.setText("bus")
    area.apply()
    assert area.model.rowCount() == 1
    area.text.setText("")
    area.model.page = 2
    area.apply()
    assert area.model.rowCount() == 2 and area.model.canFetchMore()
    area.model.fetchMore()
    area.model.fetchMore()
    assert area.model.rowCount() == 5 and not area.model.canFetchMore()
    area.model.page = 200
    area.apply()
    _shoot(area, "search.png")
    station.close()


def test_search_models_pass_the_model_tester(qtmodeltester, store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    model = LazyEntriesModel(lambda f, offset, limit: search_entries(station, f, offset, limit), page=2)
    model.set_filters(EntryFilters())
    qtmodeltester.check(model)
    area_models = ReviewArea(station)
    for m in (area_models.queue, area_models.follow, area_models.reports, area_models.entries):
        qtmodeltester.check(m)
    area_models.deleteLater()
    station.close()


def test_patterns_area_draws_charts_lists_findings_and_exports(
    qtbot, qtmodeltester, store: tuple[Path, str], tmp_path: Path
) -> None:
    station = coordinator(*store)
    area = PatternsArea(station)
    qtbot.addWidget(area)
    area.dialogs = fake = FakeDialogs()
    assert [c.chart.key for c in area.charts] == ["hours", "durations", "attempts"]
    assert area.report is not None and area.report.attempts == 23
    qtmodeltester.check(area.findings)
    fake.path = tmp_path / "patterns.pdf"
    area.export()
    qtbot.waitUntil(lambda: bool(fake.infos), timeout=60000)
    assert fake.path.read_bytes().startswith(b"%PDF")
    _shoot(area, "patterns.png")
    station.close()


def test_the_pattern_pdf_is_made_off_the_gui_thread_and_cancel_writes_nothing(
    qtbot, store: tuple[Path, str], tmp_path: Path
) -> None:
    station = coordinator(*store)
    area = _shown(qtbot, PatternsArea(station))
    area.dialogs = fake = FakeDialogs()
    fake.path = tmp_path / "patterns.pdf"
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    area.view.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # Export PDF…
    qtbot.waitUntil(lambda: area.exporting is not None)
    assert not area.export_button.isEnabled(), "one export at a time"
    qtbot.waitUntil(lambda: area.exporting is None and bool(fake.infos), timeout=60000)
    assert area.export_button.isEnabled() and fake.path.read_bytes().startswith(b"%PDF")
    assert QApplication.overrideCursor() is None, "no wait cursor: the window stays in use"

    again = tmp_path / "cancelled.pdf"
    fake.path = again
    area.export()
    assert area.exporting is not None
    area.exporting.cancel()  # as the progress dialog's Cancel does
    qtbot.waitUntil(lambda: area.exporting is None, timeout=60000)
    assert fake.errors == ["Export cancelled; nothing was written."]
    assert not again.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["demo", "patterns.pdf"]
    station.close()


def test_a_range_of_years_is_counted_in_the_background_and_can_be_stopped(qtbot, store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    area = _shown(qtbot, PatternsArea(station))
    shown = area.report
    assert shown is not None and area.counting is None, "ninety days are counted at once"
    area.from_day.setDate(area.to_day.date().addYears(-3))
    area.refresh()
    assert area.counting is not None and area.summary.text().startswith("Counting the attempts")
    assert not area.show_button.isEnabled(), "one count at a time"
    qtbot.waitUntil(lambda: area.counting is None, timeout=60000)
    assert area.show_button.isEnabled()
    assert area.report is not None and area.report is not shown
    assert area.summary.text().startswith(f"<b>{area.report.attempts} attempts")

    counted = area.report
    area.refresh()
    assert area.counting is not None
    area.counting.cancel()
    qtbot.waitUntil(lambda: area.counting is None, timeout=60000)
    assert area.report is counted and "no pattern report was made" in area.summary.text()
    assert "Still shown: the last report" in area.summary.text()
    station.close()


def test_inspection_area_shows_integrity_first_and_exports_off_the_gui_thread(
    qtbot, store: tuple[Path, str], tmp_path: Path
) -> None:
    station = inspector(store[0])
    area = InspectionArea(station)
    qtbot.addWidget(area)
    area.dialogs = fake = FakeDialogs()
    assert area.checking and area.status.text().startswith("Checking"), "the check runs off the GUI thread"
    qtbot.waitUntil(lambda: not area.checking, timeout=60000)
    assert area.status.text().startswith("✔ OK")
    area.from_day.setDate(area.from_day.date().addYears(-1))
    fake.path = tmp_path / "pack"
    area.choose()
    area.export_button.click()
    assert area.running and not area.export_button.isEnabled()
    qtbot.waitUntil(lambda: not area.running and area.export_button.isEnabled(), timeout=60000)
    assert "Wrote 12 files" in area.step.text(), area.step.text()  # with centre.pem, manifest, README …
    assert len(list((tmp_path / "pack").iterdir())) == 12
    _shoot(area, "inspection.png")
    station.close()


def test_cancelling_the_pack_leaves_nothing_and_no_thread_running(
    qtbot, store: tuple[Path, str], tmp_path: Path
) -> None:
    station = inspector(store[0])
    area = InspectionArea(station)
    qtbot.addWidget(area)
    area.dialogs = fake = FakeDialogs()
    area.from_day.setDate(area.from_day.date().addYears(-1))
    area.folder.setText(str(tmp_path / "pack"))
    area.start()
    area.cancel()
    qtbot.waitUntil(lambda: not area.running and area.export_button.isEnabled() and not area.checking, timeout=60000)
    assert "Cancelled" in area.step.text() and fake.errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
    station.close()


def test_an_inspector_starts_on_their_visit_and_cannot_review(qtbot, store: tuple[Path, str]) -> None:
    window = MainWindow(inspector(store[0]))
    qtbot.addWidget(window)
    assert window.current_area() == "visit", "the visit's dashboard (integrity first) is the inspector's first screen"
    assert "review" not in window.area_pages and {"search", "patterns"} <= set(window.area_pages)
    assert not window.incident_actions[next(iter(window.incident_actions))].isEnabled(), "inspectors record nothing"
    assert not window.session_actions["sign_off"].isVisible() and window.session_actions["export_pdf"].isVisible()
    if os.environ.get("INVIGILATOR_SCREENSHOTS"):
        window.show()
        window.grab().save(str(SHOTS / "inspection-inspector-window.png"))
    window.close()


def test_patterns_show_a_wait_cursor_while_the_report_is_made_and_put_it_back(
    qtbot, store: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from invigilator_app.services.review import patterns

    station = coordinator(*store)
    area = _shown(qtbot, PatternsArea(station))
    made = patterns.pattern_report
    seen: list[object] = []

    def watched(*args: object, **kwargs: object) -> object:
        cursor = QApplication.overrideCursor()
        seen.append(cursor.shape() if cursor is not None else None)
        return made(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(patterns, "pattern_report", watched)
    show = next(b for b in area.findChildren(QPushButton) if b.text() == "&Show")
    show.setFocus()
    qtbot.keyClick(show, Qt.Key.Key_Space)  # as at the keyboard: Tab to Show, Space
    assert seen == [Qt.CursorShape.WaitCursor]
    assert QApplication.overrideCursor() is None
    area.to_day.setDate(area.from_day.date().addDays(-1))  # a range that ends before it starts
    qtbot.keyClick(show, Qt.Key.Key_Space)
    assert "after it ends" in area.summary.text()
    assert QApplication.overrideCursor() is None  # back as it was after a refusal too
    station.close()


def test_the_follow_up_tab_counts_its_items_before_it_is_opened_and_lists_them_when_it_is(
    qtbot, store: tuple[Path, str]
) -> None:
    station = coordinator(*store)
    area = _shown(qtbot, ReviewArea(station))
    listed = review.follow_ups(station)
    assert review.follow_up_count(station) == len(listed) > 0
    assert area.tabs.tabText(1) == f"&Follow-up ({len(listed)})"
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    area.queue_view.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # the tab's mnemonic
    qtbot.waitUntil(lambda: area.tabs.currentIndex() == 1)
    assert [area.follow.row_at(r).what for r in range(area.follow.rowCount())] == [f.what for f in listed]
    area.tabs.setCurrentIndex(0)
    area.refresh()  # read again while the list is out of sight: counted, listed when shown again
    area.tabs.setCurrentIndex(1)
    assert area.follow.rowCount() == len(listed)
    station.close()
