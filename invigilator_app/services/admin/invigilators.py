"""Invigilators' declarations and nominations: IMI PIN (INV-1), assessor (INV-2),
impartiality (INV-3) and the coordinator's nomination (INV-4)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotFound
from invigilator_app.services.admin.users import UserView, user_view
from invigilator_app.services.station import Station
from invigilator_app.store.models import User


def _person(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()
    if user is None:
        raise NotFound(f"{name} is not a known user.")
    if user.role == Role.INSPECTOR.value:
        raise BadInput(f"{user.name} is an inspector account and cannot invigilate.")
    return user


def update_invigilator(station: Station, name: str, *, imi_pin: str, assessor: bool, impartial: bool) -> UserView:
    """Record an invigilator's IMI PIN and declarations. Declaring someone no longer an
    assessor withdraws any INV-2 authorisation; a new declaration needs a new one."""
    station.require(Role.COORDINATOR, action="change invigilators")
    if not imi_pin.strip():
        raise BadInput(f"{name}: the IMI PIN is required; the record shows it (INV-1).")
    if len(imi_pin.strip()) > 40:
        raise BadInput(f"{name}: an IMI PIN has at most 40 characters.")
    with station.write() as session:
        user = _person(session, name)
        if assessor != user.assessor:
            user.assessor_authorisation, user.authorised_by_id, user.authorised_at = "", None, None
        user.imi_pin, user.assessor, user.impartial = imi_pin.strip(), assessor, impartial
        session.flush()
        return user_view(user)


def nominate(station: Station, name: str) -> UserView:
    """INV-4: the coordinator nominates a competent person to invigilate."""
    station.require(Role.COORDINATOR, action="nominate invigilators")
    with station.write() as session:
        user = _person(session, name)
        if user.nominated_by_id is None:
            user.nominated_by_id, user.nominated_at = station.actor.id, station.now()
        return user_view(user)


def withdraw_nomination(station: Station, name: str) -> UserView:
    """INV-4: withdraw a nomination; planning or changing a session for them is then refused."""
    station.require(Role.COORDINATOR, action="nominate invigilators")
    with station.write() as session:
        user = _person(session, name)
        user.nominated_by_id, user.nominated_at = None, None
        return user_view(user)


def revoke_authorisation(station: Station, name: str) -> UserView:
    """INV-2: withdraw the coordinator's authorisation for an assessor to invigilate."""
    station.require(Role.COORDINATOR, action="authorise assessors to invigilate")
    with station.write() as session:
        user = _person(session, name)
        user.assessor_authorisation, user.authorised_by_id, user.authorised_at = "", None, None
        return user_view(user)
