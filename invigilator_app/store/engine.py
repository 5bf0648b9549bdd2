"""Opening the SQLCipher database through SQLAlchemy.

Every connection sets the raw key first (so SQLCipher's own KDF never runs), then
WAL, synchronous=FULL, in-memory temp storage, foreign keys, and silences SQLCipher's
log. The engine uses the plain ``sqlite://`` URL with a ``creator``: combining a
``creator`` with a ``sqlite+pysqlcipher://`` URL would send an empty key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from invigilator_app.domain.errors import StoreDamaged

CONNECTION_PRAGMAS = (
    "PRAGMA cipher_log_level = NONE",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
)


def _key_pragma(key: bytes | bytearray) -> str:
    if len(key) != 32:
        raise ValueError("the data key must be 32 bytes")
    return f"PRAGMA key = \"x'{bytes(key).hex()}'\""


def connect(path: Path, key: bytes | bytearray, *, read_only: bool = False) -> Any:
    """A raw sqlcipher3 connection with the key and pragmas set, checked readable."""
    conn = sqlcipher.connect(str(path), check_same_thread=False, timeout=10)
    try:
        conn.execute(_key_pragma(key))
        for pragma in CONNECTION_PRAGMAS:
            conn.execute(pragma).fetchall()
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        raise StoreDamaged(
            f"The store {path} cannot be read: {exc}. It has not been changed; "
            f"backups are in {path.parent / 'backups'}."
        ) from None
    return conn


def make_engine(path: Path, key: bytes | bytearray, *, read_only: bool = False) -> Engine:
    key_copy = bytes(key)
    engine = create_engine(
        "sqlite://",
        creator=lambda: connect(path, key_copy, read_only=read_only),
        module=sqlcipher,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself, so transactions span reads and writes.
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if not read_only else "BEGIN")

    return engine
