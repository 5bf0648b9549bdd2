"""Key-slot changes that survive a failure half-way: the database first, the slot file after.

A password change touches two files: the store (the audited change to the user) and
``keyslots.json`` (the slot that wraps the data key). They cannot be written in one
step, so the change is journalled: the new slot (or its removal) is written into the
store in the same transaction as the user's change (``stage``); after that commits, the
slot file is rewritten atomically (``finish``) and the journal row cleared. Should the
slot file fail to be written (a full disk), the store holds the pending change, the
message says so, and the next unlock completes it (``replay``). A failure before the
commit changes nothing at all. Either way the files never disagree in a way that loses
access: until the slot file is rewritten, the old password still opens the store.

The journal rows live inside the encrypted store; a slot holds only the data key wrapped
under the new password, so keeping it there reveals nothing a reader of the store lacks.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.errors import InvigilatorError, NoSpace
from invigilator_app.security.keyslots import SlotFile
from invigilator_app.store import audit, faults
from invigilator_app.store.database import Database
from invigilator_app.store.models import Meta

PREFIX = "pending_slot:"


def stage(session: Session, slots: SlotFile, owner: str) -> None:
    """Record, in the caller's write transaction, the owner's slot as it is now in ``slots``
    (None when it was removed)."""
    value = json.dumps(slots.slots.get(owner), sort_keys=True)
    row = session.get(Meta, PREFIX + owner)
    if row is None:
        session.add(Meta(key=PREFIX + owner, value=value))
    else:
        row.value = value


def finish(
    db: Database,
    slots: SlotFile,
    owners: list[str],
    actor: str,
    *,
    saved: str,
    pending: str,
    signer: audit.EntrySigner | None = None,
    store_id: str = "",
) -> None:
    """After the commit: write the slot file, then clear the journal rows.

    ``saved`` describes what the store now holds (for the message); ``pending`` what
    still waits for the slot file. Raises NoSpace with a message that says both."""
    try:
        slots.save()
    except OSError as exc:
        if not faults.is_no_space(exc):
            raise
        raise NoSpace(
            f"No space: the disk holding {slots.path.parent} is full, or a quota or file-size limit was "
            f"reached. {saved} is saved in the store, but the key slot file {slots.path.name} could not be "
            f"rewritten, so {pending}. It is completed at the next unlock when there is space."
        ) from None
    # Should clearing fail, the journal holds what the slot file holds: replaying it changes nothing.
    with contextlib.suppress(InvigilatorError, OSError):
        _clear(db, owners, actor, signer, store_id)


def withdraw(
    db: Database, owners: list[str], actor: str, signer: audit.EntrySigner | None = None, store_id: str = ""
) -> None:
    """Forget pending changes that must not be completed later (the slot file was not written)."""
    _clear(db, owners, actor, signer, store_id)


def _clear(
    db: Database, owners: list[str], actor: str, signer: audit.EntrySigner | None = None, store_id: str = ""
) -> None:
    """Remove the journal rows (audited like any write, signed by the acting user)."""
    with db.session() as session, session.begin():
        session.connection(execution_options={"immediate": True})
        for owner in owners:
            row = session.get(Meta, PREFIX + owner)
            if row is not None:
                session.delete(row)
        audit.append_pending(session, actor, datetime.now(UTC), signer, store_id)


def pending(db: Database) -> dict[str, dict[str, Any] | None]:
    with db.session() as session:
        rows = session.scalars(select(Meta).where(Meta.key.startswith(PREFIX))).all()
        return {r.key.removeprefix(PREFIX): json.loads(r.value) for r in rows}


def replay(
    db: Database, slots_path: Path, actor: str, signer: audit.EntrySigner | None = None, store_id: str = ""
) -> list[str]:
    """At unlock: bring the slot file up to the journal (changes a full disk left pending).
    Returns the owners whose slots were written; never fails the unlock."""
    if db.read_only:
        return []
    try:
        journal = pending(db)
        if not journal:
            return []
        slots = SlotFile.load(slots_path)
        changed = [o for o, slot in journal.items() if slots.slots.get(o) != slot]
        for owner in changed:
            slot = journal[owner]
            if slot is None:
                slots.remove(owner)
            else:
                slots.slots[owner] = slot
        if changed:
            slots.save()
        if signer is not None:  # cleared under a signature; until then replaying it again changes nothing
            _clear(db, list(journal), actor, signer, store_id)
        return changed
    except (InvigilatorError, OSError, ValueError):
        return []
