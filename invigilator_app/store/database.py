"""An opened store: the engine, its session factory and where its files live."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.domain.private import make_private
from invigilator_app.store import audit, id_ranges, migrate, wal_check
from invigilator_app.store.engine import connect, make_engine

DB_NAME = "store.db"
SLOTS_NAME = "keyslots.json"
BACKUPS = "backups"
ROLE_META = "store_role"
"""``store_meta`` row: "hub" or "station" in a centre with several rooms (absent: one PC)."""
ROLE_INFO = "centre_role"
"""``Session.info`` key of the store's role (None: a single-PC centre)."""


@dataclass(frozen=True)
class StorePaths:
    data_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def slots(self) -> Path:
        return self.data_dir / SLOTS_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / BACKUPS

    def exists(self) -> bool:
        return self.db.exists() or self.slots.exists()

    def make_private(self) -> None:
        """The data folder 0700 and the store's files 0600 (POSIX), also for a store made by
        an older version; the station's own files only, never anything else in the folder."""
        make_private(self.data_dir)
        for path in (
            self.db,
            self.slots,
            self.db.with_name(DB_NAME + "-wal"),
            self.db.with_name(DB_NAME + "-shm"),
            self.data_dir / "unlock-attempts.json",
            self.backups,
        ):
            make_private(path)
        if self.backups.is_dir():
            for path in self.backups.iterdir():
                make_private(path)


class Database:
    def __init__(
        self, paths: StorePaths, engine: Engine, read_only: bool = False, key: bytearray | None = None
    ) -> None:
        self.paths = paths
        self.engine = engine
        self.read_only = read_only
        self.key = key if key is not None else bytearray()
        """The data key the engine connects with (wiped by close()); services wrap it into new key slots."""
        self._closed = False
        self.id_range, self.centre_role = self._read_centre(engine)
        """This store's id range in a centre of several rooms (``store.id_ranges``) and its
        role there ("hub" or "station"), or None for a single-PC centre."""
        info: dict[str, object] = {ROLE_INFO: self.centre_role}
        if self.id_range is not None:
            info[id_ranges.INFO_KEY] = self.id_range
        self._writer: Any = None
        self._writer_info: dict[str, object] = {}
        self._writer_lock = threading.Lock()
        self._factory = sessionmaker(engine, expire_on_commit=False, autoflush=True, info=info)
        id_ranges.install(self._factory)
        audit.install(self._factory)

    @staticmethod
    def _read_centre(engine: Engine) -> tuple[tuple[int, int] | None, str | None]:
        with engine.connect() as conn:
            span = id_ranges.read(conn)
            try:
                row = conn.exec_driver_sql("SELECT value FROM store_meta WHERE key = ?", (ROLE_META,)).first()
            except Exception:  # a store before its tables exist
                row = None
        return span, (str(row[0]) if row is not None else None)

    def set_centre_role(self, role: str, span: tuple[int, int]) -> None:
        """Become a hub (at the first enrolment): new ids from ``span`` from now on."""
        self.id_range, self.centre_role = span, role
        info = self._factory.kw.setdefault("info", {})
        info[id_ranges.INFO_KEY] = span
        info[ROLE_INFO] = role

    @classmethod
    def open(
        cls, paths: StorePaths, key: bytes | bytearray, *, read_only: bool = False, create: bool = False
    ) -> Database:
        """Open (and migrate) the store at paths with the data key; ``create`` only for init.

        The Database keeps its own copy of the key, wiped when it is closed."""
        if not create:
            wal_check.check_before_open(paths.db)  # before any connection could replay or checkpoint it
        held = bytearray(key)
        paths.make_private()
        engine = make_engine(paths.db, held, create=create)
        try:
            if not read_only or migrate.current_revision(engine) != migrate.head_revision():
                migrate.upgrade(engine, paths.db, paths.backups)
        except BaseException:
            engine.dispose()
            _wipe(held)
            raise
        if read_only:
            engine.dispose()
            engine = make_engine(paths.db, held, read_only=True)
        paths.make_private()
        return cls(paths, engine, read_only, held)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._factory() as session:
            yield session

    @contextmanager
    def writer(self) -> Iterator[tuple[Any, dict[str, object]]]:
        """The connection ``store.lean`` writes on, with what it keeps of its settings: one
        plain driver connection of this store (same key and pragmas as the engine's), made
        at the first lean write and kept until close; one thread uses it at a time. A
        connection left inside a transaction (its ROLLBACK failed too) is closed, never used
        again: it would hold the store's write lock."""
        with self._writer_lock:
            if self._closed:
                raise NotPermitted("The station is locked: unlock it again with your password.")
            if self.read_only:
                raise NotPermitted("This store is open read-only: nothing can be written.")
            if self._writer is None:
                self._writer = connect(self.paths.db, self.key)
                self._writer.isolation_level = None  # BEGIN and COMMIT are the writer's own
                self._writer_info = {}
            try:
                yield self._writer, self._writer_info
            finally:
                if self._writer.in_transaction:
                    self._close_writer()

    def _close_writer(self) -> None:
        with suppress(Exception):  # closing is all that is left to do with it
            self._writer.close()
        self._writer = None

    def close(self) -> None:
        """Close every connection and wipe the data key; the engine opens no new connection."""
        with self._writer_lock:
            self._closed = True  # no writer is made from here on, in any thread
            if self._writer is not None:
                self._close_writer()
        self.engine.dispose()
        _wipe(self.key)

    @property
    def closed(self) -> bool:
        return self._closed


def _wipe(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))
