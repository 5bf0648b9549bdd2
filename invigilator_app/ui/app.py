"""Starting the GUI: unlock (or the demo store), the main window, or a screenshot of it.

The unlock window comes first and at once: this module and the dialog import only Qt
and light modules. The main window, the services and the store are imported in the
background while the password is typed (``load_main_window``); tests/gui guard the
import budget.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.services.locations import default_data_dir
from invigilator_app.ui.unlock_dialog import UnlockDialog

if TYPE_CHECKING:
    from invigilator_app.services.station import Station
    from invigilator_app.ui.main_window import MainWindow

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


def load_main_window() -> None:
    """What the main window needs, imported while the password is typed. Plain import
    statements, so that a bundler finds them."""
    import invigilator_app.services.access
    import invigilator_app.ui.main_window  # noqa: F401


def unlock_window(data_dir: Path | None = None, user: str | None = None) -> UnlockDialog:
    """The unlock dialog of the store in ``data_dir``; once painted it loads the rest."""
    return UnlockDialog(data_dir or default_data_dir(), user, preload=load_main_window)


def save_screenshot(window: MainWindow, path: Path) -> None:
    app = application()
    window.show()
    for _ in range(5):
        app.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise InvigilatorError(f"Cannot write the screenshot to {path}.")


def run(
    data_dir: Path | None = None, demo: bool = False, screenshot: Path | None = None, user: str | None = None
) -> int:
    app = application()
    demo_dir: Path | None = None
    try:
        station: Station | None
        if demo:
            from invigilator_app.services.access import open_station
            from invigilator_app.services.demo import build_demo

            demo_dir, password = build_demo()
            station = open_station(demo_dir, password)
        else:
            dialog = unlock_window(data_dir, user)
            if screenshot is not None:
                dialog.show()
                app.processEvents()
                dialog.grab().save(str(screenshot), "PNG")
                dialog.close()  # waits for the background loading it may have started
                return 0
            if dialog.exec() != UnlockDialog.DialogCode.Accepted:
                return 0
            station = dialog.station
        assert station is not None
        from invigilator_app.ui.main_window import MainWindow

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
