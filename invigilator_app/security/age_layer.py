"""The age layer of a key slot: the data key sealed to an owner's X25519 recipient in the
age format (through ``pyrage``), so it can be sealed anew for someone who is not there to
type their password; their age identity is what their password unwraps."""

from __future__ import annotations

import pyrage


class AgeError(ValueError):
    """A sealed key or an identity that age cannot use (damage)."""


def new_identity() -> tuple[bytes, str]:
    """A fresh age identity (its secret text, as bytes) and its public recipient."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity).encode("ascii"), str(identity.to_public())


def seal(data_key: bytes | bytearray, recipient: str) -> bytes:
    try:
        return bytes(pyrage.encrypt(bytes(data_key), [pyrage.x25519.Recipient.from_str(recipient)]))
    except Exception as exc:  # pyrage raises its own error types
        raise AgeError(f"age cannot seal to {recipient!r}: {exc}") from None


def open_sealed(sealed: bytes, identity: bytes) -> bytes:
    try:
        return bytes(pyrage.decrypt(sealed, [pyrage.x25519.Identity.from_str(identity.decode("ascii"))]))
    except Exception as exc:
        raise AgeError(f"age cannot open the sealed key: {exc}") from None
