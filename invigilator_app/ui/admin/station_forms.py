"""The questions of the Stations area and the Centre menu, behind ``StationDialogs`` so
tests answer them with a fake: the enrolment code shown once, the bundle to send (station,
sessions, file or drop folder), and the choice between a file and the drop folder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from invigilator_app.services.stations.enrol import Enrolment
from invigilator_app.services.stations.views import SessionLabel
from invigilator_app.ui.admin.centre_menu import BUNDLE_FILES
from invigilator_app.ui.admin.forms import AdminDialogs
from invigilator_app.ui.widgets import button, form_keys


@dataclass(frozen=True)
class SendAnswer:
    station: str
    sessions: list[int]
    out: Path


class EnrolmentDialog(QDialog):
    """The enrolment code and the station's recovery key, shown once."""

    def __init__(self, done: Enrolment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Station {done.name} enrolled")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<p>Station <b>{escape(done.name)}</b> (number {done.number}) is enrolled. Take the enrolment file "
            f"<b>{escape(done.path.name)}</b> to the room PC and start the program there with "
            "<code>invigilator-app init --enrolment FILE</code>; <b>type this enrolment code on the room PC</b> "
            "when it asks.</p>"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.code = QLabel(done.code)
        self.code.setObjectName("enrolmentCode")
        self.code.setAccessibleName("Enrolment code")
        self.code.setFont(big)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setStyleSheet("background: #eef3fb; padding: 10px;")
        layout.addWidget(self.code)
        note = QLabel(
            "The station's recovery key opens its store if every password there is lost. It is shown this once: "
            "write it down and keep it locked away, apart from the enrolment file."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.recovery = QLabel(done.recovery_key)
        self.recovery.setObjectName("stationRecoveryKey")
        self.recovery.setAccessibleName("Station recovery key")
        self.recovery.setWordWrap(True)
        self.recovery.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery.setStyleSheet("font-family: monospace; padding: 6px; border: 1px solid #999;")
        layout.addWidget(self.recovery)
        for line in done.notes:
            extra = QLabel(f"Note: {line}")
            extra.setWordWrap(True)
            layout.addWidget(extra)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)


class SendForm(QDialog):
    """Send a bundle to a station: which station, the planned sessions to hand over, and
    where the file goes (the drop folder, or a file on a USB stick)."""

    def __init__(
        self,
        stations: Sequence[str],
        sessions: Sequence[SessionLabel],
        drop: Path | None,
        chosen: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send bundle to a station")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        caption = QLabel("&Station")
        self.station = QComboBox()
        self.station.addItems(list(stations))
        self.station.setAccessibleName("Station")
        if chosen in stations:
            self.station.setCurrentText(chosen)
        caption.setBuddy(self.station)
        row.addWidget(caption)
        row.addWidget(self.station, 1)
        layout.addLayout(row)
        caption = QLabel("Planned sessions to hand &over (Space ticks; the station holds them until they come back)")
        caption.setWordWrap(True)
        self.sessions = QListWidget()
        self.sessions.setAccessibleName("Planned sessions to hand over")
        caption.setBuddy(self.sessions)
        for s in sessions:
            text = s.label + (f" — out at {s.out_at}" if s.out_at else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, s.out_at)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sessions.addItem(item)
        if not sessions:
            self.sessions.addItem("No planned sessions: the bundle carries the accounts and the centre's history.")
        layout.addWidget(caption)
        layout.addWidget(self.sessions, 1)
        self.to_drop = QRadioButton(f"The &drop folder: {drop}" if drop else "The drop folder (none chosen)")
        self.to_drop.setEnabled(drop is not None)
        self.to_file = QRadioButton("A &file (for a USB stick):")
        group = QButtonGroup(self)
        group.addButton(self.to_drop)
        group.addButton(self.to_file)
        (self.to_drop if drop else self.to_file).setChecked(True)
        self.drop = drop
        layout.addWidget(self.to_drop)
        row = QHBoxLayout()
        row.addWidget(self.to_file)
        self.file = QLineEdit()
        self.file.setAccessibleName("Bundle file")
        self.file.setPlaceholderText("a new file, or a folder on the stick")
        self.file.textEdited.connect(lambda _t: self.to_file.setChecked(True))
        row.addWidget(self.file, 1)
        row.addWidget(button("C&hoose…", self._choose, "Choose where the bundle file goes"))
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton("S&end", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        form_keys(self, self.accept)
        self.resize(640, 420)

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Bundle file", "", BUNDLE_FILES)
        if name:
            self.file.setText(name)
            self.to_file.setChecked(True)

    def ticked(self) -> list[int]:
        out = []
        for i in range(self.sessions.count()):
            item = self.sessions.item(i)
            if item.checkState() == Qt.CheckState.Checked and item.data(Qt.ItemDataRole.UserRole) is not None:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def answer(self) -> SendAnswer | None:
        if self.to_drop.isChecked() and self.drop is not None:
            out = self.drop
        elif self.file.text().strip():
            out = Path(self.file.text().strip())
        else:
            return None
        return SendAnswer(self.station.currentText(), self.ticked(), out)


class StationDialogs(AdminDialogs):
    """The questions of the Stations area and the Centre menu; tests replace this with a fake."""

    def enrolment_shown(self, done: Enrolment) -> None:
        EnrolmentDialog(done, self.parent).exec()

    def send_bundle(
        self, stations: Sequence[str], sessions: Sequence[SessionLabel], drop: Path | None, chosen: str = ""
    ) -> SendAnswer | None:
        form = SendForm(stations, sessions, drop, chosen, self.parent)
        while self._run(form):
            answer = form.answer()
            if answer is not None:
                return answer
            self.error("Send bundle", "Choose where the bundle goes: the drop folder, or a file.")
        return None

    def choose(self, title: str, label: str, options: list[str]) -> int | None:
        """The index of the option chosen, or None."""
        value, ok = QInputDialog.getItem(self.parent, title, label, options, 0, False)
        return options.index(value) if ok and value in options else None

    def report(self, title: str, text: str) -> None:
        """What an import or export did, in plain words (flags and refusals included)."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
