"""The unlock window comes first: only Qt and the dialog are imported before it shows,
the rest loads while the password is typed, and the key derivation runs off the GUI
thread with the window responsive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from invigilator_app.security.keyslots import PRODUCTION_COST, SlotFile, user_owner
from invigilator_app.store.database import StorePaths
from invigilator_app.ui.app import unlock_window
from tests.helpers import PASSWORD, seeded

ROOT = Path(__file__).resolve().parents[2]

BEFORE_THE_UNLOCK_WINDOW = """
import sys
from pathlib import Path
import invigilator_app.cli
from invigilator_app.ui.app import application, unlock_window
app = application()
dialog = unlock_window(Path(sys.argv[1]))
dialog.show()
print("\\n".join(sorted(sys.modules)))
"""

HEAVY = (
    "pyhanko",
    "reportlab",
    "PIL",
    "sqlalchemy",
    "sqlcipher3",
    "argon2",
    "cryptography",
    "keyring",
    "alembic",
    "invigilator_app.store",
    "invigilator_app.reports",
    "invigilator_app.security",
    "invigilator_app.rules",
    "invigilator_app.services.access",
    "invigilator_app.services.station",
    "invigilator_app.ui.main_window",
    "invigilator_app.ui.console",
)


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_only_qt_and_the_dialog_are_imported_before_the_unlock_window(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", BEFORE_THE_UNLOCK_WINDOW, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(done.stdout.split())
    timed = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "invigilator_app.ui.unlock_dialog" in loaded and "PySide6.QtWidgets" in timed
    assert _heavy(loaded | timed) == [], "loaded before the unlock window is shown"


def _production_slot(data_dir: Path) -> None:
    """Re-wrap the coordinator's slot at the production cost, so the unlock takes as long
    as on a real station (the test suite's stores use a cheap one)."""
    slots = SlotFile.load(StorePaths(data_dir).slots)
    owner = user_owner("Sam Coordinator")
    key = slots.open(owner, PASSWORD.encode("utf-8"))
    from invigilator_app.security import keyslots
    from tests.kdf import REAL_POLICY, cheap_policy

    keyslots.kdf_policy = REAL_POLICY
    try:
        slots.put(owner, PASSWORD.encode("utf-8"), key)
    finally:
        keyslots.kdf_policy = cheap_policy
    slots.save()
    kdf = SlotFile.load(StorePaths(data_dir).slots).slots[owner]["kdf"]
    assert kdf["time_cost"] == PRODUCTION_COST.time_cost and kdf["memory_kib"] == PRODUCTION_COST.memory_kib


def test_typing_the_password_unlocks_in_the_background_while_the_window_stays_responsive(qtbot, tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)
    _production_slot(data_dir)
    dialog = unlock_window(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: dialog.load_started)  # the rest loads while the password is typed
    dialog.user_edit.setFocus()
    qtbot.keyClicks(dialog.user_edit, "Sam Coordinator")
    qtbot.keyClick(dialog.user_edit, Qt.Key.Key_Return)
    assert dialog.password_edit.hasFocus()
    qtbot.keyClicks(dialog.password_edit, PASSWORD)

    ticks: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(dialog.busy.isVisible()))
    timer.start(10)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    # The derivation has started and the window shows it is busy, not frozen.
    assert dialog.unlocking and dialog.busy.isVisible()
    assert not dialog.password_edit.isEnabled() and dialog.password_edit.text() == ""
    qtbot.waitUntil(lambda: dialog.station is not None, timeout=30_000)
    timer.stop()
    busy_ticks = ticks.count(True)
    assert busy_ticks >= 3, f"the GUI thread ran only {busy_ticks} timer events while the key was derived"
    assert not dialog.isVisible() and not dialog.busy.isVisible()
    assert dialog.station.actor.name == "Sam Coordinator"
    dialog.station.close()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=30_000)
    assert "credential store" in dialog.keyring_label.text()


def test_wrong_passwords_are_refused_then_throttled_with_the_window_usable(qtbot, tmp_path: Path, monkeypatch) -> None:
    from invigilator_app.security import lockout

    # A wait long enough that a slow machine cannot outlast it between two attempts.
    monkeypatch.setattr(
        lockout.LockoutPolicy, "delay", lambda self, consecutive: 0.0 if consecutive < self.free_attempts else 600.0
    )
    data_dir = seeded(tmp_path)
    dialog = unlock_window(data_dir, user="Sam Coordinator")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    for attempt in range(6):
        assert dialog.password_edit.hasFocus()
        qtbot.keyClicks(dialog.password_edit, f"wrong password number {attempt}")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.unlocking)
        assert dialog.station is None and dialog.isVisible()
        assert dialog.password_edit.isEnabled() and dialog.password_edit.text() == ""
        if attempt < 5:
            assert "Wrong password for user Sam Coordinator" in dialog.error_label.text()
    assert "Too many wrong passwords for Sam Coordinator: try again in" in dialog.error_label.text()
    assert "recovery key" in dialog.error_label.text()
