"""An opened store: the engine, its session factory and where its files live."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from invigilator_app.domain.private import make_private
from invigilator_app.store import audit, migrate, wal_check
from invigilator_app.store.engine import make_engine

DB_NAME = "store.db"
SLOTS_NAME = "keyslots.json"
BACKUPS = "backups"


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
        self._factory = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        audit.install(self._factory)

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

    def close(self) -> None:
        """Close every connection and wipe the data key; the engine opens no new connection."""
        self.engine.dispose()
        _wipe(self.key)
        self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed


def _wipe(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))
