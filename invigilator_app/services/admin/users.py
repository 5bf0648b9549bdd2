"""People who use the station or invigilate in it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.services.station import Station
from invigilator_app.store.models import User


@dataclass(frozen=True)
class UserView:
    id: int
    name: str
    role: str
    imi_pin: str
    assessor: bool
    impartial: bool
    nominated: bool
    assessor_authorisation: str
    disabled: bool


def add_invigilator(
    station: Station, name: str, imi_pin: str, *, assessor: bool = False, impartial: bool = False
) -> UserView:
    """Add an invigilator, nominated by the coordinator adding them (INV-4)."""
    station.require(Role.COORDINATOR, action="add invigilators")
    if not name.strip():
        raise BadInput("An invigilator needs a name.")
    if not imi_pin.strip():
        raise BadInput(f"{name}: the IMI PIN is required; the record shows it (INV-1).")
    with station.write() as session:
        if session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first():
            raise BadInput(f"There is already a user called {name.strip()}.")
        now = station.now()
        user = User(
            name=name.strip(),
            role=Role.INVIGILATOR.value,
            imi_pin=imi_pin.strip(),
            assessor=assessor,
            impartial=impartial,
            nominated_by_id=station.actor.id,
            nominated_at=now,
            created_at=now,
        )
        session.add(user)
        session.flush()
        return user_view(user)


def list_users(station: Station) -> list[UserView]:
    with station.read() as session:
        return [user_view(u) for u in session.scalars(select(User).order_by(User.role, User.name))]


def user_view(u: User) -> UserView:
    return UserView(
        u.id,
        u.name,
        u.role,
        u.imi_pin,
        u.assessor,
        u.impartial,
        u.nominated_by_id is not None,
        u.assessor_authorisation,
        u.disabled,
    )
