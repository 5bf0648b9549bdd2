"""The station secret: 256 random bits per store, kept in the OS credential store
(keyring service ``invigilator-app``, user name = the store id) and mixed into every
password key slot made on this PC (see ``security.keyslots``).

Only a secure credential store is used: where there is none (headless Linux, CI, the
``fail`` or ``null`` backend, a plaintext ``keyrings.alt`` one) ``lookup`` says why and
new slots take the password alone. Nothing here ever deletes or replaces a secret that
exists, and the secret is never written anywhere else; a missing or unreadable secret
only means that the slots made with it need the recovery key.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from invigilator_app.security.credential_store import credential_store_status

SERVICE = "invigilator-app"
SECRET_BYTES = 32


@dataclass(frozen=True)
class SecretLookup:
    secret: bytes | None
    available: bool
    """A secure credential store answered (the secret may still be absent)."""
    problem: str = ""
    """Why there is no secret: a clause for the user ("this PC has no secure …")."""
    readable: bool = True
    """False when an entry exists but is not a station secret: it is left alone."""


def lookup(store_id: str) -> SecretLookup:
    """The station secret of this store from the OS credential store, if there is one."""
    status = credential_store_status()
    if not status.secure:
        return SecretLookup(None, False, f"this PC has no secure OS credential store ({status.backend})")
    try:
        import keyring

        value = keyring.get_password(SERVICE, store_id)
    except Exception as exc:  # any backend failure: fall back, never stop the station
        return SecretLookup(None, False, f"the OS credential store could not be read ({exc.__class__.__name__})")
    if value is None:
        return SecretLookup(None, True, "the OS credential store holds no station secret for this store")
    try:
        secret = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        secret = b""
    if len(secret) != SECRET_BYTES:
        return SecretLookup(None, True, "the station secret in the OS credential store is not readable", readable=False)
    return SecretLookup(secret, True)


def for_new_slot(store_id: str) -> SecretLookup:
    """The secret to mix into a password slot being written now.

    The existing secret; or, where a secure credential store answers and holds none, a
    new one, stored and read back before it is used. ``secret`` is None where no secure
    store works (the slot then takes the password alone, and ``problem`` says why).
    """
    found = lookup(store_id)
    if found.secret is not None or not found.available or not found.readable:
        return found
    value = base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")
    try:
        import keyring

        keyring.set_password(SERVICE, store_id, value)
        stored = keyring.get_password(SERVICE, store_id)
    except Exception as exc:
        return SecretLookup(
            None, False, f"the OS credential store could not keep the station secret ({exc.__class__.__name__})"
        )
    if stored != value:
        return SecretLookup(None, False, "the OS credential store did not keep the station secret")
    return lookup(store_id)
