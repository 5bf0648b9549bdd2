"""Starting the GUI: unlock (or the demo store), the main window, or a screenshot of it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.services.access import default_data_dir, open_station
from invigilator_app.services.demo import build_demo
from invigilator_app.services.station import Station
from invigilator_app.ui.main_window import MainWindow
from invigilator_app.ui.unlock_dialog import UnlockDialog

ICONS = Path(__file__).resolve().parent.parent.parent / "resources" / "icons"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def window_icon() -> QIcon:
    """The application icon from its PNG sizes (no SVG plug-in needed)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(ICONS / f"invigilator-app-{size}.png"), QSize(size, size))
    return icon


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Invigilation station")
    app.setOrganizationName("InvigilationStation")
    app.setDesktopFileName("org.invigilationstation.Station")
    app.setWindowIcon(window_icon())
    return app


def save_screenshot(window: MainWindow, path: Path) -> None:
    app = application()
    window.show()
    for _ in range(5):
        app.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise InvigilatorError(f"Cannot write the screenshot to {path}.")


def run(data_dir: Path | None = None, demo: bool = False, screenshot: Path | None = None, user: str | None = None) -> int:
    app = application()
    demo_dir: Path | None = None
    try:
        station: Station | None
        if demo:
            demo_dir, password = build_demo()
            station = open_station(demo_dir, password)
        else:
            dialog = UnlockDialog(data_dir or default_data_dir(), user)
            if screenshot is not None:
                dialog.show()
                app.processEvents()
                dialog.grab().save(str(screenshot), "PNG")
                return 0
            if dialog.exec() != UnlockDialog.DialogCode.Accepted:
                return 0
            station = dialog.station
        assert station is not None
        window = MainWindow(station)
        if screenshot is not None:
            save_screenshot(window, screenshot)
            window.close()
            return 0
        window.show()
        QTimer.singleShot(0, window.raise_)
        from invigilator_app.ui.admin.backup import DailyBackups

        window.daily_backups = DailyBackups(window, station)  # type: ignore[attr-defined]
        if station.warnings:  # found at unlock (a damaged key slot): said at once
            QTimer.singleShot(0, lambda: window.dialogs.error("Check the key slots", "\n\n".join(station.warnings)))
        return app.exec()
    except InvigilatorError as exc:
        if screenshot is None:
            QMessageBox.critical(None, "Invigilation station", exc.message)
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    finally:
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)
