"""A station process for the durability test: records entries through the console and
prints ``ACK <n>`` the moment each one is acknowledged on screen (the status bar)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.access import open_station
from invigilator_app.ui.dialogs import EntryAnswer
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs
from tests.kdf import install as cheap_key_derivation


def main(data_dir: Path, password: str) -> None:
    cheap_key_derivation()
    app = QApplication(sys.argv[:1])
    window = MainWindow(open_station(data_dir, password))
    window.dialogs = fake = FakeDialogs()
    window.show()
    app.processEvents()
    n = 0
    while True:
        n += 1
        fake.entry_answer = EntryAnswer(f"durability entry {n}", [])
        window.incident_actions[IncidentType.OTHER].trigger()
        if fake.errors or not window.statusBar().currentMessage().startswith("Saved"):
            print(f"ERROR {fake.errors}", flush=True)
            return
        print(f"ACK {n}", flush=True)
        app.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
