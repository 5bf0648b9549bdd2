"""Rooms and their layouts: list, read, add, save (ROOM-1 checked) and print to PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.record import RecordWorkstation
from invigilator_app.domain.timefmt import when_text
from invigilator_app.reports.room_layout import render_room_layout
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.room import natural_key, too_close_pairs
from invigilator_app.services import bounds, facts
from invigilator_app.services.files import write_atomically
from invigilator_app.services.planning import changes
from invigilator_app.services.station import Station
from invigilator_app.store.models import Centre, Room

__all__ = ["RoomLayout", "RoomView", "add_room", "export_layout_pdf", "get_layout", "list_rooms", "save_layout"]


@dataclass(frozen=True)
class RoomView:
    id: int
    name: str
    site: str
    workstations: int
    has_desk: bool


@dataclass(frozen=True)
class RoomLayout:
    name: str
    site: str
    workstations: list[WorkstationFact] = field(default_factory=list)
    desk: tuple[float, float] | None = None
    door: tuple[float, float] | None = None
    facing: str = "north"
    """The way candidates face (the front of the room): north, east, south or west."""

    @property
    def too_close(self) -> list[tuple[str, str, float]]:
        """ROOM-1 pairs: under 1.5 m apart with neither a screen nor a privacy filter."""
        return too_close_pairs(self.workstations)


def list_rooms(station: Station) -> list[RoomView]:
    with station.read() as session:
        return [
            RoomView(r.id, r.name, r.site, len(r.workstations), r.desk_x is not None and r.desk_y is not None)
            for r in session.scalars(select(Room).order_by(Room.name))
        ]


def _point(x: float | None, y: float | None) -> tuple[float, float] | None:
    return (x, y) if x is not None and y is not None else None


def get_layout(station: Station, name: str) -> RoomLayout:
    with station.read() as session:
        room = facts.room_by_name(session, name)
        if room is None:
            raise BadInput(f"There is no room called {name}.")
        stations = sorted(
            (WorkstationFact(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in room.workstations),
            key=lambda w: natural_key(w.label),
        )
        return RoomLayout(
            room.name,
            room.site,
            stations,
            _point(room.desk_x, room.desk_y),
            _point(room.door_x, room.door_y),
            room.facing or "north",
        )


def add_room(station: Station, name: str, site: str = "") -> RoomView:
    """A new, empty room; its workstations are placed with ``save_layout``."""
    station.require(Role.COORDINATOR, action="add rooms")
    name, site = name.strip(), site.strip()
    if not name:
        raise BadInput("A room needs a name.")
    if len(name) > 100 or len(site) > 100:
        raise BadInput("Room and site names have at most 100 characters.")
    with station.write() as session:
        if session.scalars(select(Room).where(func.lower(Room.name) == name.lower())).first():
            raise BadInput(f"There is already a room called {name}.")
        room = Room(name=name, site=site)
        session.add(room)
        session.flush()
        return RoomView(room.id, room.name, room.site, 0, False)


def _check_coordinates(layout: Sequence[WorkstationFact], desk: tuple[float, float] | None) -> None:
    problems = []
    for w in layout:
        if len(w.label.strip()) > 40:
            problems.append(f"{w.label[:40]}…: a workstation label has at most 40 characters")
        if any(bounds.coordinate_problem(v) for v in (w.x, w.y)):
            problems.append(f"{w.label}: x and y are metres from the room's corner, between -100 and 100")
    if desk is not None and any(bounds.coordinate_problem(v) for v in desk):
        problems.append("The invigilator's desk: x and y are metres between -100 and 100")
    if len(layout) > bounds.MAX_WORKSTATIONS:
        problems.append(f"A room has at most {bounds.MAX_WORKSTATIONS} workstations")
    if wide := bounds.extent_problem([(w.x, w.y) for w in layout] + ([desk] if desk else [])):
        problems.append(f"The room: {wide}")
    if problems:
        raise BadInput("\n".join(problems))


def save_layout(
    station: Station, name: str, layout: Sequence[WorkstationFact], desk: tuple[float, float] | None = None
) -> RoomLayout:
    """Replace the room's workstations (refused by ROOM-1 if two stand too close without a
    screen or filter; seats used by planned sessions must stay) and move the desk."""
    cleaned = [WorkstationFact(w.label.strip(), float(w.x), float(w.y), w.screen, w.privacy_filter) for w in layout]
    _check_coordinates(cleaned, desk)
    changes.change_room_layout(station, name, cleaned, desk=desk)
    return get_layout(station, name)


def export_layout_pdf(station: Station, name: str, out: Path) -> Path:
    """The room's layout to scale, with its ROOM-1 result, as a PDF written atomically."""
    layout = get_layout(station, name)
    with station.read() as session:
        centre = session.scalars(select(Centre)).first()
        centre_text = f"{centre.name} ({centre.number})" if centre else ""
    data = render_room_layout(
        layout.name,
        layout.site,
        centre_text,
        [RecordWorkstation(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in layout.workstations],
        layout.desk,
        layout.door,
        layout.too_close,
        when_text(station.now(), station.zone),
        facing=layout.facing,
    )
    write_atomically(out, data)
    return out
