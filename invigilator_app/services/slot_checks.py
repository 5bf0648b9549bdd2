"""What the key slots' integrity checks mean at unlock (``security.slot_integrity``).

- A slot whose own check fails is damaged: the unlock is refused as damage (exit 4) and
  not counted as a wrong password.
- After a slot opens, every other slot is checked with the MAC under the data key; a
  damaged one (the recovery slot included) becomes a warning the station shows at once,
  with what to do: a new password, or a new recovery key.
"""

from __future__ import annotations

from invigilator_app.domain.errors import StoreDamaged
from invigilator_app.security import slot_integrity
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotDamaged, SlotFile


def damage_instead_of_wrong_password(slots: SlotFile, damaged: list[SlotDamaged], user: str | None) -> None:
    """Called when no slot opened: raise damage (exit 4) when damage may be the reason."""
    if damaged and user is not None:
        raise damaged[0]
    if damaged:
        names = ", ".join(d.owner.removeprefix("user:") for d in damaged)
        raise StoreDamaged(
            f"The key slot(s) of {names} in {slots.path} are damaged (their integrity check fails), and the "
            "password did not open any other slot. If the password is one of theirs, unlock with the recovery "
            "key (`invigilator-app recovery`); this was not counted as a wrong password."
        )
    if slots.file_damaged:
        raise StoreDamaged(
            f"The key slot file {slots.path} is damaged (its integrity check fails) and the password opened no "
            "slot in it; this was not counted as a wrong password. Unlock with the recovery key, or restore the "
            f"file from {slots.path.parent / 'backups'}."
        )


def slot_warnings(slots: SlotFile, data_key: bytes | bytearray, opened: str) -> list[str]:
    """Every other slot checked against the data key: one warning per damaged slot."""
    warnings = []
    for owner in slots.owners():
        if owner == opened:
            continue
        slot = slots.slots[owner]
        if not (slot_integrity.slot_damaged(slot) or slot_integrity.mac_mismatch(slot, slots.store_id, data_key)):
            continue
        if owner == RECOVERY_OWNER:
            warnings.append(
                f"The recovery key's slot in {slots.path} is damaged: the recovery key would no longer open the "
                "store. A coordinator should issue a new recovery key now (`invigilator-app recovery-key`, or "
                "Users ▸ New recovery key); the damaged one can then be thrown away."
            )
        else:
            name = owner.removeprefix("user:")
            warnings.append(
                f"The key slot of {name} in {slots.path} is damaged: that password no longer opens the store. "
                f"A coordinator sets a new one (`invigilator-app users passwd {name}`)."
            )
    if slots.file_damaged and not warnings:
        warnings.append(
            f"The key slot file {slots.path} fails its integrity check although every slot is sound; "
            "it is rewritten whole at the next password change."
        )
    return warnings
