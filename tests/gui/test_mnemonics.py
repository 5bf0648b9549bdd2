"""No Alt+letter means two things on one screen: the test walks the main window (every area,
every console page) and every console form, and fails on a clash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QWidget,
)

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.access import open_station
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.main_window import MainWindow

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Alt+letter → the texts that own it, among what is visible in this window now."""
    found: dict[str, list[str]] = {}

    def add(text: str) -> None:
        match = MNEMONIC.search(text.replace("&&", ""))
        if match:
            found.setdefault(match.group(1).lower(), []).append(text)

    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or (widget is not root and widget.window() is not root):
            continue
        if isinstance(widget, QAbstractButton):
            text = widget.text()
            if isinstance(widget.parent(), QDialogButtonBox) and "&" not in text:
                text = f"&{text}"  # standard buttons have a mnemonic on Windows: Alt+S is Save there
            add(text)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget.title())
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabVisible(i):
                    add(widget.tabText(i))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if action.isVisible():
                    add(action.text())
    return found


def clashes(root: QWidget, where: str) -> list[str]:
    return [
        f"{where}: Alt+{key.upper()} is {' and '.join(texts)}"
        for key, texts in mnemonics(root).items()
        if len(texts) > 1
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build_demo(tmp_path_factory.mktemp("demo") / "store")


def test_no_screen_gives_one_alt_letter_two_meanings(qtbot, demo: tuple[Path, str]) -> None:
    data_dir, password = demo
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.show()
    problems: list[str] = []
    panel = window.panel
    for i in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        problems += clashes(window, f"console, {panel.tabs.tabText(i).replace('&', '')}")
    for key in window.area_pages:
        window.show_area(key)
        QApplication.processEvents()
        problems += clashes(window, f"area {key}")
        page = window.area_pages[key]
        for tabs in page.findChildren(QTabBar):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
                problems += clashes(window, f"area {key}, {tabs.tabText(i).replace('&', '')}")
    window.show_area("sessions") if "sessions" in window.area_pages else window.areas.setCurrentIndex(0)
    window.areas.setCurrentIndex(0)

    # The console's forms, opened by their shortcuts' actions.
    forms = [
        window.incident_actions[IncidentType.FIRE_ALARM],
        window.incident_actions[IncidentType.QUESTION_ISSUE],
        window.candidate_actions["identity"],
        window.session_actions["help"],
    ]
    for action in forms:
        action.trigger()
        QApplication.processEvents()
        dialog = QApplication.activeModalWidget() or next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
        )
        assert isinstance(dialog, QDialog)
        problems += clashes(dialog, dialog.windowTitle())
        dialog.close()
        QApplication.processEvents()
    assert problems == [], "\n".join(problems)


def test_the_clash_finder_finds_a_clash(qtbot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    layout.addWidget(QPushButton("&Save"))
    layout.addWidget(QPushButton("&Start"))
    box.show()
    assert clashes(box, "here") == ["here: Alt+S is &Save and &Start"]
