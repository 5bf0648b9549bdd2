"""Checking a backup's store, and restoring one into a new data folder.

A backup is checked the way ``verify --audit`` checks the live store (every page through
SQLCipher's HMAC, the audit chain, the signed checkpoints) and against its own manifest.
Restoring needs only the backup and its recovery key; it never writes over a store, and
it says what the restored store lacks compared with an exported checkpoint (the witness
kept away from the PC) when one is given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, VerificationFailed, WrongPassword
from invigilator_app.security import recovery
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotFile, wipe
from invigilator_app.services.station import Actor, Station
from invigilator_app.services.trust import checkpoints
from invigilator_app.services.trust.integrity import verify_store
from invigilator_app.store import faults
from invigilator_app.store.database import DB_NAME, SLOTS_NAME, Database, StorePaths
from invigilator_app.store.models import AuditEntry

CHECKER = Actor(id=0, name="backup check", role=Role.COORDINATOR)


def check_copy(folder: Path, data_key: bytes | bytearray, manifest: dict[str, object], *, source: str) -> str:
    """VerificationFailed (exit 4) unless the store in ``folder`` is sound and is the one the
    manifest describes. Returns the verification report."""
    slots = SlotFile.load(folder / SLOTS_NAME)
    if slots.store_id != manifest.get("store_id"):
        raise VerificationFailed(
            f"{source}: its key slots belong to store {slots.store_id}, its manifest to {manifest.get('store_id')}."
        )
    db = Database.open(StorePaths(folder), data_key)
    try:
        station = Station(db, CHECKER)
        report = verify_store(station)
        entries, head = int(str(manifest.get("entries", 0))), str(manifest.get("head", ""))
        with station.read() as session:
            if entries:
                at = session.scalar(select(AuditEntry.hash).where(AuditEntry.id == entries))
                if at != head:
                    raise VerificationFailed(
                        f"{source}: its store does not hold the audit chain its manifest names (entry {entries})."
                    )
    finally:
        db.close()
    return report


@dataclass(frozen=True)
class Restored:
    data_dir: Path
    created: datetime
    entries: int
    lacking: str
    """What the restored store lacks compared with the checkpoint given, or how to find out."""


def restore_backup(path: Path, data_dir: Path, recovery_key: str, checkpoint: Path | None = None) -> Restored:
    """Put a backup into a new (or empty) data folder, checked, with the recovery key alone."""
    from invigilator_app.services.admin.backups import extract

    if StorePaths(data_dir).exists():
        raise BadInput(
            f"There is a store in {data_dir} already: a backup is never restored over a store. "
            "Restore into a new or empty folder (--data-dir)."
        )
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise BadInput(f"{data_dir} is not empty: restore into a new or empty folder.")
    exported = checkpoints.read_checkpoint_file(checkpoint) if checkpoint is not None else None
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.restore-", dir=data_dir.parent))
    try:
        manifest = extract(path, staging)
        slots = SlotFile.load(staging / SLOTS_NAME)
        try:
            key = slots.open(RECOVERY_OWNER, recovery.normalise(recovery_key))
        except WrongPassword:
            raise WrongPassword(f"That is not the recovery key of the store in {path}.") from None
        try:
            check_copy(staging, key, manifest, source=str(path))
            lacking = _compare(staging, key, exported, checkpoint)
        finally:
            wipe(key)
        if data_dir.is_dir():
            data_dir.rmdir()
        os.replace(staging, data_dir)
    except OSError as exc:
        if faults.is_no_space(exc):
            raise faults.no_space(data_dir, "Nothing was restored") from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Restored(data_dir, datetime.fromisoformat(str(manifest["created"])), int(str(manifest["entries"])), lacking)


def _compare(folder: Path, key: bytes | bytearray, exported: checkpoints.Checkpoint | None, source: Path | None) -> str:
    db = Database.open(StorePaths(folder), key, read_only=True)
    try:
        station = Station(db, CHECKER)
        with station.read() as session:
            last = session.execute(select(AuditEntry.id, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1)).first()
            entries = int(last.id) if last else 0
            if exported is None:
                when = f"{last.at:%d %b %Y %H:%M} UTC" if last else "the start"
                return (
                    f"The restored store holds {entries} audit entries, the last from {when}; anything recorded "
                    "after that is not in it. Give the newest exported checkpoint (--checkpoint) to see what "
                    "it lacks."
                )
            if exported.store_id != checkpoints._meta(session, "store_id"):
                raise VerificationFailed(f"{source} is a checkpoint of another store ({exported.store_id}).")
            if exported.entry_count > entries:
                return (
                    f"The restored store lacks {exported.entry_count - entries} audit entries that {source} signed "
                    f"({exported.describe()}): what was recorded after the backup up to {exported.at} is not in "
                    "it; re-enter it from the paper log."
                )
            at = session.scalar(select(AuditEntry.hash).where(AuditEntry.id == exported.entry_count))
            if exported.entry_count and at != exported.head_hash:
                raise VerificationFailed(f"The restored store does not hold the chain {source} signed.")
            return f"The restored store holds everything {source} signed ({exported.describe()})."
    finally:
        db.close()


def verify_backup_with_recovery_key(path: Path, recovery_key: str) -> str:
    """``backup verify --recovery-key``: on any PC, with the recovery key alone."""
    from invigilator_app.services.admin.backups import extract

    with tempfile.TemporaryDirectory(prefix=".verify-", dir=path.parent) as folder:
        manifest = extract(path, Path(folder))
        slots = SlotFile.load(Path(folder) / SLOTS_NAME)
        try:
            key = slots.open(RECOVERY_OWNER, recovery.normalise(recovery_key))
        except WrongPassword:
            raise WrongPassword(f"That is not the recovery key of the store in {path}.") from None
        try:
            return check_copy(Path(folder), key, manifest, source=str(path))
        finally:
            wipe(key)


__all__ = ["DB_NAME", "Restored", "check_copy", "restore_backup", "verify_backup_with_recovery_key"]
