#!/usr/bin/env python3
"""Render every screen of the station offscreen, on the demo store, into docs/screenshots/.

.venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    from invigilator_app.services.access import open_station
    from invigilator_app.services.demo import build_demo
    from invigilator_app.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    data_dir, password = build_demo(Path(tempfile.mkdtemp(prefix="invigilator-shots-")) / "store")
    window = MainWindow(open_station(data_dir, password))
    window.resize(1366, 768)
    window.show()

    def grab(widget: QWidget, name: str) -> None:
        for _ in range(3):
            app.processEvents()
        widget.grab().save(str(OUT / f"{name}.png"))
        print(OUT / f"{name}.png")

    panel = window.panel
    for tab, name in (
        (panel.plan_scroll, "main-window"),
        (panel.allocation_view, "console-candidates"),
        (panel.entry_view, "console-log"),
        (panel.checklist, "console-checklist"),
        (panel.clock, "console-clock"),
    ):
        panel.tabs.setCurrentWidget(tab)
        grab(window, name)
    window.toggle_room_clock()
    window.resize(1366, 768)
    grab(window, "exam-clock-full-screen")
    window.close_room_clock()
    window.resize(1366, 768)
    for key in window.area_pages:
        window.show_area(key)
        grab(window, f"area-{key}")
    window.areas.setCurrentIndex(0)
    window.lock()
    grab(window, "lock-screen")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
