"""Schema by Alembic migrations, run from code over the store's own connection.

Before migrating an existing store a backup copy is made; a store written by a newer
version of the application is refused and left alone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from invigilator_app.domain.errors import StoreTooNew
from invigilator_app.domain.private import create_private_file, private_folder
from invigilator_app.store import faults

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, db_path: Path, backup_dir: Path) -> str | None:
    """Bring the store to the newest schema. Returns the backup made, if any."""
    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return None
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise StoreTooNew(
            f"The store {db_path} was written by a newer version of the application "
            f"(schema {current}); this version knows up to {head}. It has not been "
            "changed: install the newer version to open it."
        )
    backup = None
    if current is not None:
        backup = backup_copy(engine, db_path, backup_dir, f"before-{head}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return str(backup) if backup else None


def backup_copy(engine: Engine, db_path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy of the (still encrypted) database file."""
    raw = engine.raw_connection()
    try:
        # Outside any transaction: SQLite refuses a checkpoint inside one.
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # type: ignore[union-attr]
    finally:
        raw.close()
    private_folder(backup_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{db_path.stem}-{stamp}-{label}{db_path.suffix}"
    slots = db_path.parent / "keyslots.json"
    try:
        if slots.exists():
            copy_verified(slots, backup_dir / f"keyslots-{stamp}-{label}.json")
        copy_verified(db_path, target)
    except OSError as exc:
        if faults.is_no_space(exc):
            raise faults.no_space(backup_dir, "No backup was kept and the store was not changed") from None
        raise
    return target


def copy_verified(source: Path, target: Path) -> None:
    """Copy under a temporary name, flush to disk, compare with the source, then rename: a
    file under a backup's name is always whole. A failure leaves nothing behind."""
    part = target.with_name(f".{target.name}.part")
    try:
        create_private_file(part)
        shutil.copyfile(source, part)
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        if _digest(part) != _digest(source):
            raise OSError(f"the copy {part} does not match {source}")
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
