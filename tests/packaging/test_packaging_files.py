"""The packaging files agree with the project: version, application id, icons, installers."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from test_bundle_smoke import PACKAGING, load

import invigilator_app

ROOT = PACKAGING.parent
ICONS = ROOT / "resources" / "icons"
LINUX = PACKAGING / "linux"
meta = load("bundle_meta")
DESKTOP = LINUX / f"{meta.APP_ID}.desktop"
METAINFO = LINUX / f"{meta.APP_ID}.metainfo.xml"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_version_comes_from_pyproject_and_matches_the_package() -> None:
    assert meta.version() == invigilator_app.__version__
    assert meta.version_tuple("1.2.3rc1") == (1, 2, 3, 0)
    assert meta.version_tuple("2.0") == (2, 0, 0, 0)
    assert meta.version_tuple("1.4.0.dev2") == (1, 4, 0, 0)


def test_the_windows_version_resource_carries_the_version(tmp_path: Path) -> None:
    made: dict[str, list[object]] = {}

    def recorder(name: str) -> Callable[..., str]:
        def make(*args: object, **kwargs: object) -> str:
            made.setdefault(name, []).append(args or kwargs)
            return name

        return make

    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    text = meta.write_windows_version_file(tmp_path).read_text(encoding="utf-8")
    eval(compile(text, "version_info.txt", "eval"), {n: recorder(n) for n in names})  # the way PyInstaller reads it
    assert made["FixedFileInfo"] == [
        dict(
            filevers=meta.version_tuple(),
            prodvers=meta.version_tuple(),
            mask=0x3F,
            flags=0,
            OS=0x40004,
            fileType=1,
            subtype=0,
            date=(0, 0),
        )
    ]
    assert ("ProductVersion", meta.version()) in made["StringStruct"]
    assert ("OriginalFilename", "invigilator-app.exe") in made["StringStruct"]


def test_icons_exist_in_every_size() -> None:
    ET.parse(ICONS / "invigilator-app.svg")  # well-formed
    for size in (16, 32, 48, 64, 128, 256):
        assert png_size(ICONS / f"invigilator-app-{size}.png") == (size, size)
    ico = (ICONS / "invigilator-app.ico").read_bytes()
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 6)


def test_the_window_icon_has_every_size(qapp: object) -> None:
    from invigilator_app.ui.app import window_icon

    sizes = {s.width() for s in window_icon().availableSizes()}
    assert sizes == {16, 32, 48, 64, 128, 256}


def test_desktop_entry_and_metainfo_name_the_same_application() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Icon"] == meta.APP_ID
    assert desktop["Exec"] == meta.NAME
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == meta.APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    releases = [r.get("version") for r in component.iter("release")]
    assert meta.version() in releases, "add a <release> for the new version to the metainfo file"


@pytest.mark.parametrize(
    ("tool", "args", "target"),
    [
        ("desktop-file-validate", [], DESKTOP),
        ("appstreamcli", ["validate", "--no-net"], METAINFO),
    ],
)
def test_linux_files_pass_their_validators(tool: str, args: list[str], target: Path) -> None:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed")
    result = subprocess.run([exe, *args, str(target)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("sh") is None, reason="POSIX shell script")
def test_install_script_installs_and_uninstalls_into_a_prefix(tmp_path: Path) -> None:
    unpacked = tmp_path / "unpacked"
    bundle = unpacked / "invigilator-app"
    shutil.copytree(ICONS, bundle / "_internal" / "resources" / "icons")
    (bundle / "invigilator-app").write_text("#!/bin/sh\necho invigilator-app\n", encoding="utf-8")
    (bundle / "invigilator-app").chmod(0o755)
    for extra in LINUX.iterdir():
        shutil.copy2(extra, unpacked / extra.name)
    prefix, opt = tmp_path / "prefix", tmp_path / "opt"
    data = tmp_path / "home" / ".local" / "share" / "InvigilationStation"
    data.mkdir(parents=True)
    (data / "store.db").write_bytes(b"records")
    install = [str(unpacked / "install.sh"), "--prefix", str(prefix), "--opt", str(opt)]

    subprocess.run(install, check=True, capture_output=True)
    launcher = prefix / "bin" / "invigilator-app"
    assert subprocess.run([str(launcher)], capture_output=True, text=True, check=True).stdout == "invigilator-app\n"
    installed = (prefix / "share" / "applications" / DESKTOP.name).read_text(encoding="utf-8")
    assert f"Exec={opt}/invigilator-app/invigilator-app\n" in installed
    assert (prefix / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{meta.APP_ID}.png").is_file()
    assert (prefix / "share" / "metainfo" / METAINFO.name).is_file()
    subprocess.run(install, check=True, capture_output=True)  # reinstall over itself

    subprocess.run([*install, "--uninstall"], check=True, capture_output=True)
    assert not launcher.exists() and not (opt / "invigilator-app").exists()
    assert not (prefix / "share" / "applications" / DESKTOP.name).exists()
    assert (data / "store.db").read_bytes() == b"records"


def test_the_windows_uninstaller_keeps_the_data_folder() -> None:
    script = (PACKAGING / "windows" / "installer.iss").read_text(encoding="utf-8")
    sections = {}
    for block in script.split("\n[")[1:]:
        name, _, body = block.partition("]")
        sections[name] = body
    removed = sections["UninstallDelete"].lower()
    for data in ("localappdata", "appdata", "invigilationstation", "{userdocs}"):
        assert data not in removed
    assert 'Name: "{app}\\_internal"' in sections["InstallDelete"]
    assert "{app}\\{#AppExe}" in sections["Icons"]
