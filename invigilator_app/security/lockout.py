"""Throttling wrong passwords: an exponential delay after 5 wrong attempts in a row, and
at most 100 wrong attempts an hour, per account.

The counts live outside the encrypted store (it cannot be read before the unlock they
guard), in ``unlock-attempts.json`` in the data folder. Accounts are keyed by a SHA-256
of the store id and the key slot's owner, so the file names nobody. It is written
atomically. Deleting it does not reset the counts:

- where a secure OS credential store works, each account's count and last failure are
  mirrored there, and the higher of the two is used;
- the key slot file records that the attempt file exists (``unlock_attempts_kept``);
  a missing attempt file after that, a folder or garbage in its place, is tampering:
  every password then waits the maximum delay (15 minutes) from when it was found, and
  the next unlock notes it in the audit trail (``pending_note``). The recovery key is
  not held back by it, so a coordinator can always get in.

The clock is passed in, so tests drive it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.security.credential_store import credential_store_status
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotFile, write_atomically

FILE_NAME = "unlock-attempts.json"
FORMAT = 1
HOUR = 3600.0
MIRROR_SERVICE = "invigilator-app"
MIRROR_ACCOUNTS = 20
"""At most this many accounts (the latest to fail) in the credential-store mirror: Windows
keeps at most 2,560 bytes a secret."""


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
        *,
        slots: SlotFile | None = None,
    ) -> None:
        self.path = data_dir / FILE_NAME
        self.store_id = store_id
        self.clock = clock
        self.policy = policy
        self.slots = slots
        self._mirror_ok: bool | None = None
        self._reset: dict[str, Any] | None = None
        self._restored: str | None = None

    def account(self, owner: str) -> str:
        return hashlib.sha256(f"invigilator-app unlock|{self.store_id}|{owner}".encode()).hexdigest()

    # ---- the file, its mirror and tampering -------------------------------------------------
    def _read_file(self) -> tuple[dict[str, Any] | None, str]:
        """The file's contents, or None and what is wrong ("" when it was never there)."""
        if self.path.is_dir():
            return None, "a folder was in its place"
        if not self.path.exists() and not self.path.is_symlink():
            return None, "it was missing"
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("accounts"), dict):
                raise ValueError("not an attempt file")
            data["accounts"] = {str(k): dict(v) for k, v in data["accounts"].items()}
            return data, ""
        except (OSError, ValueError, TypeError, AttributeError, UnicodeDecodeError):
            return None, "it had been replaced by something unreadable"

    def _mirror_name(self) -> str:
        return f"unlock-attempts:{self.store_id}"

    def _use_mirror(self) -> bool:
        if self._mirror_ok is None:
            self._mirror_ok = credential_store_status().secure
        return self._mirror_ok

    def _read_mirror(self) -> dict[str, dict[str, Any]] | None:
        if not self._use_mirror():
            return None
        try:
            import keyring

            value = keyring.get_password(MIRROR_SERVICE, self._mirror_name())
            if value is None:
                return None
            data = json.loads(value)
            return {str(k): {"consecutive": int(v[0]), "last": float(v[1])} for k, v in data.items()}
        except Exception:  # a failing or odd credential store: the file alone counts
            return None

    def _write_mirror(self, accounts: dict[str, dict[str, Any]]) -> None:
        if not self._use_mirror():
            return
        newest = sorted(accounts.items(), key=lambda kv: -float(kv[1].get("last", 0.0)))[:MIRROR_ACCOUNTS]
        value = json.dumps(
            {k: [int(v.get("consecutive", 0)), round(float(v.get("last", 0.0)))] for k, v in newest},
            separators=(",", ":"),
        )
        try:
            import keyring

            keyring.set_password(MIRROR_SERVICE, self._mirror_name(), value)
        except Exception:
            pass  # the file still holds the counts

    def _state(self) -> dict[str, Any]:
        data, problem = self._read_file()
        mirrored = self._read_mirror()
        if mirrored is not None:
            accounts = data["accounts"] if data is not None else {}
            for key, record in mirrored.items():
                mine = accounts.setdefault(key, {})
                if int(record["consecutive"]) > int(mine.get("consecutive", 0)):
                    mine["consecutive"] = int(record["consecutive"])
                mine["last"] = max(float(mine.get("last", 0.0)), float(record["last"]))
            if data is None:
                data = {"format": FORMAT, "accounts": accounts, "restored": problem}
                problem = ""
        if data is not None:
            return data
        existed = bool(problem) and (
            problem != "it was missing" or (self.slots is not None and self.slots.attempts_kept)
        )
        state: dict[str, Any] = {"format": FORMAT, "accounts": {}}
        if existed:
            state["reset"] = {"at": _now(self.clock), "why": problem}
            self._put(state)
        return state

    def _put(self, state: dict[str, Any]) -> None:
        payload = json.dumps(state, indent=1, sort_keys=True)
        try:
            if self.path.is_dir() and not self.path.is_symlink():
                aside = self.path.with_name(f"{FILE_NAME}.in-the-way-{int(_now(self.clock))}")
                shutil.move(str(self.path), str(aside))
            write_atomically(self.path, payload.encode("utf-8"), prefix=".unlock-attempts-")
        except OSError:
            return  # a read-only data folder (a copy on a stick): the answer to the unlock still stands
        self._write_mirror(state.get("accounts", {}))
        if self.slots is not None and not self.slots.attempts_kept:
            self.slots.attempts_kept = True
            with contextlib.suppress(OSError):
                self.slots.save()

    def _load(self) -> dict[str, dict[str, Any]]:
        state = self._state()
        self._reset = state.get("reset")
        self._restored = state.get("restored")
        return dict(state["accounts"])

    def _save(self, accounts: dict[str, dict[str, Any]]) -> None:
        state: dict[str, Any] = {"format": FORMAT, "accounts": accounts}
        if self._reset is not None:
            state["reset"] = self._reset
        if self._restored:
            state["restored"] = self._restored
        self._put(state)

    def _reset_until(self, owner: str) -> float | None:
        if owner == RECOVERY_OWNER or self._reset is None:
            return None
        return float(self._reset.get("at", 0.0)) + self.policy.max_delay

    def pending_note(self) -> str | None:
        """What the audit trail must note at this unlock: the attempt file found missing or
        replaced (and when), or restored from the credential store; None when nothing."""
        data, _problem = self._read_file()
        if data is None:
            return None
        reset, restored = data.get("reset"), data.get("restored")
        if reset and not reset.get("noted"):
            when = datetime.fromtimestamp(float(reset["at"]), UTC).isoformat(timespec="seconds")
            return (
                f"The record of wrong passwords ({FILE_NAME}) was found at {when}: {reset.get('why')}. "
                f"Every password waited {int(self.policy.max_delay // 60)} minutes from then."
            )
        if restored:
            return f"The record of wrong passwords ({FILE_NAME}) was restored from the OS credential store: {restored}."
        return None

    def clear_reset(self) -> None:
        """After the recovery key opened the store: its holder is in, the penalty ends."""
        data, _problem = self._read_file()
        if data is not None and data.get("reset"):
            data.pop("reset")
            self._reset = None
            self._put(data)

    def mark_noted(self) -> None:
        data, _problem = self._read_file()
        if data is None:
            return
        if data.get("reset"):
            data["reset"]["noted"] = True
        data.pop("restored", None)
        self._put(data)

    def _recent(self, record: dict[str, Any], now: float) -> list[float]:
        return sorted(float(t) for t in record.get("failures", []) if now - float(t) < HOUR)

    def retry_at(self, owner: str) -> datetime | None:
        """When the next attempt for this owner is allowed, if not now."""
        now = _now(self.clock)
        record = self._load().get(self.account(owner)) or {}
        waits = [now]
        tampered = self._reset_until(owner)
        if tampered is not None:
            waits.append(tampered)
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
        if (
            self._reset is not None
            and self._reset_until(owner) is not None
            and float(self._reset_until(owner) or 0) >= until.timestamp() - 1
        ):
            raise Throttled(
                f"The record of wrong passwords ({self.path}) was tampered with ({self._reset.get('why')}): "
                f"every password waits {int(self.policy.max_delay // 60)} minutes; try again in {wait}. "
                "The recovery key still works (`invigilator-app recovery`).",
                until,
            )
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
