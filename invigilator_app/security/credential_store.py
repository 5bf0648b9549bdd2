"""Whether this PC has a secure OS credential store (keyring) for the station secret.

Where there is none (headless Linux, CI, a ``fail``/``null`` backend or a plaintext
``keyrings.alt`` one) the application says so and uses password-only key slots.
It never talks to a credential store over the network.
"""

from __future__ import annotations

from dataclasses import dataclass

INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


@dataclass(frozen=True)
class CredentialStoreStatus:
    secure: bool
    backend: str

    def describe(self, technical: bool = True) -> str:
        """One sentence; ``technical=False`` leaves out the backend's name (for screens people
        read in the exam room; the About box keeps it)."""
        backend = f" ({self.backend})" if technical else ""
        if self.secure:
            return f"The PC's own password safe protects the station{backend}." if not technical else \
                f"OS credential store in use{backend}."
        if not technical:
            return "This PC has no password safe of its own: the records are protected by passwords and the recovery key."
        return (
            "No secure OS credential store on this PC: the store is protected by passwords "
            f"and the recovery key only{backend}."
        )


def credential_store_status() -> CredentialStoreStatus:
    try:
        import keyring
        from keyring.backends import chainer

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring installation must not stop the station
        return CredentialStoreStatus(False, f"unavailable: {exc.__class__.__name__}")
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return CredentialStoreStatus(False, "no backend")
    if name.startswith(INSECURE_MODULES):
        return CredentialStoreStatus(False, name)
    return CredentialStoreStatus(True, name)
