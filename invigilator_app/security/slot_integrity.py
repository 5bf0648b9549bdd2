"""Integrity of the key slot file: damage told apart from a wrong password.

A wrong password and a damaged slot both make AES-GCM refuse to unwrap the data key, so
without more the station could only guess. Two checks settle it:

- ``check`` (in every slot, and one for the file as a whole): SHA-256 over the canonical
  JSON of what it covers. It needs no secret, so it is tested before any key derivation:
  a slot whose check fails is damaged (exit 4, never counted as a wrong password). It
  catches accidental damage: flipped bytes, a bad edit, a truncated copy.
- ``mac`` (in every slot): HMAC-SHA256 under a key derived from the data key, over the
  slot and the store id. Only someone holding the data key can make it, so at every
  unlock the station checks every *other* slot with it (the recovery slot included) and
  warns at once when one was altered, even with its ``check`` recomputed: the day a
  password or the recovery key is needed is too late to find out.

Slots written before these checks existed carry neither; they are taken as they are and
gain both when they are next written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

MAC_CONTEXT = b"invigilator-app key slot mac v1"
SEAL_FIELDS = ("check", "mac")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _body(slot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in slot.items() if k not in SEAL_FIELDS}


def _mac_key(data_key: bytes | bytearray) -> bytes:
    return hmac.new(bytes(data_key), MAC_CONTEXT, hashlib.sha256).digest()


def slot_mac(slot: dict[str, Any], store_id: str, data_key: bytes | bytearray) -> str:
    return hmac.new(
        _mac_key(data_key), _canonical({"store": store_id, "slot": _body(slot)}), hashlib.sha256
    ).hexdigest()


def slot_check(slot: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical({k: v for k, v in slot.items() if k != "check"})).hexdigest()


def seal(slot: dict[str, Any], store_id: str, data_key: bytes | bytearray) -> None:
    """Add the MAC (under the data key) and the check to a slot just made."""
    slot.pop("check", None)
    slot["mac"] = slot_mac(slot, store_id, data_key)
    slot["check"] = slot_check(slot)


def slot_damaged(slot: dict[str, Any]) -> bool:
    """The slot's own check does not match (a slot without one is not judged)."""
    check = slot.get("check")
    return check is not None and not hmac.compare_digest(str(check), slot_check(slot))


def mac_mismatch(slot: dict[str, Any], store_id: str, data_key: bytes | bytearray) -> bool:
    """The slot was not written by a holder of this data key (or was altered since)."""
    mac = slot.get("mac")
    if mac is None:
        return False
    return not hmac.compare_digest(str(mac), slot_mac(slot, store_id, data_key))


def file_check(data: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical({k: v for k, v in data.items() if k != "check"})).hexdigest()


def file_damaged(data: dict[str, Any]) -> bool:
    check = data.get("check")
    return check is not None and not hmac.compare_digest(str(check), file_check(data))


def describe(owner: str) -> str:
    if owner == "recovery":
        return "the recovery key's slot"
    return f"the key slot of {owner.removeprefix('user:')}"
