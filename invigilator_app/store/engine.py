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

from invigilator_app.domain.errors import NotPermitted, StoreDamaged
from invigilator_app.domain.private import create_private_file
from invigilator_app.store import faults

SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
BUSY_WAIT_MS = 10_000
"""How long a transaction waits for another writer by default (the command line)."""

CONNECTION_PRAGMAS = (
    "PRAGMA cipher_log_level = NONE",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -65536",  # 64 MiB of decrypted pages: history look-ups stay in memory
)


def _key_pragma(key: bytes | bytearray) -> str:
    if len(key) != 32:
        raise ValueError("the data key must be 32 bytes")
    return f"PRAGMA key = \"x'{bytes(key).hex()}'\""


def connect(path: Path, key: bytes | bytearray, *, read_only: bool = False, create: bool = False) -> Any:
    """A raw sqlcipher3 connection with the key and pragmas set, checked readable.

    Without ``create`` the file must exist: SQLite never silently makes a new, empty store.
    """
    if not create and (not path.exists() or path.stat().st_size == 0):
        raise StoreDamaged(
            f"The store {path} is missing or empty although its key slots exist. Nothing was "
            f"created or changed; restore it from the backups in {path.parent / 'backups'}."
        )
    mode = "rwc" if create else "rw"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlcipher.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_WAIT_MS / 1000)
    except sqlcipher.DatabaseError as exc:
        if faults.translate(exc, path) is not None:
            raise faults.translate(exc, path) from None
        raise StoreDamaged(f"The store {path} cannot be opened: {exc}.") from None
    try:
        conn.execute(_key_pragma(key))
        for pragma in CONNECTION_PRAGMAS:
            conn.execute(pragma).fetchall()
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        if faults.translate(exc, path) is not None:
            raise faults.translate(exc, path) from None
        raise StoreDamaged(
            f"The store {path} is damaged and cannot be read ({exc}). It has not been changed; "
            f"backups are in {path.parent / 'backups'}."
        ) from None
    return conn


def store_error(path: Path, original: BaseException, waited_ms: int | None = None) -> Exception | None:
    """What a driver error means to the user (damaged store, another writer, a full disk),
    or None for an error the caller reports as it is. ``waited_ms``: the busy wait set."""
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StoreDamaged(
            f"The store {path} is damaged ({original}). It has not been changed; "
            f"backups are in {path.parent / 'backups'}."
        )
    if faults.is_busy(original):
        return faults.busy(path, waited_ms or BUSY_WAIT_MS)
    if faults.is_no_space(original) or (faults.is_io_error(original) and faults.disk_refuses_writes(path.parent)):
        return faults.no_space(path)
    return None


def make_engine(path: Path, key: bytes | bytearray, *, read_only: bool = False, create: bool = False) -> Engine:
    """An engine whose connections use the data key.

    A ``bytearray`` key is used by reference, so whoever owns it can wipe it (the
    ``Database`` does when it is closed or the station locked); after that the engine
    refuses new connections instead of reading the store with a zeroed key.
    """
    key_ref = key if isinstance(key, bytearray) else bytearray(key)
    if create:
        create_private_file(path)  # 0600 before SQLite writes a page; its WAL and -shm take the same mode
        connect(path, key_ref, create=True).close()

    def creator() -> Any:
        if not any(key_ref):
            raise NotPermitted("The station is locked: unlock it again with your password.")
        return connect(path, key_ref, read_only=read_only)

    engine = create_engine(
        "sqlite://",
        creator=creator,
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
        # Writers take the write lock up front (no lock upgrade half-way); readers never wait for it.
        # How long a writer waits for another one is per transaction ("busy_ms"): the GUI
        # waits briefly and retries on a timer, so its window never freezes.
        options = conn.get_execution_options()
        immediate = options.get("immediate", False) and not read_only
        wait = int(options.get("busy_ms") or BUSY_WAIT_MS)
        if conn.info.get("busy_timeout") != wait:  # kept by the connection: set again only when it changes
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {wait}")
            conn.info["busy_timeout"] = wait
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _damaged(ctx: Any) -> None:
        waited = ctx.connection.get_execution_options().get("busy_ms") if ctx.connection is not None else None
        found = store_error(path, ctx.original_exception, waited)
        if found is not None:
            raise found from None

    return engine
