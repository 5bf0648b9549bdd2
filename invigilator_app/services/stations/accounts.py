"""People log in at any enrolled station with their usual password.

Each hub bundle carries every live account's travelling key slot (``SlotFile.travelling``:
their age identity and signing key wrapped under their password, made on the hub). The
station keeps the latest set in ``store_meta`` (in the same transaction as the rest of the
bundle) and then brings ``keyslots.json`` in line: its own data key sealed to each
account's age recipient. An account no longer in the set (disabled, expired, removed)
loses its slot, and the station's data key is rotated so an old copy of the slot file
no longer opens the store. The same check runs at every unlock of a station, so a kill
between the database and the slot file is made good by the next person who logs in.
"""

from __future__ import annotations

import contextlib
import json

from sqlalchemy import select

from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services import key_rotation
from invigilator_app.services.station import Station
from invigilator_app.services.stations import centre
from invigilator_app.store.models import User


def _same(slot: dict[str, object], travelling: dict[str, object]) -> bool:
    age = slot.get("age")
    return (
        slot.get("wrapped_key") == travelling.get("wrapped_key")
        and slot.get("nonce") == travelling.get("nonce")
        and isinstance(age, dict)
        and age.get("recipient") == travelling.get("recipient")
        and (slot.get("extras") or {}) == (travelling.get("extras") or {})
    )


def sync_slots(station: Station) -> list[str]:
    """Bring this station's key slots in line with the hub's latest accounts. Returns notes."""
    if station.db.read_only or station.db.centre_role != centre.STATION:
        return []
    with station.read() as session:
        text = centre.meta(session, centre.ACCOUNT_SLOTS)
        names = {user_owner(u.name): u.name for u in session.scalars(select(User))}
    if text is None:
        return []
    wanted: dict[str, dict[str, object]] = json.loads(text)
    paths = station.db.paths
    slots = SlotFile.load(paths.slots)
    changed = False
    for owner, travelling in sorted(wanted.items()):
        current = slots.slots.get(owner)
        if current is None or not _same(current, travelling):
            slots.put_travelling(travelling, station.db.key)
            changed = True
    gone = {o for o in slots.slots if o.startswith("user:") and o not in wanted}
    notes = []
    if changed:
        slots.save()
    if gone:
        who = ", ".join(sorted(names.get(o, o.removeprefix("user:")) for o in gone))
        with contextlib.suppress(InvigilatorError, OSError):
            notes.append(f"Accounts no longer live at the hub were removed here: {who}.")
            notes.append(key_rotation.rotate(station, drop=gone))
    return notes
