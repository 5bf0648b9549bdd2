"""Fit and scale: the window opens maximised on a small exam-room screen and at its last
size elsewhere; with the system font at 1.5× and 2× the seat cards grow with their text
and never cover each other, and the F1 overlay scrolls instead of running off screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication

from invigilator_app.services.access import open_station
from invigilator_app.services.demo import build_demo
from invigilator_app.ui import main_window
from invigilator_app.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build_demo(tmp_path_factory.mktemp("demo") / "store")


@pytest.fixture
def font_scale(request: pytest.FixtureRequest) -> Iterator[float]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = QFont(app.font())
    bigger = QFont(before)
    bigger.setPointSizeF(before.pointSizeF() * request.param)
    app.setFont(bigger)
    yield request.param
    app.setFont(before)


def _window(qtbot, demo: tuple[Path, str]) -> MainWindow:
    """The main window on the demo store at 1366×768, shown and exposed."""
    window = MainWindow(open_station(*demo))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_small_screen_opens_maximised(qtbot, demo: tuple[Path, str]) -> None:
    screen = QApplication.primaryScreen().geometry()
    assert screen.width() <= 1366 or screen.height() <= 768, "the offscreen test screen is a small one"
    window = MainWindow(open_station(*demo))
    qtbot.addWidget(window)
    assert window.windowState() & Qt.WindowState.WindowMaximized


def test_a_larger_screen_opens_at_the_size_last_closed(
    qtbot, demo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_window, "SMALL_SCREEN", QSize(320, 200))
    window = MainWindow(open_station(*demo))
    qtbot.addWidget(window)
    assert not window.windowState() & Qt.WindowState.WindowMaximized
    window.resize(800, 580)
    window.show()
    window.close()
    assert QSettings().value(main_window.SIZE_KEY) == QSize(800, 580)
    assert set(QSettings().allKeys()) == {main_window.SIZE_KEY}, "nothing else is kept in the settings"
    again = MainWindow(open_station(*demo))
    qtbot.addWidget(again)
    assert again.size() == QSize(800, 580)


@pytest.mark.parametrize("font_scale", [1.0, 1.5, 2.0], indirect=True)
def test_seat_cards_grow_with_the_text_and_never_overlap(qtbot, demo: tuple[Path, str], font_scale: float) -> None:
    window = _window(qtbot, demo)
    plan = window.panel.seating
    rects = [plan._rect(s.workstation.x, s.workstation.y) for s in plan.seats]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b), "cards never cover each other"
    metrics = QFontMetricsF(plan.font())
    bold = QFont(plan.font())
    bold.setBold(True)
    for seat, rect in zip(plan.seats, rects, strict=True):
        assert seat.allocation is not None
        assert metrics.horizontalAdvance(seat.allocation.candidate_name) <= rect.width() - 10, "names are never cut"
        assert len(plan._lines(seat)) * metrics.height() <= rect.height()


@pytest.mark.parametrize("font_scale", [1.5, 2.0], indirect=True)
def test_the_shortcuts_overlay_scrolls_within_the_screen(qtbot, demo: tuple[Path, str], font_scale: float) -> None:
    window = MainWindow(open_station(*demo))
    qtbot.addWidget(window)
    window.show()
    window.session_actions["help"].trigger()
    overlay = window.console.sessions.overlay
    assert overlay is not None
    QApplication.processEvents()
    screen = QApplication.primaryScreen().availableGeometry()
    assert overlay.height() <= screen.height() and overlay.width() <= screen.width()
    assert overlay.scroll_area.verticalScrollBar().maximum() > 0, "the rest is a scroll away"
    assert "Ctrl+Q" in overlay.text.text()


@pytest.mark.parametrize("font_scale", [1.0, 1.5], indirect=True)
def test_table_columns_fit_their_text_and_a_person_can_drag_one_wider(
    qtbot, demo: tuple[Path, str], font_scale: float
) -> None:
    from PySide6.QtCore import QPoint

    window = _window(qtbot, demo)
    view = window.panel.allocation_view
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Candidates tab
    assert window.panel.tabs.currentWidget() is view and view.isVisible()
    model = view.model()
    names = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Candidate")
    metrics = QFontMetricsF(view.font())
    widest = max(metrics.horizontalAdvance(model.row_at(r).candidate_name) for r in range(model.rowCount()))
    assert view.columnWidth(names) >= widest, "no name is cut"
    header = view.horizontalHeader()
    before = view.columnWidth(names)
    edge = header.sectionViewportPosition(names) + header.sectionSize(names) - 1
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, header.height() // 2))
    qtbot.mouseMove(header.viewport(), QPoint(edge + 60, header.height() // 2))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 60, header.height() // 2))
    assert view.columnWidth(names) >= before + 50, "dragged wider by hand"
    QApplication.processEvents()
    assert view.columnWidth(names) >= before + 50, "and it stays so"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)  # read again: the columns fit the rows afresh
    assert view.columnWidth(names) == before


def test_the_seat_cards_are_measured_again_for_a_new_plan_or_a_new_font(qtbot, demo: tuple[Path, str]) -> None:
    from dataclasses import replace

    window = _window(qtbot, demo)
    plan = window.panel.seating
    width = plan._box_size()[0]
    seats = plan.seats
    longer = [
        replace(s.allocation, candidate_name=s.allocation.candidate_name + " Featherstonehaugh")
        for s in seats
        if s.allocation
    ]
    plan.set_plan([s.workstation for s in seats], longer, plan.desk, plan.door, plan.facing)
    assert plan._box_size()[0] > width, "a longer name widens every card"
    wider = plan._box_size()[0]
    bigger = QFont(plan.font())
    bigger.setPointSizeF(bigger.pointSizeF() * 1.5)
    plan.setFont(bigger)
    assert plan._box_size()[0] > wider, "and a bigger font too"
