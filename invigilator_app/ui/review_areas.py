"""The after-the-session areas, as registered in ``ui.areas``: Review (coordinator),
Search and Patterns (coordinator, inspector), Inspection (inspector, coordinator)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from invigilator_app.domain.enums import Role
from invigilator_app.services.station import Station

A = TypeVar("A")
COORDINATOR = (Role.COORDINATOR,)
READERS = (Role.COORDINATOR, Role.INSPECTOR)


def _review(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.review_area import ReviewArea

    return ReviewArea(station)


def _search(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.search_area import SearchArea

    return SearchArea(station)


def _patterns(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.patterns_area import PatternsArea

    return PatternsArea(station)


def _inspection(station: Station, _dialogs: object) -> QWidget:
    from invigilator_app.ui.inspection_area import InspectionArea

    return InspectionArea(station)


def areas(make: Callable[..., A]) -> list[A]:
    table: list[tuple[str, str, tuple[Role, ...], Callable[[Station, Any], QWidget]]] = [
        ("review", "Review", COORDINATOR, _review),
        ("search", "Search", READERS, _search),
        ("patterns", "Patterns", READERS, _patterns),
        ("inspection", "Inspection", READERS, _inspection),
    ]
    return [make(key, title, roles, build) for key, title, roles, build in table]
