"""The unlock dialog: user name and password, checked by the services.

It is the first window the station shows, so this module imports only Qt and light
modules. The services (SQLAlchemy, SQLCipher, the key slots) and whatever the caller
wants ready afterwards (the main window) are imported in a background thread once the
dialog has been painted, while the password is typed. The key derivation runs in a
worker thread as well: the window stays responsive and shows a busy bar meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.ui.forms import child, load_form
from invigilator_app.ui.worker import BackgroundTask

if TYPE_CHECKING:
    from invigilator_app.services.station import Station

CHECKING_NOTE = "Checking the OS credential store…"


def _load_services(data_dir: Path, preload: Callable[[], None] | None) -> Callable[..., Any]:
    def work(progress: Callable[..., None], _cancelled: Callable[[], bool]) -> None:
        from invigilator_app.services.access import credential_store_note

        progress(0, 0, credential_store_note(data_dir))
        if preload is not None:
            preload()

    return work


def _unlock(data_dir: Path, password: str, user: str | None) -> Callable[..., Any]:
    def work(_progress: Callable[..., None], _cancelled: Callable[[], bool]) -> tuple[Station, float]:
        from invigilator_app.services.access import open_station

        start = time.perf_counter()
        station = open_station(data_dir, password, user=user)
        return station, time.perf_counter() - start

    return work


class UnlockDialog(QDialog):
    def __init__(
        self,
        data_dir: Path,
        user: str | None = None,
        parent: QWidget | None = None,
        *,
        preload: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.station: Station | None = None
        self.unlock_seconds: float | None = None
        """How long the last successful unlock took in its worker (key derivation and opening)."""
        self.unlocked_at: float | None = None
        """``time.perf_counter()`` when the unlocked station reached the GUI thread."""
        self._preload = preload
        self._painted = False
        self._loading: BackgroundTask | None = None
        self._unlocking: BackgroundTask | None = None
        self.ui = load_form("unlock_dialog.ui", self)
        self.ui.setWindowFlags(Qt.WindowType.Widget)  # the form's QDialog is embedded, not a second window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)
        self.busy = QProgressBar(self.ui)
        self.busy.setRange(0, 0)  # no known end: a moving bar
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Unlocking the store")
        self.busy.setToolTip("Unlocking the store…")
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        form_layout = child(self.ui, QVBoxLayout, "layout")
        form_layout.insertWidget(form_layout.count() - 1, self.busy)  # above the buttons
        self.setWindowTitle(self.ui.windowTitle())
        self.user_edit = child(self.ui, QLineEdit, "userEdit")
        self.password_edit = child(self.ui, QLineEdit, "passwordEdit")
        self.error_label = child(self.ui, QLabel, "errorLabel")
        self.keyring_label = child(self.ui, QLabel, "keyringLabel")
        child(self.ui, QLabel, "storeLabel").setText(f"Store: {data_dir}")
        self.keyring_label.setText(CHECKING_NOTE)
        self.error_label.setStyleSheet("color: #a4000f; font-weight: bold;")
        self.buttons = child(self.ui, QDialogButtonBox, "buttons")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Unlock")
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        self.password_edit.returnPressed.connect(self.try_unlock)
        self.user_edit.returnPressed.connect(self.password_edit.setFocus)
        if user:
            self.user_edit.setText(user)
            self.password_edit.setFocus()

    # ------------------------------------------------------------------ loading the rest

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Once the window is on screen: the imports compete with painting for the GIL.
            QTimer.singleShot(0, self.load_in_background)

    def load_in_background(self) -> None:
        """Import the services (and the caller's ``preload``) in a worker thread and fill
        in the credential store note. Called once, after the first paint."""
        if self._loading is not None:
            return
        self._loading = BackgroundTask(self, "Loading", _load_services(self.data_dir, self._preload), dialog=False)
        self._loading.progressed.connect(lambda _d, _t, note: self._show_note(note))
        self._loading.failed.connect(self._show_note)
        self._loading.start()

    def _show_note(self, note: str) -> None:
        self.keyring_label.setText(note)
        self._fit()

    def _fit(self) -> None:
        """Grow (never shrink) to what the contents now need."""
        for layout in (self.ui.layout(), self.layout()):
            if layout is not None:
                layout.invalidate()
        needed = max(self.sizeHint().height(), self.ui.heightForWidth(self.width()))
        if self.height() < needed:
            self.resize(self.width(), needed)

    @property
    def load_started(self) -> bool:
        return self._loading is not None

    @property
    def loading(self) -> bool:
        return self._loading is not None and self._loading.running

    # ------------------------------------------------------------------ unlocking

    @property
    def unlocking(self) -> bool:
        return self._unlocking is not None

    def try_unlock(self) -> None:
        if self._unlocking is not None:
            return
        password = self.password_edit.text()
        if not password:  # Enter in the user name field: go on to the password, try nothing
            self.password_edit.setFocus()
            return
        self.error_label.clear()
        user = self.user_edit.text().strip() or None
        self.password_edit.clear()
        task = BackgroundTask(self, "Unlocking", _unlock(self.data_dir, password, user), dialog=False)
        del password
        task.succeeded.connect(self._unlocked)
        task.failed.connect(self._refused)
        self._unlocking = task
        self._set_busy(True)
        task.start()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.user_edit, self.password_edit, self.buttons):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)
        self._fit()
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _end_unlocking(self) -> None:
        if self._unlocking is not None:
            self._unlocking.deleteLater()
            self._unlocking = None

    def _unlocked(self, result: tuple[Station, float]) -> None:
        self._end_unlocking()
        self.station, self.unlock_seconds = result
        self.unlocked_at = time.perf_counter()
        self._set_busy(False)
        self.accept()

    def _refused(self, message: str) -> None:
        self._end_unlocking()
        self._set_busy(False)
        self.error_label.setText(message)
        self.password_edit.setFocus()

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        if self._unlocking is not None:  # the key derivation cannot be interrupted; it is short
            return
        super().reject()

    def done(self, result: int) -> None:
        self._settle(self._loading)
        super().done(result)

    @staticmethod
    def _settle(task: BackgroundTask | None) -> None:
        """Wait for a background task and deliver its last signals, so no thread outlives
        the dialog and garbage collection is resumed."""
        while task is not None and task.running:
            QCoreApplication.sendPostedEvents(task, 0)  # its result, which ends its thread
            if task.running:
                time.sleep(0.005)
