"""Quality (coordinator): the centre's quality file — visits, actions, complaints and
malpractice deadlines — with a line at the top naming what is due within 7 days."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from invigilator_app.services.quality.warnings import startup_warnings
from invigilator_app.services.station import Station
from invigilator_app.ui.quality.common import QualityDialogs
from invigilator_app.ui.quality.registers import ActionsPage, ComplaintsPage, DeadlinesPage
from invigilator_app.ui.quality.visits_page import VisitsPage


class QualityArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.dialogs = QualityDialogs(self)
        self.warning = QLabel()
        self.warning.setObjectName("qualityWarnings")
        self.warning.setAccessibleName("Due soon or overdue")
        self.warning.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("qualityTabs")
        self.visits = VisitsPage(station, self.dialogs, self.refresh)
        self.actions_page = ActionsPage(station, self.dialogs)
        self.complaints = ComplaintsPage(station, self.dialogs, self.refresh)
        self.deadlines = DeadlinesPage(station, self.dialogs, self.refresh)
        self.tabs.addTab(self.visits, "Visits")
        self.tabs.addTab(self.actions_page, "Actions")
        self.tabs.addTab(self.complaints, "Complaints and appeals")
        self.tabs.addTab(self.deadlines, "Malpractice deadlines")
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self._warn()

    def _warn(self) -> None:
        lines = startup_warnings(self.station)
        self.warning.setVisible(bool(lines))
        self.warning.setStyleSheet("background: #fff4d6; border: 1px solid #c89b2c; padding: 6px;")
        self.warning.setText("<b>Due within 7 days or overdue:</b><br>" + "<br>".join(lines))

    def refresh(self) -> None:
        self.actions_page.refresh()
        self.complaints.refresh()
        self.deadlines.refresh()
        self._warn()
