"""Files the station writes are private (0700 folder, 0600 files on POSIX), an export never
writes through a symbolic link, and an interrupted pack leaves no personal data behind.

The attacks: ``store.db``, the backups and every file of an inspection pack were created
0644 (any account on the PC could copy them); ``--out`` onto a planted symbolic link
overwrote its target; a killed pack export left ``.pack.part-*/record-*.pdf`` behind."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.admin.settings import set_auto_lock_minutes
from tests.helpers import PASSWORD, cli, plan, planned_session, seeded, write_json
from tests.review_helpers import INSPECTOR, INSPECTOR_PASSWORD, demo_store

ROOT = Path(__file__).resolve().parents[2]
STORES = ROOT / "tests" / "stores"
posix = pytest.mark.skipif(os.name != "posix", reason="modes are POSIX; Windows inherits the profile's ACL")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)  # the usual default: new files 0644, folders 0755
    yield
    os.umask(previous)


@posix
def test_every_file_the_station_writes_is_private(tmp_path: Path, loose_umask) -> None:
    data_dir, planned = planned_session(tmp_path)
    sid = str(planned)
    cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin="not the password at all\n")
    outs = tmp_path / "exports"
    outs.mkdir()
    for name in ("record.pdf", "record.csv"):
        res = cli(
            "--data-dir",
            data_dir,
            "--password-stdin",
            "session",
            "export",
            sid,
            "--out",
            outs / name,
            stdin=PASSWORD + "\n",
        )
        assert res.code == 0, res.err
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "sessions",
        "export",
        "--date",
        "2026-12-01",
        "--out",
        outs / "day.pdf",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "station",
        "checkpoint",
        "--out",
        outs / "cp.txt",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    assert mode(data_dir) == 0o700
    station = open_station(data_dir, PASSWORD)
    try:
        set_auto_lock_minutes(station, 10)  # a write: the WAL and its index are on disk now
        written = [p for p in data_dir.iterdir() if p.is_file()]
        assert {p.name for p in written} >= {
            "store.db",
            "store.db-wal",
            "store.db-shm",
            "keyslots.json",
            "unlock-attempts.json",
        }
        for path in [*written, *outs.iterdir()]:
            assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"
    finally:
        station.close()


@posix
def test_backups_of_an_old_store_are_private_and_the_store_is_tightened(tmp_path: Path, loose_umask) -> None:
    data_dir = tmp_path / "old"
    shutil.copytree(STORES / "v0001", data_dir)
    for path in [data_dir, *data_dir.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # as an older version left them
    res = cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    backups = list((data_dir / "backups").iterdir())
    assert backups and mode(data_dir / "backups") == 0o700
    for path in [*backups, data_dir / "store.db", data_dir / "keyslots.json"]:
        assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"
    assert mode(data_dir) == 0o700


@posix
def test_an_inspection_pack_is_private(tmp_path: Path, loose_umask) -> None:
    store = demo_store(tmp_path)[0]
    out = tmp_path / "pack"
    res = cli(
        "--data-dir",
        store,
        "--user",
        INSPECTOR,
        "--password-stdin",
        "inspect",
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        out,
        stdin=INSPECTOR_PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    assert mode(out) == 0o700
    assert all(mode(p) == 0o600 for p in out.iterdir())


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="sends SIGTERM to a child")
def test_a_pack_export_killed_midway_leaves_no_personal_data(tmp_path: Path) -> None:
    store = demo_store(tmp_path)[0]
    out = tmp_path / "pack"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.security.pack_child",
            "--data-dir",
            str(store),
            "--user",
            INSPECTOR,
            "--password-stdin",
            "inspect",
            "export",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(INSPECTOR_PASSWORD + "\n")
    child.stdin.close()
    line = child.stdout.readline().strip()
    if line != "WROTE":
        child.kill()
        child.wait()
        pytest.fail(f"the child did not reach its pause: {line!r} {child.stderr.read()[-2000:]}")
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".pack.part-")], "the record is on disk now"
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 130
    assert child.stderr is not None and "Cancelled" in child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pack")] == []


def test_a_part_folder_left_by_a_killed_export_goes_at_the_next_one(tmp_path: Path) -> None:
    store = demo_store(tmp_path)[0]
    stale = tmp_path / ".pack.part-abc123"
    stale.mkdir()
    (stale / "record-1-2026-11-16.pdf").write_bytes(b"%PDF personal data")
    res = cli(
        "--data-dir",
        store,
        "--user",
        INSPECTOR,
        "--password-stdin",
        "inspect",
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        tmp_path / "pack",
        stdin=INSPECTOR_PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    assert not stale.exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize(
    "command", ["session export", "session export csv", "sessions export", "station certificate", "station checkpoint"]
)
def test_out_onto_a_symbolic_link_is_refused_and_its_target_untouched(tmp_path: Path, command: str) -> None:
    data_dir = seeded(tmp_path)
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "p.json", plan()),
        stdin=PASSWORD + "\n",
    )
    sid = res.out.strip()
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file", encoding="utf-8")
    link = tmp_path / ("planted.csv" if command.endswith("csv") else "planted.pdf")
    try:
        link.symlink_to(victim)
    except OSError:
        pytest.skip("this account may not make symbolic links")
    args = {
        "session export": ["session", "export", sid, "--out", link],
        "session export csv": ["session", "export", sid, "--out", link],
        "sessions export": ["sessions", "export", "--date", "2026-12-01", "--out", link],
        "station certificate": ["station", "certificate", "--out", link],
        "station checkpoint": ["station", "checkpoint", "--out", link],
    }[command]
    res = cli("--data-dir", data_dir, "--password-stdin", *args, stdin=PASSWORD + "\n")
    assert res.code == 2, res.err
    assert "symbolic link" in res.err and "Traceback" not in res.err
    assert victim.read_text(encoding="utf-8") == "the user's own file"
    assert link.is_symlink()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_pack_onto_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    store = demo_store(tmp_path)[0]
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "pack"
    link.symlink_to(target, target_is_directory=True)
    res = cli(
        "--data-dir",
        store,
        "--user",
        INSPECTOR,
        "--password-stdin",
        "inspect",
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        link,
        stdin=INSPECTOR_PASSWORD + "\n",
    )
    assert res.code == 2 and "symbolic link" in res.err
    assert list(target.iterdir()) == []
