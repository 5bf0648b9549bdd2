#!/usr/bin/env python3
"""Render the console, each of its forms and the room clock on the demo store, at one screen
size and scale, into docs/screenshots/console/:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/console_screenshots.py 1366x768
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/console_screenshots.py 1920x1080
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/console_screenshots.py 150
    .venv/bin/python scripts/console_screenshots.py 1366x768 offscreen     (an offscreen screen that size)
    QT_SCALE_FACTOR=1.5 .venv/bin/python scripts/console_screenshots.py 1920x1080 offscreen 150

The window is given the screen's size (under Xvfb there is no window manager to maximise it).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "console"
sys.path.insert(0, str(ROOT))


def main(tag: str, platform: str = "xvfb") -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    from invigilator_app.domain.enums import IncidentType
    from invigilator_app.services.access import open_station
    from invigilator_app.services.demo import build_demo
    from invigilator_app.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    screen = app.primaryScreen()
    size = screen.availableGeometry().size()
    suffix = f"{tag}" + ("-offscreen" if platform == "offscreen" else "")
    data_dir, password = build_demo(Path(tempfile.mkdtemp(prefix="invigilator-shots-")) / "store")
    from datetime import UTC, datetime, time

    from invigilator_app.domain.timezones import to_utc

    # The demo's morning session at 10:20, so the room clock has someone whose time is up.
    at = to_utc(datetime.now(UTC).date(), time(10, 20))
    window = MainWindow(open_station(data_dir, password, clock=lambda: at))
    window.resize(size)
    window.show()

    def settle() -> None:
        for _ in range(6):
            app.processEvents()

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = OUT / f"{name}-{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    panel = window.panel
    started = next((a for a in panel.detail.allocations if a.state == "started"), panel.detail.allocations[0])
    panel.select_candidate(started.registration_number)
    panel.seating.setFocus()
    grab(window, "console")
    panel.show_page(panel.allocation_view)
    grab(window, "console-candidates")
    panel.show_page(panel.seating)

    def form(trigger: object, name: str) -> None:
        trigger.trigger()  # type: ignore[attr-defined]
        settle()
        dialog = app.activeModalWidget() or next(
            (w for w in app.topLevelWidgets() if w.isVisible() and w is not window and w.isWindow()), None
        )
        if dialog is not None:
            grab(dialog, name)
            dialog.close()
        settle()

    form(window.incident_actions[IncidentType.FIRE_ALARM], "form-fire-alarm")
    form(window.incident_actions[IncidentType.QUESTION_ISSUE], "form-question-issue")
    form(window.incident_actions[IncidentType.LATE_ARRIVAL], "form-incident")
    waiting = next((a for a in panel.detail.allocations if a.state == "expected"), started)
    panel.select_candidate(waiting.registration_number)
    form(window.candidate_actions["identity"], "form-identity-check")
    window.session_actions["help"].trigger()
    overlay = window.console.sessions.overlay
    if overlay is not None:
        grab(overlay, "shortcuts-overlay")
        overlay.close()
    window.toggle_room_clock()
    window.resize(size)
    window._tick()
    grab(window, "room-clock")
    window.close_room_clock()
    window.close()
    return 0


if __name__ == "__main__":
    args = sys.argv[1:] or ["1366x768"]
    if len(args) > 1 and args[1] == "offscreen":
        # An offscreen screen of the size asked for (Qt's offscreen plugin reads it from a file).
        width, height = (int(v) for v in args[0].split("x"))
        config = Path(tempfile.mkdtemp(prefix="invigilator-screen-")) / "screen.json"
        config.write_text(
            json.dumps(
                {
                    "screens": [
                        {
                            "name": "screen",
                            "x": 0,
                            "y": 0,
                            "width": width,
                            "height": height,
                            "logicalDpi": 96,
                            "logicalBaseDpi": 96,
                            "dpr": 1,
                        }
                    ]
                }
            )
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    tag = args[2] if len(args) > 2 else args[0]  # e.g. "150" for a run at QT_SCALE_FACTOR=1.5
    sys.exit(main(tag, args[1] if len(args) > 1 else "xvfb"))
