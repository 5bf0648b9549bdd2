"""The built bundle works: the smoke test of packaging/smoke_test.py against
packaging/dist/invigilator-app. Skipped when no bundle has been built
(``python3 packaging/build_linux.py`` builds one; CI does not), or when the sources have
changed since it was built (its result would say nothing about them)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
BUNDLE = PACKAGING / "dist" / "invigilator-app"
EXECUTABLE = BUNDLE / ("invigilator-app.exe" if sys.platform == "win32" else "invigilator-app")
SOURCES = ("invigilator_app", "resources", "forms", "pyproject.toml", "packaging/invigilator-app.spec")


def changed_since_build() -> list[str]:
    built = EXECUTABLE.stat().st_mtime
    root = PACKAGING.parent
    files = [p for name in SOURCES for p in ([root / name] if (root / name).is_file() else (root / name).rglob("*"))]
    return sorted(
        str(p.relative_to(root))
        for p in files
        if p.is_file() and "__pycache__" not in p.parts and p.stat().st_mtime > built
    )


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.skipif(not EXECUTABLE.exists(), reason="no bundle built (python3 packaging/build_linux.py)")
def test_the_built_bundle_passes_the_smoke_test(tmp_path: Path) -> None:
    changed = changed_since_build()
    if changed:
        pytest.skip(
            f"the bundle is older than {len(changed)} source file(s), e.g. {changed[0]}: rebuild it "
            "with python3 packaging/build_linux.py"
        )
    smoke_test = load("smoke_test")
    lines: list[str] = []
    timings = smoke_test.smoke(BUNDLE, say=lines.append, keep=tmp_path / "work")
    assert {
        "--version",
        "init",
        "candidates import",
        "session plan",
        "session export",
        "verify record",
        "unlock --screenshot",
        "--demo --screenshot",
    } <= set(timings), lines
    assert any("keyring" in line for line in lines)
