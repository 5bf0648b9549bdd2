"""This PC's place in the centre, in the main window: the status bar says it ("Station
Room A · centre history as of Tue 1 Dec 2026 09:12", or "Hub of the centre"), and on an
enrolled station the Centre menu sends its records to the hub and imports the hub's
bundles (a file or the drop folder), off the GUI thread with progress. Also the pieces
the hub's Stations area shares: running a bundle task and saying what it did."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel
from shiboken6 import isValid

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.services.station import Station
from invigilator_app.services.stations import centre
from invigilator_app.ui.worker import BackgroundTask, start_task

if TYPE_CHECKING:  # loaded when first used: the main window starts without them
    from invigilator_app.services.stations.exchange import Exported, Imported
    from invigilator_app.ui.admin.station_forms import StationDialogs

BUNDLE_FILES = "Bundles (*.bundle)"


def importer(
    station: Station, source: Path, skipped: list[Path]
) -> Callable[[Callable[..., None], Callable[[], bool]], list[Imported | str]]:
    """The worker's job: one bundle file, or every bundle for this PC in a drop folder
    (those named for other PCs are left there and listed in ``skipped``)."""
    from invigilator_app.services.stations.exchange import import_bundle, import_folder

    def work(progress: Callable[..., None], _cancelled: Callable[[], bool]) -> list[Imported | str]:
        if source.is_dir():
            return import_folder(station, source, progress, skipped)
        return [import_bundle(station, source, progress)]

    return work


def import_text(results: Sequence[Imported | str], others: int = 0) -> tuple[str, bool]:
    """What a file or a drop folder's import did, and whether every bundle for this PC went
    in. ``others``: bundles in the drop folder named for other PCs, left there for them."""
    lines: list[str] = []
    refused = 0
    for r in results:
        if isinstance(r, str):
            refused += 1
            lines.append(f"✖ Not imported: {r}")
            continue
        lines.append(f"✔ Bundle {r.seq} from {r.sender}: {r.summary}.")
        lines.extend(f"   ⚑ Flagged for review: {flag}" for flag in r.flagged)
        lines.extend(f"   Note: {note}" for note in r.notes)
    imported = len(results) - refused
    if imported + refused == 0:
        lines.append("No bundle for this PC was waiting.")
    if others:
        lines.append(f"{others} bundle(s) for other PCs left in the folder for them.")
    flagged = sum(len(r.flagged) for r in results if not isinstance(r, str))
    head = f"{imported} bundle(s) imported, {refused} refused"
    head += f", {flagged} flag(s) raised on the review queue." if flagged else "."
    return "\n".join([head, *lines]), refused == 0


def export_text(done: Exported) -> str:
    lines = [f"Bundle {done.seq} for {done.to} written to {done.path}.", f"It carries {done.summary}."]
    lines.extend(f"Note: {note}" for note in done.notes)
    return "\n".join(lines)


def bundle_source(ask: StationDialogs, drop: Path | None, title: str) -> Path | None:
    """The drop folder or one bundle file, as the person chooses."""
    if drop is not None:
        picked = ask.choose(title, "Import from:", [f"The drop folder ({drop})", "A bundle file…"])
        if picked is None:
            return None
        if picked == 0:
            return drop
    return ask.open_file(title, BUNDLE_FILES)


class CentreMenu(QObject):
    """The status bar's centre text and, on a station, the Centre menu."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.station = window.station
        self._ask: StationDialogs | None = None
        self.task: BackgroundTask | None = None
        self.skipped: list[Path] = []
        self.label = QLabel()
        self.label.setObjectName("centreStatus")
        self.label.setAccessibleName("Place in the centre")
        window.statusBar().insertPermanentWidget(0, self.label)
        self.role: str | None = None
        self.refresh()
        self.actions: list[QAction] = []
        if self.role == centre.STATION:
            menu = window.menuBar().addMenu("&Centre")
            menu.setObjectName("centreMenu")
            for text, tip, slot in (
                ("&Send records to the hub…", "Write everything recorded here since the last bundle", self.send),
                ("&Import bundle from the hub…", "Sessions, accounts and the centre's history", self.receive),
                ("&Drop folder…", "The shared folder bundles go to and come from", self.choose_drop),
            ):
                action = QAction(text, window)
                action.setToolTip(tip)
                action.triggered.connect(lambda _c=False, s=slot: window.run_safely(s))
                menu.addAction(action)
                self.actions.append(action)
            self.menu = menu

    def refresh(self) -> None:
        try:
            place = centre.centre_place(self.station)
        except InvigilatorError:
            return
        self.role = place.role
        text = place.status_text(self.station.zone)
        self.label.setText(text)
        self.label.setVisible(bool(text))

    @property
    def ask(self) -> StationDialogs:
        if self._ask is None:
            from invigilator_app.ui.admin.station_forms import StationDialogs

            self._ask = StationDialogs(self.window)
        return self._ask

    @ask.setter
    def ask(self, value: StationDialogs) -> None:
        self._ask = value

    @property
    def running(self) -> bool:
        return self.task is not None and isValid(self.task) and self.task.running

    def _busy(self) -> bool:
        if self.running:
            self.ask.error("Centre", "A bundle is being written or read already; wait for it to finish.")
            return True
        if self.station.actor.role is Role.INSPECTOR:
            self.ask.error("Centre", "An inspector's access is read-only: bundles are moved by invigilators.")
            return True
        return False

    def send(self) -> None:
        if self._busy():
            return
        from invigilator_app.services.stations import views
        from invigilator_app.services.stations.exchange import export_bundle

        drop = views.drop_folder(self.station)
        out: Path | None = None
        if drop is not None:
            picked = self.ask.choose(
                "Send records to the hub", "Write the bundle to:", [f"The drop folder ({drop})", "A file…"]
            )
            if picked is None:
                return
            out = drop if picked == 0 else None
        if out is None:
            out = self.ask.save_file("Send records to the hub", "to-hub.bundle", BUNDLE_FILES)
        if out is None:
            return
        station, target = self.station, out
        self.task = start_task(
            self.window,
            "Sending records to the hub",
            lambda progress, _cancelled: export_bundle(station, "hub", target, (), progress),
            self._sent,
            lambda message: self.ask.error("Records not sent", message),
            dialog=True,
            tasks=self.window.console.tasks,
        )

    def _sent(self, done: Exported) -> None:
        self.window.statusBar().showMessage(f"Bundle {done.seq} for the hub written to {done.path}.", 30000)
        self.ask.report("Records sent to the hub", export_text(done))

    def receive(self) -> None:
        if self._busy():
            return
        from invigilator_app.services.stations import views

        source = bundle_source(self.ask, views.drop_folder(self.station), "Import bundle from the hub")
        if source is None:
            return
        station = self.station

        self.skipped = []  # bundles named for other PCs, left in the drop folder
        work = importer(station, source, self.skipped)

        self.task = start_task(
            self.window,
            "Importing from the hub",
            work,
            self._received,
            self._refused,
            dialog=True,
            tasks=self.window.console.tasks,
        )

    def _received(self, results: list[Imported | str]) -> None:
        self.refresh()
        self.window.refresh_list(reload=True)
        text, ok = import_text(results, len(self.skipped))
        self.window.statusBar().showMessage(text.splitlines()[0], 30000)
        if ok:
            self.ask.report("Imported from the hub", text)
        else:
            self.ask.error("Not every bundle was imported", text)

    def _refused(self, message: str) -> None:
        self.refresh()
        self.ask.error("Bundle not imported", message)

    def choose_drop(self) -> None:
        folder = self.ask.folder("Drop folder shared with the hub")
        if folder is None:
            return
        from invigilator_app.services.stations import views

        try:
            views.set_drop_folder(self.station, folder)
        except InvigilatorError as exc:
            self.ask.error("Drop folder not chosen", "\n".join(exc.lines()))
            return
        self.window.statusBar().showMessage(f"Bundles go to and come from {folder}.", 10000)


def install(window: Any) -> CentreMenu:
    return CentreMenu(window)
