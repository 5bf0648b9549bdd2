"""The planning and administration areas, as registered in ``ui.areas``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from invigilator_app.domain.enums import Role
from invigilator_app.services.station import Station

A = TypeVar("A")
COORDINATOR = (Role.COORDINATOR,)
READERS = (Role.COORDINATOR, Role.INSPECTOR)


def _candidates(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.candidates_area import CandidatesArea

    return CandidatesArea(station)


def _catalogue(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.catalogue_area import CatalogueArea

    return CatalogueArea(station)


def _rooms(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.rooms_area import RoomsArea

    return RoomsArea(station)


def _planner(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.planner_area import PlannerArea

    return PlannerArea(station)


def _users(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.users_area import UsersArea

    return UsersArea(station)


def _day(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.day_area import DayArea

    return DayArea(station)


def areas(make: Callable[..., A]) -> list[A]:
    """Candidates and Day are read-only for inspectors; the rest is the coordinator's."""
    table: list[tuple[str, str, tuple[Role, ...], Callable[[Station, Any], QWidget]]] = [
        ("candidates", "Candidates", READERS, _candidates),
        ("catalogue", "Catalogue", COORDINATOR, _catalogue),
        ("rooms", "Rooms", COORDINATOR, _rooms),
        ("planner", "Planner", COORDINATOR, _planner),
        ("users", "Users", COORDINATOR, _users),
        ("day", "Day", READERS, _day),
    ]
    return [make(key, title, roles, build) for key, title, roles, build in table]
