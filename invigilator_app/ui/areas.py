"""The station's areas beyond the sessions view, each a top-level tab of the main window.

Every area is listed here once, in tab order, with the roles that see it. An area is a
QWidget built from the unlocked station and the dialog service; its module is imported
only when the area is first shown, so a broken area cannot stop the station from starting
and the station opens without loading screens nobody has asked for yet.

Areas follow the exam day: before (``ui/planning``), after (``ui/review``), the
administration of people, rooms and the catalogue (``ui/admin``) and the centre's quality
file (``ui/quality``). The console of the
session itself is ``ui/console``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from PySide6.QtWidgets import QWidget

from invigilator_app.domain.enums import Role
from invigilator_app.services.station import Station
from invigilator_app.services.stations.centre import STATION

Builder = Callable[[Station, object], QWidget]
COORDINATOR = (Role.COORDINATOR,)
READERS = (Role.COORDINATOR, Role.INSPECTOR)


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    roles: tuple[Role, ...]
    build: Builder


def _lazy(module: str, cls: str) -> Builder:
    def build(station: Station, _dialogs: object) -> QWidget:
        widget: QWidget = getattr(import_module(f"invigilator_app.ui.{module}"), cls)(station)
        return widget

    return build


_TABLE: tuple[tuple[str, str, tuple[Role, ...], str, str], ...] = (
    # Candidates and Day are read-only for inspectors; the rest of planning and
    # administration is the coordinator's.
    ("candidates", "Candidates", READERS, "admin.candidates", "CandidatesArea"),
    ("catalogue", "Catalogue", COORDINATOR, "admin.catalogue", "CatalogueArea"),
    ("rooms", "Rooms", COORDINATOR, "admin.rooms", "RoomsArea"),
    ("planner", "Planner", COORDINATOR, "planning.planner", "PlannerArea"),
    ("users", "Users", COORDINATOR, "admin.users", "UsersArea"),
    ("day", "Day", READERS, "planning.day", "DayArea"),
    ("remote", "Remote session", COORDINATOR, "planning.remote", "RemotePlannerArea"),
    ("review", "Review", COORDINATOR, "review.queue", "ReviewArea"),
    ("search", "Search", READERS, "review.search", "SearchArea"),
    ("patterns", "Patterns", READERS, "review.patterns", "PatternsArea"),
    ("inspection", "Inspection", READERS, "review.inspection", "InspectionArea"),
    # the centre's quality file: the coordinator keeps it; the inspector opens on their visit
    ("quality", "Quality", COORDINATOR, "quality.area", "QualityArea"),
    ("visit", "Visit", READERS, "quality.dashboard", "VisitDashboard"),
    ("backup", "Backup", COORDINATOR, "admin.backup", "BackupArea"),
    # the hub's view of its room stations (a single-PC centre is a hub without any)
    ("stations", "Stations", READERS, "admin.stations", "StationsArea"),
)
HUB_ONLY = frozenset({"stations", "planner", "remote", "users", "rooms", "catalogue", "review", "quality"})
"""Areas an enrolled station does not show: its centre is planned, staffed, reviewed and
kept at the hub (the station's copies come with each bundle; docs/bundles.md)."""


def _areas() -> list[Area]:
    return [Area(key, title, roles, _lazy(module, cls)) for key, title, roles, module, cls in _TABLE]


def available_areas(station: Station) -> list[Area]:
    at_station = station.db.centre_role == STATION
    return [a for a in _areas() if station.actor.role in a.roles and not (at_station and a.key in HUB_ONLY)]
