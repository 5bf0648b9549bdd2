"""At start-up: a bar naming what in the quality file is due within 7 days or overdue
(visit actions, telling the awarding body of malpractice, complaints near their 6-month
limit), with a button to the page that deals with it; hidden while the station is locked.
The inspector's first screen is their visit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.services.quality.warnings import startup_warnings
from invigilator_app.ui.widgets import button


def install(window: Any) -> QToolBar | None:
    """Add the bar to the main window when something is due; returns it (None when nothing is)."""
    station = window.station
    try:
        lines = startup_warnings(station)
    except InvigilatorError:
        lines = []
    target = "visit" if station.actor.role is Role.INSPECTOR else "quality"
    if not lines:
        return None
    bar = QToolBar("Due soon")
    bar.setObjectName("qualityDue")
    bar.setMovable(False)
    label = QLabel(
        "<b>Due within 7 days or overdue:</b> "
        + "<br>".join(lines[:2])
        + (f"<br>… and {len(lines) - 2} more" if len(lines) > 2 else "")
    )
    label.setObjectName("qualityDueText")
    label.setAccessibleName("Due within 7 days or overdue")
    # Wrapped and free to shrink, so a long line never widens the window; it takes the
    # bar's width, left-aligned (the whole list is in the tooltip).
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(200)
    label.setStyleSheet("background: #fff4d6; padding: 4px;")
    label.setToolTip("\n".join(lines))
    bar.addWidget(label)
    if target in window.area_pages:
        bar.addWidget(button("Open", lambda: window.show_area(target), "Show the quality file", name="open_quality"))
    window.addToolBar(bar)
    window.central.currentChanged.connect(lambda index: bar.setVisible(window.central.widget(index) is window.areas))
    return bar
