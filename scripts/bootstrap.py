#!/usr/bin/env python3
"""Set everything up, then start the demo or run the tests.

    python3 scripts/bootstrap.py demo    # set up and start the app on a demo store
    python3 scripts/bootstrap.py test    # set up and run the whole test suite

Needs only python3 and python3-venv. On Debian/Ubuntu run as root it installs the
system libraries Qt and the PDF tests need when they are missing (apt-get). It creates
.venv beside this folder and installs the project into it. Uses only the standard library.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
DEBIAN_PACKAGES = [
    # Qt offscreen
    "libgl1",
    "libegl1",
    "libx11-6",
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "libglib2.0-0",
    "libxkbcommon0",
    # Qt on a real X display or Xvfb
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxcb-randr0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb1",
    # fonts for the GUI, pdftoppm for looking at PDFs
    "fonts-dejavu-core",
    "poppler-utils",
    # the validators of the Linux desktop entry and AppStream file (packaging tests)
    "desktop-file-utils",
    "appstream",
]


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def missing_debian_packages() -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for name in DEBIAN_PACKAGES:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Status}", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.stdout.strip() != "installed":
            missing.append(name)
    return missing


def install_system_packages() -> None:
    missing = missing_debian_packages()
    if not missing:
        return
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not is_root or not shutil.which("apt-get"):
        say("missing system packages (install them with apt-get as root): " + " ".join(missing))
        return
    say("installing system packages: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    python = venv_python()
    marker = VENV / ".installed"
    stamp = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if python.exists() and marker.exists() and marker.read_text(encoding="utf-8") == stamp:
        return python
    if not python.exists():
        say(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    say("installing the application and its test tools into .venv")
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    marker.write_text(stamp, encoding="utf-8")
    return python


def run_tests(python: Path, extra: list[str]) -> int:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    say("running the test suite")
    return subprocess.run([str(python), "-m", "pytest", *extra], cwd=ROOT, env=env, check=False).returncode


def run_demo(python: Path, extra: list[str]) -> int:
    command = [str(python), "-m", "invigilator_app", "--demo", *extra]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and os.name != "nt":
        shot = Path(tempfile.gettempdir()) / "invigilator-demo.png"
        say(f"no display here: rendering the demo's main window to {shot} instead of opening it")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        code = subprocess.run([*command, "--screenshot", str(shot)], cwd=ROOT, env=env, check=False).returncode
        if code == 0:
            say(f"open {shot} to see it; on a desktop the same command opens the window")
        return code
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test"}:
        print(__doc__)
        return 2
    install_system_packages()
    python = ensure_venv()
    if argv[0] == "test":
        return run_tests(python, argv[1:])
    return run_demo(python, argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
