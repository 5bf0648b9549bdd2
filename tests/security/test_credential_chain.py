"""A chaining keyring is only as secure as every backend it would use.

The attack: a keyring that chains a plaintext ``keyrings.alt`` backend (or one that fails)
was reported as a secure credential store, so the station secret could be written in
plain text beside the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends.chainer import ChainerBackend

from invigilator_app.security.credential_store import credential_store_status
from invigilator_app.services.access import credential_store_note
from tests.helpers import cli, init_store
from tests.security.conftest import BrokenKeyring, MemoryKeyring, PlaintextKeyring


class FixedChain(ChainerBackend):
    """A chainer over the given backends (keyring's own would collect every installed one)."""

    def __init__(self, *members: object) -> None:
        super().__init__()
        self._members = list(members)

    @property
    def backends(self):
        return self._members


ChainerBackend._classes.discard(FixedChain)  # type: ignore[attr-defined]


@pytest.mark.parametrize("weak", [PlaintextKeyring, BrokenKeyring], ids=["plaintext", "failing"])
def test_a_chain_with_one_plaintext_or_failing_backend_is_not_secure(tmp_path: Path, use_keyring, weak) -> None:
    secure, bad = MemoryKeyring(), weak()
    use_keyring(FixedChain(secure, bad))
    status = credential_store_status()
    assert not status.secure
    assert ("not secure" if weak is PlaintextKeyring else "fails") in status.backend
    data_dir = tmp_path / "store"
    res = cli(
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "Northgate Training Centre",
        "--centre-number",
        "IMI-40213",
        "--coordinator",
        "Sam Coordinator",
        "--password-stdin",
        stdin="correct horse battery staple\n",
    )
    assert res.code == 0, res.err
    assert "No secure OS credential store" in res.err
    assert secure.values == {} and bad.values == {}, "no station secret written anywhere in the chain"
    assert "No secure" in credential_store_note(data_dir)


def test_a_chain_of_secure_backends_is_secure_and_names_them(use_keyring, tmp_path: Path) -> None:
    use_keyring(FixedChain(MemoryKeyring(), MemoryKeyring()))
    status = credential_store_status()
    assert status.secure and status.backend.count("MemoryKeyring") == 2
    init_store(tmp_path / "store")


def test_a_single_failing_backend_is_not_secure(use_keyring) -> None:
    use_keyring(BrokenKeyring())
    status = credential_store_status()
    assert not status.secure and "fails (KeyringError)" in status.backend
