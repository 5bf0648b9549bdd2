#!/usr/bin/env python3
"""Build the Linux bundle and the one-file installer archive, then smoke-test the bundle.

    python3 packaging/build_linux.py               # build + archive + smoke test
    python3 packaging/build_linux.py --smoke-only  # test the bundle already in packaging/dist

Needs the project's .venv (``python3 scripts/bootstrap.py test`` creates it); installs
PyInstaller into it when missing. Output, all ignored by git:

    packaging/dist/invigilator-app/                       the one-folder bundle
    packaging/dist/invigilator-app-<version>-linux-<arch>.tar.gz
                                                          bundle + install.sh + desktop files
    packaging/build/                                      PyInstaller's work folder
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DIST = HERE / "dist"
WORK = HERE / "build"
SPEC = HERE / "invigilator-app.spec"
PYINSTALLER = "pyinstaller>=6.10"

sys.path.insert(0, str(HERE))
import bundle_meta  # noqa: E402
import smoke_test  # noqa: E402


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def ensure_pyinstaller() -> None:
    probe = subprocess.run([str(VENV_PYTHON), "-c", "import PyInstaller"], capture_output=True, check=False)
    if probe.returncode != 0:
        say(f"installing {PYINSTALLER} into .venv")
        subprocess.run([str(VENV_PYTHON), "-m", "pip", "install", "-q", PYINSTALLER], check=True)


def build() -> Path:
    ensure_pyinstaller()
    say(f"PyInstaller: {SPEC.relative_to(ROOT)} -> {DIST.relative_to(ROOT)}/{bundle_meta.NAME}/")
    started = time.perf_counter()
    subprocess.run(
        [
            str(VENV_PYTHON),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
    )
    bundle = DIST / bundle_meta.NAME
    say(f"built in {time.perf_counter() - started:.0f} s: {bundle} ({folder_size(bundle) / 1e6:.0f} MB)")
    return bundle


def archive(bundle: Path) -> Path:
    """One file for the technician: the bundle with install.sh and the desktop files."""
    top = f"{bundle_meta.NAME}-{bundle_meta.version()}"
    target = DIST / f"{top}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        tar.add(bundle, arcname=f"{top}/{bundle_meta.NAME}")
        for extra in sorted((HERE / "linux").iterdir()):
            tar.add(extra, arcname=f"{top}/{extra.name}")
    say(f"archive: {target} ({target.stat().st_size / 1e6:.0f} MB)")
    return target


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke-only", action="store_true", help="only smoke-test the bundle already built")
    parser.add_argument("--no-smoke", action="store_true", help="build without the smoke test")
    args = parser.parse_args()
    if not VENV_PYTHON.exists():
        say("no .venv: run `python3 scripts/bootstrap.py test` first")
        return 2
    bundle = DIST / bundle_meta.NAME
    if not args.smoke_only:
        if bundle.exists():
            shutil.rmtree(bundle)
        bundle = build()
        archive(bundle)
    if args.no_smoke:
        return 0
    say("smoke test")
    os.environ.pop("DISPLAY", None)  # headless, as on a build server
    try:
        smoke_test.smoke(bundle, say=lambda line: say("  " + line))
    except smoke_test.SmokeFailure as exc:
        say(f"FAIL {exc}")
        return 1
    say("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
