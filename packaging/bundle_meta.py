"""What the bundle says about itself, from pyproject.toml: name, version, Windows version info.

Imported by invigilator-app.spec (PyInstaller runs the spec with this folder as SPECPATH)
and by the tests; standard library only.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

NAME = "invigilator-app"  # the executable and the bundle folder
TITLE = "Invigilation station"
PUBLISHER = "Invigilation station"
APP_ID = "org.invigilationstation.Station"  # .desktop, AppStream and Qt desktop file name


def project() -> dict[str, Any]:
    with PYPROJECT.open("rb") as handle:
        return tomllib.load(handle)["project"]


def version() -> str:
    return str(project()["version"])


def version_tuple(text: str | None = None) -> tuple[int, int, int, int]:
    """``0.1.0`` -> (0, 1, 0, 0); a suffix such as ``rc1`` or ``.dev2`` is dropped."""
    release = re.match(r"\d+(?:\.\d+)*", text or version())
    parts = [int(p) for p in release.group().split(".")[:4]] if release else []
    while len(parts) < 4:
        parts.append(0)
    return parts[0], parts[1], parts[2], parts[3]


def windows_version_text() -> str:
    """The VERSIONINFO resource of the Windows executables (Explorer's Details tab), in the
    text form PyInstaller reads (``EXE(version=<file>)``, as ``pyi-grab_version`` writes)."""
    text, numbers = version(), version_tuple()
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": TITLE,
        "FileVersion": text,
        "InternalName": NAME,
        "LegalCopyright": "Proprietary",
        "OriginalFilename": f"{NAME}.exe",
        "ProductName": TITLE,
        "ProductVersion": text,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# Generated from pyproject.toml by packaging/bundle_meta.py; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080904B0',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0809, 1200])])
  ]
)
"""


def write_windows_version_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "version_info.txt"
    target.write_text(windows_version_text(), encoding="utf-8")
    return target
