"""Seating a planned session's candidates automatically in a room (rules.seating_assignment)."""

from __future__ import annotations

from collections.abc import Sequence

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.seating_assignment import (
    SeatChoice,
    SeatRequest,
    assign_seats,
)
from invigilator_app.services import facts
from invigilator_app.services.station import Station

__all__ = ["SeatChoice", "SeatRequest", "auto_assign"]


def auto_assign(station: Station, room_name: str, requests: Sequence[SeatRequest]) -> list[SeatChoice]:
    """Workstations for ``requests`` in the room's stored layout; nothing is written.

    Seats chosen by hand are kept; candidates on the same assessment are kept apart where
    the room allows; each choice says why it was made.
    """
    station.require(Role.COORDINATOR, action="plan sessions")
    with station.read() as session:
        room = facts.room_by_name(session, room_name)
        if room is None:
            raise BadInput(f"There is no room called {room_name}.")
        layout = [WorkstationFact(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in room.workstations]
    return assign_seats(layout, requests)
