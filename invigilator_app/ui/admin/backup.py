"""Backup: where the automatic backups go, the last good one, and a warning when it is
older than a day of sessions. Backups are made after every sign-off and once a day into
the chosen folder (a USB stick), kept in rotation; "Back up now" makes one at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from invigilator_app.services.admin import backups
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.forms import AdminDialogs
from invigilator_app.ui.widgets import StatusLine, attempt, button

DAILY_CHECK_MS = 60 * 60 * 1000


class BackupArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.ask = AdminDialogs(self)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A backup holds the encrypted store and its key slots: with the recovery key alone it can be restored "
            "on another PC (invigilator-app backup restore). Backups are made after every sign-off and once a day "
            f"into the folder chosen here, keeping the newest {backups.KEEP}."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.folder = QLabel()
        self.folder.setObjectName("backupFolder")
        self.last = QLabel()
        self.last.setObjectName("lastBackup")
        self.warning = QLabel()
        self.warning.setObjectName("backupWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020; font-weight: bold;")
        for label in (self.folder, self.last, self.warning):
            label.setWordWrap(True)
            layout.addWidget(label)
        bar = QHBoxLayout()
        bar.addWidget(button("&Choose folder…", self.choose_folder, name="choose_backup_folder"))
        bar.addWidget(button("&Back up now", self.back_up_now, name="back_up_now"))
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addStretch(1)
        self.status = StatusLine()
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        folder = backups.backup_folder(self.station)
        self.folder.setText(f"Folder: {folder}" if folder else "Folder: none chosen (no automatic backups)")
        last = backups.last_backup(self.station)
        self.last.setText(
            f"Last good backup: {last.created:%a %d %b %Y %H:%M} UTC, {last.entries} audit entries, {last.path.name}"
            if last
            else "Last good backup: none yet"
        )
        problems = [backups.stale_warning(self.station)]
        failed = backups.last_failure(self.station)
        if failed:
            problems.append(f"The last automatic backup failed: {failed}")
        self.warning.setText("\n".join(p for p in problems if p))
        self.warning.setVisible(any(problems))

    def choose_folder(self) -> None:
        chosen = self.ask.folder("Folder for backups")
        if chosen and attempt(self.status, self.ask.error, "Folder not chosen", lambda: _chosen(self.station, chosen)):
            self.status.done(f"Backups go to {chosen}.")
        self.refresh()

    def back_up_now(self) -> None:
        folder = backups.backup_folder(self.station)
        if folder is None:
            self.ask.error("Back up now", "Choose the folder for backups first.")
            return
        info = attempt(
            self.status, self.ask.error, "No backup made", lambda: backups.create_backup(self.station, folder)
        )
        if info is not None:
            backups.rotate(folder, info.store_id)
            self.status.done(f"Wrote and verified {info.path.name}.")
        self.refresh()


def _chosen(station: Station, folder: Path) -> bool:
    backups.set_backup_folder(station, folder)
    return True


class DailyBackups(QObject):
    """Once a day (checked hourly while the station is open): a backup into the chosen folder."""

    def __init__(self, parent: QObject, station: Station) -> None:
        super().__init__(parent)
        self.station = station
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(DAILY_CHECK_MS)
        QTimer.singleShot(0, self.check)

    def check(self) -> None:
        if self.station.locked or self.station.actor.role.value == "inspector":
            return
        try:
            if backups.backup_due(self.station):
                backups.automatic_backup(self.station, "daily")
        except Exception:
            pass
