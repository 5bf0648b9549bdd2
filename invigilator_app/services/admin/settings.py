"""Station settings kept in the encrypted store (never in a plaintext settings file)."""

from __future__ import annotations

from sqlalchemy import select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.services.station import Station
from invigilator_app.store.models import Meta

AUTO_LOCK_KEY = "auto_lock_minutes"
AUTO_LOCK_DEFAULT = 5


def auto_lock_minutes(station: Station) -> int:
    """Idle minutes before the station locks itself (5 unless the coordinator changed it)."""
    with station.read() as session:
        row = session.scalars(select(Meta).where(Meta.key == AUTO_LOCK_KEY)).first()
    try:
        return int(row.value) if row is not None else AUTO_LOCK_DEFAULT
    except ValueError:
        return AUTO_LOCK_DEFAULT


def set_auto_lock_minutes(station: Station, minutes: int) -> None:
    station.require(Role.COORDINATOR, action="change the auto-lock time")
    if not 1 <= minutes <= 60:
        raise BadInput("The auto-lock time is between 1 and 60 minutes.")
    with station.write() as session:
        row = session.get(Meta, AUTO_LOCK_KEY)
        if row is None:
            session.add(Meta(key=AUTO_LOCK_KEY, value=str(minutes)))
        else:
            row.value = str(minutes)
