"""Test-wide set-up: headless Qt, cheap key derivation (patched, never from the environment), and no test ever touches the real
keyring, settings or data folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Already at import, not only per test: module-scoped fixtures (stores built once per file)
# run before the autouse fixture below, and creating a store asks the keyring.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"


@pytest.fixture(scope="session", autouse=True)
def cheap_key_derivation() -> Iterator[None]:
    """The test suite's cheap Argon2id cost, by patching the one function that sets it
    (session-wide, so module-scoped stores are built with it too)."""
    from invigilator_app.security import keyslots
    from tests.kdf import cheap_policy

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keyslots, "kdf_policy", cheap_policy)
        yield


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user folder at a temporary one and keep the real keyring out of reach."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("HOME", ""),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "run"),
        ("APPDATA", "appdata"),
        ("LOCALAPPDATA", "localappdata"),
    ):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.setenv("INVIGILATOR_DATA_DIR", str(home / "invigilator-data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return home


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the module's ``template`` store (built once per module)."""
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target
