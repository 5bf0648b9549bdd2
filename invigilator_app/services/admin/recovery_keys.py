"""A new recovery key, for when the old one is lost or its key slot is damaged.

The recovery slot is replaced the way every slot change is made (``services.slot_journal``):
the store first, the slot file after. Should the slot file not be written (a full disk),
the pending change is withdrawn, so no recovery key nobody has seen can take over; when
even that cannot be written, the message shows the new key, which then takes over at
the next unlock.
"""

from __future__ import annotations

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import InvigilatorError, NoSpace
from invigilator_app.security import recovery
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotFile
from invigilator_app.services import slot_journal
from invigilator_app.services.station import Station
from invigilator_app.services.trust import keys
from invigilator_app.store.models import Meta

ISSUED_KEY = "recovery_key_issued"


def issue_recovery_key(station: Station) -> str:
    """Replace the recovery slot with one for a new key (coordinators). Returns the key,
    to be shown once; the old key stops working."""
    station.require(Role.COORDINATOR, action="manage users")
    key_text = recovery.new_recovery_key()
    slots = SlotFile.load(station.db.paths.slots)
    with station.write() as session:
        # The centre key goes with it (from this coordinator's slot), so recovery can issue certificates.
        slots.put(
            RECOVERY_OWNER,
            recovery.normalise(key_text),
            station.db.key,
            extras=keys.extras(None, station.centre_key, Role.COORDINATOR.value),
        )
        slot_journal.stage(session, slots, RECOVERY_OWNER)
        row = session.get(Meta, ISSUED_KEY)
        when = f"{station.now().isoformat()} by {station.actor.name}"
        if row is None:
            session.add(Meta(key=ISSUED_KEY, value=when))
        else:
            row.value = when
    try:
        slot_journal.finish(
            station.db,
            slots,
            [RECOVERY_OWNER],
            station.actor.name,
            signer=station.signer,
            store_id=station.store_id,
            saved="The new recovery key",
            pending="the old recovery key still works",
        )
    except NoSpace as exc:
        try:
            slot_journal.withdraw(station.db, [RECOVERY_OWNER], station.actor.name, station.signer, station.store_id)
        except (InvigilatorError, OSError):
            raise NoSpace(f"{exc.message} Write the new recovery key down now: {key_text}") from None
        raise NoSpace(
            f"{exc.message.split('. ')[0]}. No new recovery key was issued: the key slot file could "
            "not be written, and the old recovery key still works. Free some space and try again."
        ) from None
    return key_text
