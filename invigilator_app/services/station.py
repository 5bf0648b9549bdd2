"""An unlocked station: the open store plus the user acting on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import NotPermitted
from invigilator_app.security.certificates import Signer
from invigilator_app.store import audit, lean
from invigilator_app.store.database import Database
from invigilator_app.store.models import Centre, Meta

Clock = Callable[[], datetime]
STATION_KEY = "station"
"""``session.info`` key of the Station whose write() opened the session."""


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    role: Role


class Station:
    """Handed to every service call. Holds no Qt and no view state."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        clock: Clock = system_clock,
        signer: Signer | None = None,
        centre_key: Any = None,
    ) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.signer = signer
        """The acting user's own key: signs every write (services.trust.keys)."""
        self.centre_key = centre_key
        """The centre's private key, unwrapped from a coordinator's key slot (None for others)."""
        self.warnings: list[str] = []
        """Found at unlock and to be shown at once (a damaged key slot, …)."""
        self.busy_ms: int | None = None
        """How long a write waits for another program's write lock before StoreBusy
        (None: the store's default, 10 s). The GUI waits briefly and retries on a timer."""
        self._audit_head: tuple[int, str] | None = None
        """The audit chain's (entry count, head hash) after this station's last write."""
        with db.session() as session:
            centre = session.scalars(select(Centre)).first()
            self.zone = centre.zone if centre else "Europe/London"
            store_id = session.get(Meta, "store_id")
            self.store_id = store_id.value if store_id is not None else ""

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def require(self, *roles: Role, action: str) -> None:
        if self.actor.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise NotPermitted(f"{self.actor.name} ({self.actor.role.value}) may not {action}: only a {allowed} may.")

    @property
    def locked(self) -> bool:
        return self.db.closed

    def _require_unlocked(self) -> None:
        if self.locked:
            raise NotPermitted("The station is locked: unlock it again with your password.")

    @contextmanager
    def read(self) -> Iterator[Session]:
        self._require_unlocked()
        with self.db.session() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits with its audit entries, or rolls back entirely."""
        self._require_unlocked()
        if self.db.read_only:
            raise NotPermitted(f"{self.actor.name} has read-only access to this store.")
        with self.db.session() as session, session.begin():
            options: dict[str, object] = {"immediate": True}
            if self.busy_ms is not None:
                options["busy_ms"] = self.busy_ms
            session.connection(execution_options=options)
            session.info[STATION_KEY] = self
            yield session
            audit.append_pending(
                session, self.actor.name, self.now(), self.signer, self.store_id, known_head=self._audit_head
            )
        # Committed: the chain's head as this write left it, so the next write need not read it.
        self._audit_head = session.info.get(audit.HEAD_KEY, self._audit_head)

    @contextmanager
    def lean_write(self) -> Iterator[lean.LeanWrite]:
        """A write of new rows straight through the driver (``store.lean``): one transaction,
        each row in the audit chain, signed, committed durably. The caller checks by hand
        what the ORM's flush guards would check for its rows."""
        self._require_unlocked()
        if self.db.read_only:
            raise NotPermitted(f"{self.actor.name} has read-only access to this store.")
        with lean.transaction(self.db, self.busy_ms) as tx:
            yield tx
            head = tx.chain(
                self.actor.name, self.now(), self.signer, self.store_id, self._audit_head, self.db.engine.dialect
            )
        self._audit_head = head

    def lock(self) -> None:
        """Auto-lock: close every connection and wipe the data key in memory. This object
        stays locked for good; ``services.access.reopen`` with the same user's password
        returns a new Station."""
        self.db.close()
        self.signer = None
        self.centre_key = None

    def close(self) -> None:
        self.db.close()
        self.signer = None
        self.centre_key = None
