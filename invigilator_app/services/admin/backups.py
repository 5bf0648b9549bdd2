"""Backups a centre can restore: one file holding the encrypted store and its key slots.

A backup is a ZIP file (stored, not compressed: the store is encrypted) with
``store.db`` (a consistent copy made by SQLCipher with the store's own key),
``keyslots.json`` (the same slots, the recovery slot included, so the recovery key alone
opens it on a new PC) and ``manifest.json`` (store id, when, the audit entry count and
head: nothing a reader of the store would not already know). It is written under a
temporary name, verified (opened with the data key, every page checked, the audit chain
walked), then renamed: a file under a backup's name is always whole and sound.

Backups are made on demand (``backup create``), after every sign-off and once a day
into the folder the coordinator chose (a USB stick), keeping the newest ``KEEP`` there.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, InvigilatorError, NoSpace, VerificationFailed
from invigilator_app.services.station import Station
from invigilator_app.store import audit, faults
from invigilator_app.store.models import Meta
from invigilator_app.store.snapshot import copy_store

FORMAT = "invigilator-app backup v1"
SUFFIX = ".invbackup"
KEEP = 10
FOLDER_KEY = "backup_folder"
LAST_KEY = "backup_last"
FAILED_KEY = "backup_failed"
DAY = timedelta(days=1)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    store_id: str
    created: datetime
    entries: int
    head: str


def _meta(station: Station, key: str) -> str | None:
    with station.read() as session:
        row = session.get(Meta, key)
        return row.value if row is not None else None


def _set_meta(station: Station, values: dict[str, str | None]) -> None:
    with station.write() as session:
        for key, value in values.items():
            row = session.get(Meta, key)
            if value is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(Meta(key=key, value=value))
            else:
                row.value = value


def backup_folder(station: Station) -> Path | None:
    value = _meta(station, FOLDER_KEY)
    return Path(value) if value else None


def set_backup_folder(station: Station, folder: Path | None) -> None:
    """The folder automatic backups go to (a USB stick); None stops them."""
    station.require(Role.COORDINATOR, action="choose the backup folder")
    if folder is not None and not folder.is_dir():
        raise BadInput(f"{folder} is not a folder (plug the stick in, or create the folder first).")
    _set_meta(station, {FOLDER_KEY: str(folder) if folder is not None else None})


def last_backup(station: Station) -> BackupInfo | None:
    value = _meta(station, LAST_KEY)
    if not value:
        return None
    data = json.loads(value)
    return BackupInfo(
        Path(data["path"]),
        data["store_id"],
        datetime.fromisoformat(data["created"]),
        int(data["entries"]),
        data["head"],
    )


def last_failure(station: Station) -> str:
    return _meta(station, FAILED_KEY) or ""


def create_backup(station: Station, out_dir: Path, *, automatic: bool = False) -> BackupInfo:
    """Write, verify and keep a backup in ``out_dir``. Coordinators (any user for the
    automatic backups after a sign-off)."""
    if not automatic:
        station.require(Role.COORDINATOR, action="make backups")
    if not out_dir.is_dir():
        raise BadInput(f"backup --out {out_dir}: not a folder (it must exist).")
    with station.read() as session:
        store_id = str(session.get(Meta, "store_id").value)  # type: ignore[union-attr]
        entries, head = audit.head(session)
    now = station.now()
    name = f"invigilator-backup-{store_id[:8]}-{now:%Y%m%dT%H%M%SZ}{SUFFIX}"
    target = out_dir / name
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=out_dir))
    part = out_dir / f".{name}.part"
    try:
        copy_store(station.db.engine, work / "store.db")
        manifest = {
            "format": FORMAT,
            "store_id": store_id,
            "created": now.isoformat(),
            "entries": entries,
            "head": head,
        }
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            archive.write(work / "store.db", "store.db")
            archive.write(station.db.paths.slots, "keyslots.json")
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        info = verify_backup_with_key(part, station.db.key)
        os.replace(part, target)
    except NoSpace:
        raise faults.no_space(out_dir, "No backup was written") from None
    except OSError as exc:
        if faults.is_no_space(exc):
            raise faults.no_space(out_dir, "No backup was written") from None
        raise
    finally:
        part.unlink(missing_ok=True)
        _remove_tree(work)
    info = BackupInfo(target, info.store_id, info.created, info.entries, info.head)
    _set_meta(
        station,
        {
            LAST_KEY: json.dumps(
                {
                    "path": str(target),
                    "store_id": store_id,
                    "created": now.isoformat(),
                    "entries": entries,
                    "head": head,
                }
            ),
            FAILED_KEY: None,
        },
    )
    return info


def _remove_tree(folder: Path) -> None:
    for child in folder.glob("*"):
        child.unlink(missing_ok=True)
    folder.rmdir()


def read_manifest(path: Path) -> dict[str, object]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {"manifest.json", "store.db", "keyslots.json"} <= names:
                raise VerificationFailed(
                    f"{path} is not a whole backup: it lacks "
                    f"{', '.join(sorted({'manifest.json', 'store.db', 'keyslots.json'} - names))}."
                )
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        raise VerificationFailed(f"{path} is not a readable backup ({exc.__class__.__name__}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise VerificationFailed(f"{path} is not a backup of this application.")
    return manifest


def extract(path: Path, folder: Path) -> dict[str, object]:
    manifest = read_manifest(path)
    try:
        with zipfile.ZipFile(path) as archive:
            for name in ("store.db", "keyslots.json"):
                (folder / name).write_bytes(archive.read(name))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise VerificationFailed(f"{path} is damaged ({exc.__class__.__name__}).") from None
    except OSError as exc:
        if faults.is_no_space(exc):
            raise faults.no_space(folder, "Nothing was restored") from None
        raise
    return manifest


def verify_backup_with_key(path: Path, data_key: bytes | bytearray) -> BackupInfo:
    """Open a backup's store with the data key and check it as ``verify --audit`` does."""
    from invigilator_app.services.admin import backup_checks

    with tempfile.TemporaryDirectory(prefix=".verify-", dir=path.parent) as folder:
        manifest = extract(path, Path(folder))
        backup_checks.check_copy(Path(folder), data_key, manifest, source=str(path))
    return BackupInfo(
        path,
        str(manifest["store_id"]),
        datetime.fromisoformat(str(manifest["created"])),
        int(str(manifest["entries"])),
        str(manifest["head"]),
    )


def rotate(folder: Path, store_id: str, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` backups of this store in the folder."""
    mine = sorted(folder.glob(f"invigilator-backup-{store_id[:8]}-*{SUFFIX}"))
    old = mine[:-keep] if len(mine) > keep else []
    for path in old:
        path.unlink(missing_ok=True)
    return old


def automatic_backup(station: Station, why: str) -> BackupInfo | None:
    """After a sign-off, or when a day has passed: a backup into the chosen folder, kept in
    rotation. Never fails the work that asked for it: a failure is kept, shown in the
    Backup area and at the next unlock."""
    folder = backup_folder(station)
    if folder is None:
        return None
    try:
        info = create_backup(station, folder, automatic=True)
        rotate(folder, info.store_id)
        return info
    except (InvigilatorError, OSError) as exc:
        message = exc.message if isinstance(exc, InvigilatorError) else str(exc)
        with contextlib.suppress(InvigilatorError, OSError):
            _set_meta(station, {FAILED_KEY: f"{station.now().isoformat()} ({why}): {message}"})
        return None


def backup_due(station: Station) -> bool:
    """A day has passed since the last good backup (or there is none) and a folder is chosen."""
    if backup_folder(station) is None:
        return False
    last = last_backup(station)
    return last is None or station.now() - last.created >= DAY


def stale_warning(station: Station) -> str:
    """Non-empty when the last good backup is older than a day of sessions: sessions have
    started since it was made, and it is more than a day old."""
    from invigilator_app.store.models import Session as SessionRow

    last = last_backup(station)
    with station.read() as session:
        newest = session.scalar(
            select(SessionRow.started_at)
            .where(SessionRow.started_at.is_not(None))
            .order_by(SessionRow.started_at.desc())
            .limit(1)
        )
    if newest is None:
        return ""
    if last is None:
        return "There is no backup of this store yet: sessions have been recorded since it was made."
    newest_utc = newest if newest.tzinfo else newest.replace(tzinfo=UTC)
    if newest_utc > last.created and station.now() - last.created > DAY:
        return (
            f"The last good backup is from {last.created:%d %b %Y %H:%M} UTC, more than a day ago, and "
            "sessions have been recorded since: back up now."
        )
    return ""
