"""Keyrings for the security tests: an in-memory secure one, one that fails on every call,
and a stand-in for the plaintext ``keyrings.alt`` file backend. Each is installed with
``keyring.set_keyring`` for one test and the previous backend put back afterwards; the
real OS keyring is never reached (conftest sets PYTHON_KEYRING_BACKEND to the null one)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A secure credential store held in a dict (priority > 0, so keyring accepts it)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.writes = 0
        self.deletes = 0

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.deletes += 1
        if self.values.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class BrokenKeyring(MemoryKeyring):
    """A credential store whose every call fails (a locked or crashed keyring daemon)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("the keyring daemon did not answer")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        raise KeyringError("the keyring daemon did not answer")


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's plaintext file backend, which must never hold a secret."""


PlaintextKeyring.__module__ = "keyrings.alt.file"
# Installed by hand only: keyring registers every backend class it sees, and would otherwise
# chain these into its default backend for the rest of the test run.
KeyringBackend._classes.difference_update({MemoryKeyring, BrokenKeyring, PlaintextKeyring})  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def no_keyring_left_behind() -> Iterator[None]:
    """Every test here starts and ends on the null backend: no test's keyring leaks into another."""
    assert type(keyring.get_keyring()).__module__ == "keyring.backends.null"
    yield
    assert type(keyring.get_keyring()).__module__ == "keyring.backends.null"


@pytest.fixture
def use_keyring() -> Iterator[object]:
    """Call with a backend instance to install it for this test."""
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(use_keyring) -> MemoryKeyring:
    return use_keyring(MemoryKeyring())
