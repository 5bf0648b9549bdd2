"""Changing a store behind the application's back, as an attacker with the data key would."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from invigilator_app.security.keyslots import SlotFile, user_owner, wipe
from invigilator_app.store.engine import connect
from tests.helpers import PASSWORD


@contextmanager
def raw_store(data_dir: Path, password: str = PASSWORD, user: str = "Sam Coordinator") -> Iterator[Any]:
    """A plain SQLCipher connection with the data key; commits on leaving."""
    key = SlotFile.load(data_dir / "keyslots.json").open(user_owner(user), password.encode("utf-8"))
    conn = connect(data_dir / "store.db", key)
    wipe(key)
    try:
        conn.execute("BEGIN")
        yield conn
        conn.execute("COMMIT")
    finally:
        conn.close()


def copy_store(source: Path, target: Path) -> Path:
    """A copy of the store's files (as a backup or a copy taken off the PC would be)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("store.db", "keyslots.json"):
        shutil.copy2(source / name, target / name)
    return target


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
