"""Invigilators' declarations and nominations: IMI PIN (INV-1), assessor (INV-2),
impartiality (INV-3) and the coordinator's nomination (INV-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotFound
from invigilator_app.services.admin.users import UserView, user_view
from invigilator_app.services.station import Station
from invigilator_app.store.models import DeclarationChange, User

MIN_REASON = 10
"""Characters a declaration change's reason needs at least: a sentence, not a tick."""


def _person(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()
    if user is None:
        raise NotFound(f"{name} is not a known user.")
    if user.role == Role.INSPECTOR.value:
        raise BadInput(f"{user.name} is an inspector account and cannot invigilate.")
    return user


def change_declarations(
    session: Session,
    station: Station,
    user: User,
    *,
    assessor: bool,
    impartial: bool,
    reason: str,
    source: str,
    confirmed_by: User | None = None,
) -> list[DeclarationChange]:
    """Change a person's INV-2/INV-3 declarations inside the caller's write transaction,
    each change kept with its reason, who made it, who confirmed it and where. Declaring
    someone no longer (or newly) an assessor withdraws any INV-2 authorisation."""
    wanted = {"assessor": assessor, "impartial": impartial}
    changed = [(name, getattr(user, name), value) for name, value in wanted.items() if getattr(user, name) != value]
    if not changed:
        return []
    if len(reason.strip()) < MIN_REASON:
        raise BadInput(
            f"{user.name}: give the reason for changing the declaration in a sentence "
            f"(at least {MIN_REASON} characters)."
        )
    now = station.now()
    rows = []
    for name, original, value in changed:
        row = DeclarationChange(
            user_id=user.id,
            field=name,
            original=original,
            changed=value,
            reason=reason.strip(),
            source=source,
            by_id=station.actor.id,
            confirmed_by_id=(confirmed_by or station.actor).id,
            at=now,
        )
        session.add(row)
        rows.append(row)
        setattr(user, name, value)
    if any(name == "assessor" for name, _, _ in changed):
        user.assessor_authorisation, user.authorised_by_id, user.authorised_at = "", None, None
    return rows


def update_invigilator(
    station: Station, name: str, *, imi_pin: str, assessor: bool, impartial: bool, reason: str = ""
) -> UserView:
    """Record an invigilator's IMI PIN and declarations. A changed declaration (INV-2,
    INV-3) needs a reason and is kept as a ``DeclarationChange``; declaring someone no
    longer an assessor withdraws any INV-2 authorisation; a new declaration needs a new one."""
    station.require(Role.COORDINATOR, action="change invigilators")
    if not imi_pin.strip():
        raise BadInput(f"{name}: the IMI PIN is required; the record shows it (INV-1).")
    if len(imi_pin.strip()) > 40:
        raise BadInput(f"{name}: an IMI PIN has at most 40 characters.")
    with station.write() as session:
        user = _person(session, name)
        change_declarations(
            session, station, user, assessor=assessor, impartial=impartial, reason=reason, source="invigilators"
        )
        user.imi_pin = imi_pin.strip()
        session.flush()
        return user_view(user)


@dataclass(frozen=True)
class DeclarationChangeView:
    field: str
    original: bool
    changed: bool
    reason: str
    source: str
    by: str
    confirmed_by: str
    at: datetime


def declaration_history(station: Station, name: str) -> list[DeclarationChangeView]:
    """Every change of a person's declarations, oldest first."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="read declaration changes")
    with station.read() as session:
        user = _person(session, name)
        names = {u.id: u.name for u in session.scalars(select(User))}
        return [
            DeclarationChangeView(
                c.field,
                c.original,
                c.changed,
                c.reason,
                c.source,
                names.get(c.by_id or 0, ""),
                names.get(c.confirmed_by_id or 0, ""),
                c.at,
            )
            for c in session.scalars(
                select(DeclarationChange).where(DeclarationChange.user_id == user.id).order_by(DeclarationChange.id)
            )
        ]


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
