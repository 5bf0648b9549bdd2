"""Every runtime dependency has a Windows wheel for the Python the Windows build uses.

Exam-room PCs mostly run Windows and the bundle is built there from wheels only (no
compiler on the build PC). A dependency that drops its Windows wheel would only show on
the day of the build; this finds it on every test run. It needs the package index, so it
is skipped on a machine that cannot reach it, and never fails one that has none.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WINDOWS_PYTHON = "3.11"  # the Python of the Windows build PC (README, "Installing on exam-room PCs")


def runtime_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [req.split(";")[0].split("#")[0].strip() for req in project["dependencies"]]


def pip_download(target: Path, *requirements: str, deps: bool = True) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "-q",
        "--only-binary=:all:",
        "--platform",
        "win_amd64",
        "--python-version",
        WINDOWS_PYTHON,
        "--dest",
        str(target),
        *([] if deps else ["--no-deps"]),
        *requirements,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.slow
def test_every_runtime_dependency_has_a_windows_wheel(tmp_path: Path) -> None:
    probe = pip_download(tmp_path / "probe", "tzdata", deps=False)
    if probe.returncode != 0:
        pytest.skip("the package index cannot be reached from here: " + probe.stderr.strip()[-200:])
    result = pip_download(tmp_path / "wheels", *runtime_requirements())
    assert result.returncode == 0, "a runtime dependency has no Windows wheel:\n" + result.stderr[-3000:]
    wheels = sorted(p.name for p in (tmp_path / "wheels").iterdir())
    assert all(name.endswith(".whl") for name in wheels), wheels
    for must in ("pyside6_essentials", "sqlcipher3", "cryptography", "argon2_cffi_bindings", "pyrage"):
        assert any(name.lower().startswith(must) and ("win_amd64" in name or "none-any" in name) for name in wheels), (
            f"no Windows wheel of {must}: {wheels}"
        )
