"""Smoke test of a built bundle, headless, on a temporary data folder.

    python packaging/smoke_test.py packaging/dist/invigilator-app

Checks that every file of resources/ and forms/, the migration scripts (as source) and
keyring's metadata and backend modules are in the bundle; then runs the bundle's own
executable (never the source tree): ``--version``; ``init``, ``candidates import``,
``session plan``, ``session export`` and ``verify`` of the PDF; the unlock dialog (a
Designer form) and ``--demo --screenshot`` rendered to PNGs that are not blank.
Standard library only (the keyring check reads the archive with PyInstaller when it is
installed), so it also runs on the Windows build machine. Exit 0 when all is well.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"
PASSWORD = "a long smoke-test password"
CANDIDATES = (
    "registration_number,first_name,last_name,date_of_birth\n"
    "R1000001,Jane,Smith,2001-04-03\n"
    "R1000003,Siân,O'Neill,1999-12-31\n"
    "R1000004,Zoë,Nguyễn,\n"
)
KEYRING_BACKENDS = ("SecretService", "libsecret", "kwallet", "Windows", "macOS", "chainer")


class SmokeFailure(Exception):
    pass


def version_of_project() -> str:
    import tomllib

    pyproject = ROOT / "pyproject.toml"
    return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])


def executables(bundle: Path) -> tuple[Path, Path]:
    """(command-line executable, GUI executable) of the bundle."""
    if WINDOWS:
        return bundle / "invigilator-app-cli.exe", bundle / "invigilator-app.exe"
    exe = bundle / "invigilator-app"
    return exe, exe


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "INVIGILATOR_"))}
    for var, sub in (
        ("HOME", ""),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("APPDATA", "appdata"),
        ("LOCALAPPDATA", "localappdata"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env.update(
        {
            "INVIGILATOR_DATA_DIR": str(home / "store"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",  # never the technician's keyring
        }
    )
    return env


def plan_json() -> dict[str, object]:
    return {
        "date": "2026-12-01",
        "start": "09:30",
        "room": "IT Suite",
        "workstations": [
            {"label": f"PC-{i:02d}", "x": (i % 4) * 2.0, "y": (i // 4) * 2.0, "screen": False, "privacy_filter": False}
            for i in range(1, 5)
        ],
        "invigilator": {"name": "Alex Patel", "imi_pin": "IMI-PIN-7731", "assessor": False, "impartial": True},
        "candidates": [
            {
                "registration_number": reg,
                "assessment_id": "MOT-4-A",
                "qualification": "601/8928/9",
                "workstation": f"PC-{i:02d}",
                "notice_date": "2026-11-20",
                "readiness_confirmed": True,
            }
            for i, reg in enumerate(("R1000001", "R1000003"), start=1)
        ],
    }


def png_colours(path: Path, limit: int = 64) -> int:
    """How many distinct colours (up to ``limit``) an 8-bit RGB(A) PNG has."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SmokeFailure(f"{path} is not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour_type not in (2, 6):
                raise SmokeFailure(f"{path}: unexpected PNG format (depth {depth}, colour type {colour_type})")
            bpp = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * bpp
    previous, colours = bytearray(stride), set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif kind == 4:
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        colours.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp * 7))
        if len(colours) >= limit:
            return len(colours)
        previous = line
    return len(colours)


def archive_names(executable: Path) -> set[str] | None:
    """Module names in the executable's Python archive, or None without PyInstaller."""
    try:
        from PyInstaller.archive.readers import CArchiveReader
    except ImportError:
        return None
    pkg = CArchiveReader(str(executable))
    names: set[str] = set()
    for name, entry in pkg.toc.items():
        if entry[-1] == "z" or name.endswith(".pyz"):  # typecode "z": the PYZ archive
            names.update(pkg.open_embedded_archive(name).toc)
    return names


class Smoke:
    def __init__(self, bundle: Path, work: Path, say: Callable[[str], None]) -> None:
        self.bundle, self.work, self.say = bundle, work, say
        self.cli, self.gui = executables(bundle)
        self.env = environment(work / "home")
        self.timings: dict[str, float] = {}

    def run(self, label: str, *args: str, stdin: str = "", exe: Path | None = None, expect: int = 0) -> str:
        started = time.perf_counter()
        result = subprocess.run(
            [str(exe or self.cli), *args],
            input=stdin.encode(),
            capture_output=True,
            env=self.env,
            cwd=self.work,
            timeout=300,
            check=False,
        )
        self.timings[label] = time.perf_counter() - started
        out, err = result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")
        if result.returncode != expect:
            raise SmokeFailure(f"{label}: exit {result.returncode} (expected {expect})\n{out}\n{err}")
        if "Traceback" in out + err:
            raise SmokeFailure(f"{label}: a traceback reached the user\n{err}")
        self.say(f"ok  {label} ({self.timings[label]:.1f} s)")
        return out

    def files(self) -> None:
        """Every run-time file of the source tree is in the bundle, where the code looks for it."""
        internal = self.bundle / "_internal"
        wanted = [p for folder in ("resources", "forms") for p in (ROOT / folder).rglob("*") if p.is_file()]
        migrations = ROOT / "invigilator_app" / "store" / "migrations"
        scripts = [p for p in migrations.rglob("*.py") if "__pycache__" not in p.parts]
        missing = [str(p.relative_to(ROOT)) for p in wanted + scripts if not (internal / p.relative_to(ROOT)).is_file()]
        metadata = list(internal.glob("keyring-*.dist-info/entry_points.txt"))
        if not metadata or "keyring.backends" not in metadata[0].read_text(encoding="utf-8"):
            missing.append("keyring-*.dist-info/entry_points.txt (keyring.backends)")
        if missing:
            raise SmokeFailure("missing from the bundle's _internal/: " + ", ".join(missing))
        versions = [p for p in scripts if p.parent.name == "versions"]
        self.say(f"ok  bundle files ({len(wanted)} resources and forms, {len(versions)} migrations, keyring metadata)")
        names = archive_names(self.cli)
        if names is None:
            self.say("--  keyring backend modules not checked (PyInstaller not installed)")
            return
        absent = [b for b in KEYRING_BACKENDS if f"keyring.backends.{b}" not in names]
        if absent:
            raise SmokeFailure("keyring backends missing from the archive: " + ", ".join(absent))
        self.say("ok  keyring backend modules in the archive")

    def commands(self, version: str) -> None:
        out = self.run("--version", "--version").strip()
        if out != f"invigilator-app {version}":
            raise SmokeFailure(f"--version printed {out!r}, expected 'invigilator-app {version}'")
        key = self.run(
            "init",
            "init",
            "--centre-name",
            "Northgate Training Centre",
            "--centre-number",
            "IMI-40213",
            "--coordinator",
            "Sam Coordinator",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        if len(key.strip()) < 20:
            raise SmokeFailure(f"init printed no recovery key: {key!r}")
        csv_file = self.work / "learners.csv"
        csv_file.write_text(CANDIDATES, encoding="utf-8")
        self.run("candidates import", "--password-stdin", "candidates", "import", str(csv_file), stdin=PASSWORD + "\n")
        plan_file = self.work / "monday.json"
        plan_file.write_text(json.dumps(plan_json()), encoding="utf-8")
        session_id = self.run(
            "session plan", "--password-stdin", "session", "plan", str(plan_file), stdin=PASSWORD + "\n"
        ).strip()
        if not session_id.isdigit():
            raise SmokeFailure(f"session plan printed {session_id!r}, not a session id")
        pdf = self.work / "record.pdf"
        self.run(
            "session export",
            "--password-stdin",
            "session",
            "export",
            session_id,
            "--out",
            str(pdf),
            stdin=PASSWORD + "\n",
        )
        if not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-" or pdf.stat().st_size < 10_000:
            raise SmokeFailure(f"session export wrote no usable PDF at {pdf}")
        self.run("verify record", "verify", str(pdf))

    def screenshot(self, label: str, *args: str) -> None:
        png = self.work / f"{label.strip('-').split()[0]}.png"
        self.run(label, *args, "--screenshot", str(png), exe=self.gui)
        if not png.is_file():
            raise SmokeFailure(f"{label} wrote no PNG")
        colours = png_colours(png)
        if colours < 8:
            raise SmokeFailure(f"the screenshot {png} looks blank ({colours} colours)")
        self.say(f"ok  {label}: the PNG is not blank ({colours}+ colours)")


def smoke(bundle: Path, say: Callable[[str], None] = print, keep: Path | None = None) -> dict[str, float]:
    """Run every check; raises SmokeFailure on the first problem. Returns the timings."""
    bundle = bundle.resolve()
    cli, gui = executables(bundle)
    if not cli.is_file() or not gui.is_file():
        raise SmokeFailure(f"no bundle at {bundle} (build it with packaging/build_linux.py)")
    with tempfile.TemporaryDirectory(prefix="invigilator-smoke-") as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        check = Smoke(bundle, work, say)
        check.files()
        check.commands(version_of_project())
        check.screenshot("unlock --screenshot")  # the Designer form, on the store made above
        check.screenshot("--demo --screenshot", "--demo")
        return check.timings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    bundle = Path(args[0]) if args else Path(__file__).resolve().parent / "dist" / "invigilator-app"
    try:
        smoke(bundle)
    except SmokeFailure as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    print(f"smoke test passed: {bundle}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
