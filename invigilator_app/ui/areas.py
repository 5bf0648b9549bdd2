"""The station's areas beyond the sessions view, each a top-level tab of the main window.

Each area lives in its own module under ui/ and is listed here once, with the roles that
see it. An area is a QWidget built from the unlocked station and the dialog service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from invigilator_app.domain.enums import Role
from invigilator_app.services.station import Station

Builder = Callable[[Station, object], QWidget]


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    roles: tuple[Role, ...]
    build: Builder


def _areas() -> list[Area]:
    """Imported lazily, so a broken area cannot stop the station from starting."""
    found: list[Area] = []
    from invigilator_app.ui import planning_areas

    found += planning_areas.areas(Area)
    from invigilator_app.ui import review_areas

    found += review_areas.areas(Area)
    return found


def available_areas(station: Station) -> list[Area]:
    return [a for a in _areas() if station.actor.role in a.roles]
