"""Rotating the data key when someone loses access (a disabled account, an expired inspector).

A new random data key replaces the old one: the database is re-encrypted with SQLCipher's
``PRAGMA rekey`` and the new key is sealed to the age recipient of every remaining slot
(``security.age_layer``), so nobody's password is needed. A copy of the old slot file
then holds only the old key, which no longer opens the store.

The order keeps the store openable with every remaining password at every point:

1. the slot file for the new key is written beside the current one, as
   ``keyslots.next.json`` (its presence is the journal of the pending rotation);
2. ``PRAGMA rekey`` (one SQLite transaction: the store has the old key or the new one);
3. ``keyslots.next.json`` is renamed over ``keyslots.json``;
4. the rotation is recorded in the audit trail and the due mark cleared.

At unlock, a leftover ``keyslots.next.json`` is settled by the key that opens the store
(``settle``): the old one (the rekey never happened: the pending file is removed) or the
new one (the rename is completed). A rotation that could not finish stays due
(``rotation_due`` in store_meta) and is done again at the next coordinator unlock.

Slots of the older kind (the data key wrapped under the password itself) cannot be sealed
anew without their owner; they are left out of the new file and their owners named, so a
coordinator sets their password again. A coordinator's or the recovery key's slot of the
older kind stops the rotation instead (it stays due): they must always keep working.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import InvigilatorError, StoreDamaged, WrongPassword
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotFile, new_data_key, user_owner, wipe
from invigilator_app.services import slot_journal
from invigilator_app.services.station import Station
from invigilator_app.store import faults, wal_check
from invigilator_app.store.database import Database, StorePaths
from invigilator_app.store.engine import connect
from invigilator_app.store.models import Meta, User

PENDING_NAME = "keyslots.next.json"
DUE_KEY = "rotation_due"
NOT_CHANGED = "The data key was not changed yet; it is changed at the next coordinator unlock"


def pending_path(paths: StorePaths) -> Path:
    return paths.slots.with_name(PENDING_NAME)


def _reached(step: str) -> None:
    """A named point of the rotation (the tests inject failures and kills here)."""


def opens(paths: StorePaths, key: bytes | bytearray) -> bool:
    """The key opens the database (any other fault, a full disk, is raised as it is)."""
    wal_check.check_before_open(paths.db)
    try:
        connect(paths.db, key).close()
    except StoreDamaged:
        return False
    return True


def settle(
    paths: StorePaths, key: bytearray, open_pending: Callable[[SlotFile], tuple[bytearray, dict[str, bytes]]]
) -> tuple[bytearray, dict[str, bytes]] | None:
    """At unlock, with the key the current slot file gave: finish or undo a rotation a
    failure left half-way. Returns the key (and wrapped extras) of the pending file when
    that is the one the store now opens with, None when the current key stands.

    Raises WrongPassword when the current key no longer opens the store and the pending
    file has no slot for this password (a slot removed by the rotation), and StoreDamaged
    when neither key opens it."""
    pending = pending_path(paths)
    if opens(paths, key):
        if pending.exists():
            pending.unlink()  # the rekey never happened: the current file stands
        return None
    if not pending.exists():
        raise StoreDamaged(
            f"The data key from this key slot does not open the store {paths.db}: the key slot file "
            f"{paths.slots.name} is older than the store (the data key was changed when an account was "
            "disabled or expired, so an old copy of a slot no longer opens it), or the store is damaged. "
            f"Nothing was changed. Restore both files from the same backup in {paths.backups} if the store "
            "itself is damaged."
        )
    try:
        new_key, wrapped = open_pending(SlotFile.load(pending))
    except WrongPassword:
        raise WrongPassword(
            "This password's key slot was withdrawn when the data key was changed (the account was disabled "
            "or expired): it no longer opens the store."
        ) from None
    if not opens(paths, new_key):
        wipe(new_key)
        raise StoreDamaged(
            f"Neither the current nor the pending key slot file opens the store {paths.db}. Nothing was changed; "
            f"restore it from the backups in {paths.backups}."
        )
    os.replace(pending, paths.slots)
    return new_key, wrapped


def mark_due(session: object, reason: str) -> None:
    """In the caller's write transaction: the data key is to be rotated (audited like any row)."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    row = session.get(Meta, DUE_KEY)
    if row is None:
        session.add(Meta(key=DUE_KEY, value=reason))
    elif reason not in row.value:
        row.value = f"{row.value}; {reason}"


def _blockers(station: Station, slots: SlotFile) -> list[str]:
    with station.read() as session:
        coordinators = session.scalars(
            select(User.name).where(User.role == Role.COORDINATOR.value, User.disabled.is_(False))
        ).all()
    must = [RECOVERY_OWNER, *(user_owner(n) for n in coordinators)]
    return [o for o in must if o in slots.slots and not slots.is_age(o)]


def _names(station: Station, owners: list[str]) -> str:
    """The owners as people read them: the recovery key, or the user's name as written."""
    with station.read() as session:
        known = {user_owner(n): n for n in session.scalars(select(User.name))}
    return ", ".join(
        "the recovery key" if o == RECOVERY_OWNER else known.get(o, o.removeprefix("user:")) for o in owners
    )


def rotate(station: Station, drop: set[str] | None = None) -> str:
    """Rotate the data key now (coordinator, read-write station). Returns what to tell the
    coordinator. ``drop``: owners whose slots are not carried over."""
    paths = station.db.paths
    slots = SlotFile.load(paths.slots)
    blockers = _blockers(station, slots)
    if blockers:
        names = _names(station, blockers)
        return (
            "The data key was NOT changed yet: the key slots of "
            f"{names} are of the older kind, which only their own password (or the recovery key) can re-wrap. "
            "It is changed at the next coordinator unlock once each has unlocked once (a new recovery key: "
            "`invigilator-app recovery-key`); until then an old copy of a removed slot still opens the store."
        )
    new_key = new_data_key()
    old_key = bytearray(station.db.key)
    pending = pending_path(paths)
    try:
        fresh, left_out = slots.resealed(pending, new_key, drop or set())
        try:
            _reached("write")
            fresh.save()
            _reached("rekey")
            station.db.close()
            _rekey(paths, old_key, new_key)
            _reached("rename")
            os.replace(pending, paths.slots)
            _reached("reopen")
        finally:
            # Whatever happened, go on with the key the store now has (settle() does the same at unlock).
            if pending.exists() or station.db.closed:
                key = new_key if opens(paths, new_key) else old_key
                if key is old_key:
                    with contextlib.suppress(OSError):
                        pending.unlink()
                elif pending.exists():
                    os.replace(pending, paths.slots)
                if station.db.closed:
                    station.db = Database.open(paths, key)
        _reached("record")
        with station.write() as session:
            due = session.get(Meta, DUE_KEY)
            reason = due.value if due is not None else "key rotation"
            if due is not None:
                session.delete(due)
            # Slot changes a full disk left pending hold the old key: the new file stands instead.
            for row in session.scalars(select(Meta).where(Meta.key.startswith(slot_journal.PREFIX))):
                session.delete(row)
            session.add(
                Meta(
                    key=f"key_rotated:{datetime.now(UTC).isoformat()}",
                    value=f"{reason}; rotated by {station.actor.name}; slots left out: "
                    + (_names(station, left_out) or "none"),
                )
            )
    finally:
        wipe(old_key)
        wipe(new_key)
    message = "The data key was changed: an old copy of a removed key slot no longer opens the store."
    if left_out:
        names = _names(station, left_out)
        message += (
            f" {names} cannot unlock until a coordinator sets their password again "
            "(`invigilator-app users passwd NAME`): their key slots were of the older kind."
        )
    return message


def _rekey(paths: StorePaths, old_key: bytes | bytearray, new_key: bytes | bytearray) -> None:
    conn = connect(paths.db, old_key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute(f"PRAGMA rekey = \"x'{bytes(new_key).hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlcipher.DatabaseError as exc:
        raise faults.translate(exc, paths.db, NOT_CHANGED) or StoreDamaged(
            f"The store {paths.db} could not be re-encrypted ({exc}). {NOT_CHANGED}."
        ) from None
    finally:
        conn.close()


def at_unlock(station: Station) -> list[str]:
    """At a coordinator's unlock: expired inspectors lose their slots, and a due rotation
    (theirs, or one a failure left) is done. Returns warnings; never fails the unlock."""
    if station.db.read_only or station.actor.role is not Role.COORDINATOR:
        return []
    try:
        slots = SlotFile.load(station.db.paths.slots)
        now = station.now()
        with station.read() as session:
            expired = [
                u.name
                for u in session.scalars(select(User).where(User.role == Role.INSPECTOR.value))
                if u.expires_at is not None and u.expires_at <= now and user_owner(u.name) in slots.slots
            ]
            due = session.get(Meta, DUE_KEY) is not None
        if expired:
            with station.write() as session:
                mark_due(session, "inspector account(s) expired: " + ", ".join(expired))
        if not expired and not due:
            return []
        message = rotate(station, {user_owner(n) for n in expired})
        return [message] if "NOT" in message or "cannot unlock" in message else []
    except (InvigilatorError, OSError) as exc:
        return [f"The data key could not be changed now ({exc}); it is tried again at the next coordinator unlock."]
