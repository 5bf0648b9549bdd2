"""Throttling wrong passwords: an exponential delay after 5 wrong attempts in a row, and
at most 100 wrong attempts an hour, per account.

The counts live outside the encrypted store (it cannot be read before the unlock they
guard), in ``unlock-attempts.json`` in the data folder. Accounts are keyed by a SHA-256
of the store id and the key slot's owner, so the file names nobody. It is written
atomically; an unreadable file starts the counts afresh (whoever can replace it can copy
the store and attack it offline anyway, which the Argon2id cost and the station secret
are for). The clock is passed in, so tests drive it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.security.keyslots import write_atomically

FILE_NAME = "unlock-attempts.json"
FORMAT = 1
HOUR = 3600.0


@dataclass(frozen=True)
class LockoutPolicy:
    free_attempts: int = 5
    """Wrong attempts in a row that cost nothing."""
    base_delay: float = 1.0
    """Seconds to wait after the first wrong attempt past the free ones; doubles with each."""
    max_delay: float = 15 * 60.0
    per_hour: int = 100
    """Wrong attempts an hour, whatever the delays."""

    def delay(self, consecutive: int) -> float:
        if consecutive < self.free_attempts:
            return 0.0
        return min(self.max_delay, self.base_delay * 2.0 ** (consecutive - self.free_attempts))


DEFAULT_POLICY = LockoutPolicy()


class Throttled(NotPermitted):
    """Too many wrong passwords: the next try is allowed at ``retry_at`` (exit 5)."""

    def __init__(self, message: str, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


def _now(clock: Callable[[], datetime]) -> float:
    return clock().astimezone(UTC).timestamp()


class AttemptLog:
    """Wrong unlock attempts of one store, per key-slot owner."""

    def __init__(
        self,
        data_dir: Path,
        store_id: str,
        clock: Callable[[], datetime],
        policy: LockoutPolicy = DEFAULT_POLICY,
    ) -> None:
        self.path = data_dir / FILE_NAME
        self.store_id = store_id
        self.clock = clock
        self.policy = policy

    def account(self, owner: str) -> str:
        return hashlib.sha256(f"invigilator-app unlock|{self.store_id}|{owner}".encode()).hexdigest()

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            accounts = data["accounts"] if data.get("format") == FORMAT else {}
            return {str(k): dict(v) for k, v in accounts.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _save(self, accounts: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps({"format": FORMAT, "accounts": accounts}, indent=1, sort_keys=True)
        # A read-only data folder (a copy on a stick): the answer to the unlock still stands.
        with contextlib.suppress(OSError):
            write_atomically(self.path, payload.encode("utf-8"), prefix=".unlock-attempts-")

    def _recent(self, record: dict[str, Any], now: float) -> list[float]:
        return sorted(float(t) for t in record.get("failures", []) if now - float(t) < HOUR)

    def retry_at(self, owner: str) -> datetime | None:
        """When the next attempt for this owner is allowed, if not now."""
        now = _now(self.clock)
        record = self._load().get(self.account(owner))
        if not record:
            return None
        waits = [now]
        consecutive = int(record.get("consecutive", 0))
        last = float(record.get("last", 0.0))
        delay = self.policy.delay(consecutive)
        if delay:
            waits.append(last + delay)
        recent = self._recent(record, now)
        if len(recent) >= self.policy.per_hour:
            waits.append(recent[len(recent) - self.policy.per_hour] + HOUR)
        until = max(waits)
        if until <= now:
            return None
        return datetime.fromtimestamp(math.ceil(until), UTC)

    def check(self, owner: str, who: str) -> None:
        """Throttled (exit 5) while this owner must wait; the password is then not even tried."""
        until = self.retry_at(owner)
        if until is None:
            return
        seconds = max(1, math.ceil((until - self.clock().astimezone(UTC)) / timedelta(seconds=1)))
        wait = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
        raise Throttled(
            f"Too many wrong passwords for {who}: try again in {wait}. "
            "The recovery key still works (`invigilator-app recovery`).",
            until,
        )

    def failed(self, owner: str) -> None:
        now = _now(self.clock)
        accounts = self._load()
        key = self.account(owner)
        record = accounts.get(key, {})
        recent = [*self._recent(record, now), now]
        accounts[key] = {
            "consecutive": int(record.get("consecutive", 0)) + 1,
            "last": now,
            "failures": recent[-self.policy.per_hour :],
        }
        self._save(accounts)

    def succeeded(self, *owners: str) -> None:
        """Forget the wrong attempts of these owners (writes only when there were any)."""
        accounts = self._load()
        keys = [self.account(o) for o in owners if self.account(o) in accounts]
        if not keys:
            return
        for key in keys:
            del accounts[key]
        self._save(accounts)
