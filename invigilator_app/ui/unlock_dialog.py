"""The unlock dialog: user name and password, checked by the services."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.services.access import credential_store_note, open_station
from invigilator_app.services.station import Station
from invigilator_app.ui.forms import child, load_form


class UnlockDialog(QDialog):
    def __init__(self, data_dir: Path, user: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.station: Station | None = None
        self.ui = load_form("unlock_dialog.ui", self)
        self.ui.setWindowFlags(Qt.WindowType.Widget)  # the form's QDialog is embedded, not a second window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)
        self.setWindowTitle(self.ui.windowTitle())
        self.user_edit = child(self.ui, QLineEdit, "userEdit")
        self.password_edit = child(self.ui, QLineEdit, "passwordEdit")
        self.error_label = child(self.ui, QLabel, "errorLabel")
        child(self.ui, QLabel, "storeLabel").setText(f"Store: {data_dir}")
        child(self.ui, QLabel, "keyringLabel").setText(credential_store_note(data_dir))
        self.error_label.setStyleSheet("color: #a4000f; font-weight: bold;")
        buttons = child(self.ui, QDialogButtonBox, "buttons")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Unlock")
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        self.password_edit.returnPressed.connect(self.try_unlock)
        self.user_edit.returnPressed.connect(self.password_edit.setFocus)
        if user:
            self.user_edit.setText(user)
            self.password_edit.setFocus()

    def try_unlock(self) -> None:
        self.error_label.clear()
        user = self.user_edit.text().strip() or None
        try:
            self.station = open_station(self.data_dir, self.password_edit.text(), user=user)
        except InvigilatorError as exc:
            self.error_label.setText(exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        finally:
            self.password_edit.clear()
        self.accept()
