"""Key slots: the store's random data key, wrapped once per password and once for the
recovery key.

Each slot wraps the 256-bit data key with AES-256-GCM under a key derived from the
secret with Argon2id. The GCM associated data binds the store id and the slot's owner,
so a slot cannot be moved to another store or another user. Changing a password
rewrites only its slot, never the database. The slot file is written atomically.

A password slot may also mix in the station secret (``security.station_secret``) kept in
the OS credential store: the Argon2id input is then HMAC-SHA256(secret, password), so a
copied database and slot file cannot be attacked offline without that PC's credential
store. Such a slot carries ``"station_secret": true`` and the secret's short id; slots
without the flag (older ones, the recovery slot, PCs without a secure credential store)
take the password alone.

A slot written by this version holds the data key in two layers (``age_layer``): the data
key is sealed to the owner's age X25519 recipient (``"age"``: recipient and sealed key),
and ``wrapped_key`` wraps the owner's age identity under the password-derived key. So the
data key can be sealed anew for every owner without their password (a key rotation,
``services.key_rotation``). Older slots (``wrapped_key`` wraps the data key itself) still
open, and are rewritten in the new form at their owner's next unlock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from invigilator_app.domain.errors import BadInput, NotPermitted, StoreDamaged, WrongPassword
from invigilator_app.security import age_layer, slot_integrity

SLOT_FORMAT = 1
DATA_KEY_BYTES = 32
RECOVERY_OWNER = "recovery"
STATION_SECRET_CONTEXT = b"invigilator-app station secret v1\x00"


class SlotDamaged(StoreDamaged):
    """A slot's own integrity check fails: damage, not a wrong password (never counted as one)."""

    def __init__(self, owner: str, message: str) -> None:
        super().__init__(message)
        self.owner = owner


class StationSecretNeeded(WrongPassword):
    """The slot was made with the station secret, which is not at hand (or is another one)."""

    def __init__(self, owner: str, message: str = "") -> None:
        super().__init__(message or f"The key slot of {owner} needs this PC's station secret.")
        self.owner = owner


@dataclass(frozen=True)
class KdfCost:
    time_cost: int
    memory_kib: int
    parallelism: int = 1

    def below(self, floor: KdfCost) -> bool:
        return self.memory_kib < floor.memory_kib or self.time_cost < floor.time_cost


# About 0.5-1 s on a 2-core PC.
PRODUCTION_COST = KdfCost(time_cost=6, memory_kib=64 * 1024, parallelism=1)
# The least a slot may name to be opened (OWASP's Argon2id minimum): a slot written cheaper,
# by an older build or by someone who edited the file, is refused.
MINIMUM_COST = KdfCost(time_cost=2, memory_kib=19 * 1024, parallelism=1)
# Only for the test suite, which installs it by patching ``kdf_policy`` (tests/kdf.py).
TEST_COST = KdfCost(time_cost=1, memory_kib=64, parallelism=1)


def kdf_policy() -> tuple[KdfCost, KdfCost]:
    """The cost new slots are written with and the floor a slot must meet to be opened.
    Nothing a user can set (no environment variable, no setting) changes it."""
    return PRODUCTION_COST, MINIMUM_COST


def current_cost() -> KdfCost:
    return kdf_policy()[0]


class WeakSlot(NotPermitted):
    """A key slot names a key-derivation cost below the floor: it is refused, never tried."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def derive(secret: bytes, salt: bytes, cost: KdfCost) -> bytes:
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def mix_station_secret(secret: bytes, station_secret: bytes) -> bytes:
    """The Argon2id input of a slot that needs the station secret as well as the password."""
    return hmac.new(bytes(station_secret), STATION_SECRET_CONTEXT + bytes(secret), hashlib.sha256).digest()


def station_secret_id(station_secret: bytes) -> str:
    """A short public name of a station secret, so a slot can tell "another secret" from a wrong password."""
    return hmac.new(bytes(station_secret), b"invigilator-app station secret id", hashlib.sha256).hexdigest()[:16]


def user_owner(name: str) -> str:
    return f"user:{name.casefold()}"


class SlotFile:
    """The JSON file of key slots that sits beside the database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store_id = ""
        self.slots: dict[str, dict[str, Any]] = {}
        self.attempts_kept = False
        """The unlock-attempt file (``security.lockout``) has existed: its absence is then tampering."""
        self.file_damaged = False
        """The file's own integrity check failed when it was loaded (``security.slot_integrity``)."""

    @classmethod
    def create(cls, path: Path, store_id: str) -> SlotFile:
        slot_file = cls(path)
        slot_file.store_id = store_id
        return slot_file

    @classmethod
    def load(cls, path: Path) -> SlotFile:
        slot_file = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise TypeError("not a JSON object")
            if data.get("format") != SLOT_FORMAT:
                raise BadInput(
                    f"{path}: key slot format {data.get('format')!r} is not supported "
                    "by this version of the application"
                )
            slot_file.store_id = str(data["store_id"])
            slot_file.slots = {str(s["owner"]): dict(s) for s in data["slots"]}
            slot_file.attempts_kept = data.get("unlock_attempts_kept") is True
            slot_file.file_damaged = slot_integrity.file_damaged(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreDamaged(
                f"The key slot file {path} cannot be read ({exc.__class__.__name__}). "
                "It has not been changed. Restore it from a backup."
            ) from None
        return slot_file

    def owners(self) -> list[str]:
        return sorted(self.slots)

    def _aad(self, owner: str, bound_to: str | None = None) -> bytes:
        return f"invigilator-app slot v{SLOT_FORMAT}|{bound_to or self.store_id}|{owner}".encode()

    def _bound(self, owner: str) -> str | None:
        """The store a travelling slot's password layer was made in (``bound_to``), or None."""
        value = self.slots.get(owner, {}).get("bound_to")
        return str(value) if value else None

    def travelling(self, owner: str) -> dict[str, Any] | None:
        """A copy of an owner's slot that can travel to the centre's stations: the password
        layer (their age identity and signing key, wrapped under their password, bound to
        this store) without the data key, the integrity check or the centre key. None when
        the slot cannot travel: of the older kind, or made with this PC's station secret."""
        slot = self.slots.get(owner)
        if slot is None or not self.is_age(owner) or self.needs_station_secret(owner):
            return None
        extras = {k: v for k, v in dict(slot.get("extras") or {}).items() if k != "centre_key"}
        copy: dict[str, Any] = {
            "owner": owner,
            "kdf": dict(slot["kdf"]),
            "nonce": slot["nonce"],
            "wrapped_key": slot["wrapped_key"],
            "recipient": slot["age"]["recipient"],
            "bound_to": self._bound(owner) or self.store_id,
        }
        if extras:
            copy["extras"] = extras
        return copy

    def put_travelling(self, travelling: dict[str, Any], data_key: bytes | bytearray) -> None:
        """Take in a slot that travelled from the hub: this store's data key sealed to the
        owner's recipient, so their usual password opens it here."""
        owner = str(travelling["owner"])
        slot: dict[str, Any] = {
            "owner": owner,
            "kdf": dict(travelling["kdf"]),
            "nonce": travelling["nonce"],
            "wrapped_key": travelling["wrapped_key"],
            "bound_to": travelling["bound_to"],
            "age": {
                "recipient": travelling["recipient"],
                "sealed_key": _b64(age_layer.seal(data_key, str(travelling["recipient"]))),
            },
        }
        if travelling.get("extras"):
            slot["extras"] = dict(travelling["extras"])
        slot_integrity.seal(slot, self.store_id, data_key)
        self.slots[owner] = slot

    def put(
        self,
        owner: str,
        secret: bytes,
        data_key: bytes | bytearray,
        *,
        station_secret: bytes | None = None,
        extras: dict[str, bytes] | None = None,
    ) -> None:
        """Wrap the data key for an owner (adds or replaces that owner's slot only).

        With ``station_secret`` the slot needs it as well as ``secret`` to open. ``extras``
        (the owner's private keys) are wrapped under the same password-derived key."""
        cost = current_cost()
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        if station_secret is not None:
            secret = mix_station_secret(secret, station_secret)
        kek = derive(secret, salt, cost)
        identity, recipient = age_layer.new_identity()
        wrapped = AESGCM(kek).encrypt(nonce, identity, self._aad(owner))
        slot: dict[str, Any] = {
            "owner": owner,
            "kdf": {"name": "argon2id", "salt": _b64(salt), **asdict(cost)},
            "nonce": _b64(nonce),
            "wrapped_key": _b64(wrapped),
            "age": {"recipient": recipient, "sealed_key": _b64(age_layer.seal(data_key, recipient))},
        }
        if station_secret is not None:
            slot["station_secret"] = True
            slot["station_secret_id"] = station_secret_id(station_secret)
        if extras:
            slot["extras"] = {name: self._seal_extra(kek, owner, name, value) for name, value in sorted(extras.items())}
        slot_integrity.seal(slot, self.store_id, data_key)
        self.slots[owner] = slot

    def _extra_key(self, kek: bytes, owner: str, name: str, bound_to: str | None = None) -> tuple[bytes, bytes]:
        key = hashlib.sha256(b"invigilator-app slot extra\x00" + kek + name.encode()).digest()
        return key, self._aad(owner, bound_to) + f"|extra:{name}".encode()

    def _seal_extra(self, kek: bytes, owner: str, name: str, value: bytes) -> dict[str, str]:
        key, aad = self._extra_key(kek, owner, name)
        nonce = secrets.token_bytes(12)
        return {"nonce": _b64(nonce), "wrapped": _b64(AESGCM(key).encrypt(nonce, bytes(value), aad))}

    def open_with_extras(
        self, owner: str, secret: bytes, *, station_secret: bytes | None = None
    ) -> tuple[bytearray, dict[str, bytes]]:
        """The data key and the owner's wrapped extras (their private keys), from one key derivation."""
        key, kek = self._unwrap(owner, secret, station_secret=station_secret)
        extras: dict[str, bytes] = {}
        for name, sealed in dict(self.slots[owner].get("extras") or {}).items():
            extra_key, aad = self._extra_key(kek, owner, name, self._bound(owner))
            try:
                extras[name] = AESGCM(extra_key).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["wrapped"]), aad)
            except (InvalidTag, KeyError, ValueError, TypeError):
                raise StoreDamaged(f"The key slot for {owner} in {self.path} is damaged ({name}).") from None
        return key, extras

    def needs_station_secret(self, owner: str) -> bool:
        slot = self.slots.get(owner)
        return bool(slot and slot.get("station_secret") is True)

    def remove(self, owner: str) -> None:
        self.slots.pop(owner, None)

    def open(self, owner: str, secret: bytes, *, station_secret: bytes | None = None) -> bytearray:
        """Unwrap the data key; WrongPassword if the secret does not fit the slot.

        A slot made with the station secret raises StationSecretNeeded (before any key
        derivation) when ``station_secret`` is missing or is not the one it was made with;
        a slot without it ignores ``station_secret``."""
        return self._unwrap(owner, secret, station_secret=station_secret)[0]

    def _unwrap(self, owner: str, secret: bytes, *, station_secret: bytes | None = None) -> tuple[bytearray, bytes]:
        slot = self.slots.get(owner)
        if slot is None:
            raise WrongPassword("Unknown user or wrong password.")
        if slot_integrity.slot_damaged(slot):
            raise SlotDamaged(
                owner,
                f"{slot_integrity.describe(owner).capitalize()} in {self.path} is damaged (its "
                "integrity check fails), so it cannot be tried; this is not counted as a wrong "
                "password. Unlock with the recovery key (`invigilator-app recovery`), or have "
                "a coordinator set a new password (`users passwd`); backups are in "
                f"{self.path.parent / 'backups'}.",
            )
        if self.needs_station_secret(owner):
            if station_secret is None or station_secret_id(station_secret) != slot.get("station_secret_id"):
                raise StationSecretNeeded(owner)
            secret = mix_station_secret(secret, station_secret)
        try:
            kdf = slot["kdf"]
            cost = KdfCost(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"]))
        except (KeyError, ValueError, TypeError):
            raise SlotDamaged(owner, f"The key slot for {owner} in {self.path} is damaged.") from None
        floor = kdf_policy()[1]
        if cost.below(floor):
            raise WeakSlot(
                f"The key slot for {owner.removeprefix('user:')} in {self.path} was written with a key-derivation "
                f"cost of {cost.memory_kib // 1024} MiB / {cost.time_cost} pass(es), below this station's floor of "
                f"{floor.memory_kib // 1024} MiB / {floor.time_cost} passes, so it is refused: a password behind it "
                "could be guessed offline far too cheaply. Unlock with the recovery key "
                "(`invigilator-app recovery`) and set the password again."
            )
        try:
            kek = derive(secret, _unb64(kdf["salt"]), cost)
            key = AESGCM(kek).decrypt(
                _unb64(slot["nonce"]), _unb64(slot["wrapped_key"]), self._aad(owner, self._bound(owner))
            )
        except InvalidTag:
            raise WrongPassword("Unknown user or wrong password.") from None
        except (KeyError, ValueError, TypeError):
            raise SlotDamaged(owner, f"The key slot for {owner} in {self.path} is damaged.") from None
        if self.is_age(owner):  # ``key`` is the owner's age identity: the data key is sealed to it
            try:
                key = age_layer.open_sealed(_unb64(slot["age"]["sealed_key"]), key)
            except (age_layer.AgeError, KeyError, ValueError, TypeError):
                raise SlotDamaged(owner, f"The key slot for {owner} in {self.path} is damaged (age).") from None
        return bytearray(key), kek

    def is_age(self, owner: str) -> bool:
        """The slot seals the data key to its owner's age recipient (it can be re-sealed without them)."""
        slot = self.slots.get(owner)
        return bool(slot and isinstance(slot.get("age"), dict))

    def resealed(self, path: Path, data_key: bytes | bytearray, drop: set[str]) -> tuple[SlotFile, list[str]]:
        """A copy of this file at ``path`` with the data key ``data_key`` sealed anew to every
        age slot's recipient, without ``drop``; also returns the owners left out because
        their slot is of the older kind (only their password could wrap the new key)."""
        fresh = SlotFile.create(path, self.store_id)
        fresh.attempts_kept = self.attempts_kept
        left_out = []
        for owner, slot in self.slots.items():
            if owner in drop:
                continue
            if not self.is_age(owner):
                left_out.append(owner)
                continue
            copy = json.loads(json.dumps(slot))
            recipient = str(copy["age"]["recipient"])
            copy["age"] = {"recipient": recipient, "sealed_key": _b64(age_layer.seal(data_key, recipient))}
            slot_integrity.seal(copy, self.store_id, data_key)
            fresh.slots[owner] = copy
        return fresh, sorted(left_out)

    def save(self) -> None:
        """Write atomically: temp file in the same folder, fsync, rename over."""
        data = {
            "format": SLOT_FORMAT,
            "store_id": self.store_id,
            "slots": [self.slots[o] for o in sorted(self.slots)],
        }
        if self.attempts_kept:
            data["unlock_attempts_kept"] = True
        data["check"] = slot_integrity.file_check(data)
        payload = json.dumps(data, indent=1, sort_keys=True).encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, payload, prefix=".keyslots-")


def write_atomically(path: Path, payload: bytes, *, prefix: str) -> None:
    """Temp file in the same folder, fsync, rename over: a reader sees the old or the new file."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def new_data_key() -> bytearray:
    return bytearray(secrets.token_bytes(DATA_KEY_BYTES))


def wipe(buffer: bytearray) -> None:
    """Overwrite a key in memory, as far as Python allows."""
    for i in range(len(buffer)):
        buffer[i] = 0
