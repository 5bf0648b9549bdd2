"""Whether this PC has a secure OS credential store (keyring) for the station secret.

Where there is none (headless Linux, CI, a ``fail``/``null`` backend or a plaintext
``keyrings.alt`` one) the application says so and uses password-only key slots.
A chaining backend is judged by every backend it would use: one plaintext or failing
backend in the chain makes the whole store "not secure", since a secret written through
the chain may land in it. Each backend is asked once for an entry that does not exist
(a read, never a write), so a backend that fails is found before a secret depends on it.
It never talks to a credential store over the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
PROBE = ("invigilator-app", "credential-store-probe")


@dataclass(frozen=True)
class CredentialStoreStatus:
    secure: bool
    backend: str

    def describe(self, technical: bool = True) -> str:
        """One sentence; ``technical=False`` leaves out the backend's name (for screens people
        read in the exam room; the About box keeps it)."""
        backend = f" ({self.backend})" if technical else ""
        if self.secure:
            return (
                f"The PC's own password safe protects the station{backend}."
                if not technical
                else f"OS credential store in use{backend}."
            )
        if not technical:
            return (
                "This PC has no password safe of its own: the records are protected by passwords and the recovery key."
            )
        return (
            "No secure OS credential store on this PC: the store is protected by passwords "
            f"and the recovery key only{backend}."
        )


def _name(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _problem(backend: Any) -> str | None:
    """Why one backend cannot hold the station secret, or None."""
    name = _name(backend)
    if name.startswith(INSECURE_MODULES):
        return f"{name} is not secure"
    try:
        backend.get_password(*PROBE)
    except Exception as exc:  # a locked or crashed keyring daemon, a misconfigured backend
        return f"{name} fails ({exc.__class__.__name__})"
    return None


def credential_store_status() -> CredentialStoreStatus:
    try:
        import keyring
        from keyring.backends import chainer

        backend = keyring.get_keyring()
        if isinstance(backend, chainer.ChainerBackend):
            members = list(backend.backends)
            if not members:
                return CredentialStoreStatus(False, "no backend")
        else:
            members = [backend]
    except Exception as exc:  # a broken keyring installation must not stop the station
        return CredentialStoreStatus(False, f"unavailable: {exc.__class__.__name__}")
    problems = [p for p in map(_problem, members) if p]
    if problems:
        return CredentialStoreStatus(False, "; ".join(problems))
    return CredentialStoreStatus(True, ", ".join(_name(m) for m in members))
