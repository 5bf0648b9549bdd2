"""Backups a centre can restore: the drill (create, record, back up, damage the live store,
restore on an empty folder with the recovery key alone, verify), the automatic backup
after a sign-off kept in rotation, and a backup that is never half-written or restored
over a store."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.admin import backups
from invigilator_app.services.console import recording
from invigilator_app.services.console.sessions import session_detail
from tests.helpers import PASSWORD, cli, plan, write_json

COORD = "Sam Coordinator"
NEW_PW = "a passphrase for the new station"


@pytest.fixture
def centre(tmp_path: Path) -> tuple[Path, str, int]:
    data_dir = tmp_path / "store"
    from tests.helpers import init_store

    key = init_store(data_dir)
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(
        "registration_number,first_name,last_name\nR1000001,Jane,Smith\nR1000002,Tom,Nowak\n", encoding="utf-8"
    )
    assert (
        cli("--data-dir", data_dir, "--password-stdin", "candidates", "import", csv_file, stdin=PASSWORD + "\n").code
        == 0
    )
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "p.json", plan(day="2026-11-23")),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    return data_dir, key, int(res.out)


def _record(data_dir: Path, session_id: int, note: str) -> None:
    station = open_station(data_dir, PASSWORD)
    try:
        recording.record_entry(station, session_id, "other", note=note)
    finally:
        station.close()


def test_the_restore_drill(centre, tmp_path: Path) -> None:
    data_dir, recovery_key, sid = centre
    _record(data_dir, sid, "recorded before the backup")
    stick = tmp_path / "usb"
    stick.mkdir()
    made = cli("--data-dir", data_dir, "--password-stdin", "backup", "create", "--out", stick, stdin=PASSWORD + "\n")
    assert made.code == 0, made.err
    backup = Path(made.out.strip())
    assert backup.parent == stick and backup.exists() and [p.name for p in stick.iterdir()] == [backup.name]
    names = zipfile.ZipFile(backup).namelist()
    assert set(names) == {"manifest.json", "store.db", "keyslots.json"}
    assert b"recorded before the backup" not in backup.read_bytes(), "as encrypted as the store"
    checkpoint = tmp_path / "witness.txt"
    _record(data_dir, sid, "recorded after the backup")
    assert (
        cli(
            "--data-dir",
            data_dir,
            "--password-stdin",
            "station",
            "checkpoint",
            "--out",
            checkpoint,
            stdin=PASSWORD + "\n",
        ).code
        == 0
    )
    # The live store is damaged.
    raw = bytearray((data_dir / "store.db").read_bytes())
    for at in range(8192, len(raw), 4096):
        raw[at + 100] ^= 0xFF
    (data_dir / "store.db").write_bytes(bytes(raw))
    assert cli("--data-dir", data_dir, "--password-stdin", "verify", "--audit", stdin=PASSWORD + "\n").code == 4
    # Never over a store.
    refused = cli("--data-dir", data_dir, "backup", "restore", backup, stdin=recovery_key + "\n")
    assert refused.code == 2 and "never restored over a store" in refused.err
    # A new PC: an empty folder, the backup and the recovery key alone.
    new_pc = tmp_path / "new-pc" / "store"
    wrong = cli("--data-dir", new_pc, "backup", "restore", backup, stdin="AAAA-BBBB-CCCC-DDDD\n")
    assert wrong.code == 5 and not new_pc.exists()
    res = cli("--data-dir", new_pc, "backup", "restore", backup, "--checkpoint", checkpoint, stdin=recovery_key + "\n")
    assert res.code == 0, res.err
    assert "lacks" in res.err and "audit entries" in res.err, "says what the restored store lacks"
    assert cli("--data-dir", new_pc, "recovery", stdin=f"{recovery_key}\n{NEW_PW}\n").code == 0
    res = cli("--data-dir", new_pc, "--user", COORD, "--password-stdin", "verify", "--audit", stdin=NEW_PW + "\n")
    assert res.code == 0, res.err
    station = open_station(new_pc, NEW_PW, user=COORD)
    try:
        notes = [e.note for e in session_detail(station, sid).entries]
    finally:
        station.close()
    assert "recorded before the backup" in notes and "recorded after the backup" not in notes


def test_backup_verify_finds_damage(centre, tmp_path: Path) -> None:
    data_dir, recovery_key, _sid = centre
    made = cli("--data-dir", data_dir, "--password-stdin", "backup", "create", "--out", tmp_path, stdin=PASSWORD + "\n")
    backup = Path(made.out.strip())
    ok = cli("--data-dir", data_dir, "--password-stdin", "backup", "verify", backup, stdin=PASSWORD + "\n")
    assert ok.code == 0 and ok.out.startswith("OK"), ok.err
    ok = cli("backup", "verify", backup, "--recovery-key", stdin=recovery_key + "\n")
    assert ok.code == 0 and ok.out.startswith("OK"), ok.err
    with zipfile.ZipFile(backup) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    db = bytearray(parts["store.db"])
    db[len(db) // 2] ^= 0xFF
    parts["store.db"] = bytes(db)
    damaged = tmp_path / "damaged.invbackup"
    with zipfile.ZipFile(damaged, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    res = cli("backup", "verify", damaged, "--recovery-key", stdin=recovery_key + "\n")
    assert res.code == 4, res.err
    truncated = tmp_path / "truncated.invbackup"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    res = cli("backup", "verify", truncated, "--recovery-key", stdin=recovery_key + "\n")
    assert res.code == 4, res.err


def test_an_automatic_backup_follows_a_sign_off_and_is_kept_in_rotation(centre, tmp_path: Path, monkeypatch) -> None:
    data_dir, _key, _sid = centre
    stick = tmp_path / "usb"
    stick.mkdir()
    assert cli("--data-dir", data_dir, "--password-stdin", "backup", "folder", stick, stdin=PASSWORD + "\n").code == 0
    station = open_station(data_dir, PASSWORD)
    try:
        monkeypatch.setattr(backups, "KEEP", 3)
        for _ in range(5):
            backups.automatic_backup(station, "test")
        kept = sorted(stick.glob("*.invbackup"))
        assert len(kept) <= 3
        assert backups.last_backup(station) is not None
        assert backups.last_backup(station).path in kept
    finally:
        station.close()


def test_a_failed_backup_leaves_nothing_under_a_backups_name(centre, tmp_path: Path, monkeypatch) -> None:
    import errno

    data_dir, _key, _sid = centre
    station = open_station(data_dir, PASSWORD)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "verify_backup_with_key", full)
    out = tmp_path / "usb"
    out.mkdir()
    try:
        with pytest.raises(Exception, match="No space"):
            backups.create_backup(station, out)
    finally:
        station.close()
    assert list(out.iterdir()) == []


def test_the_backup_area_shows_the_last_good_backup_and_warns_when_it_is_stale(qtbot, centre, tmp_path: Path) -> None:
    import os
    from datetime import timedelta

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from invigilator_app.store.models import Session as SessionRow
    from invigilator_app.ui.admin.backup import BackupArea
    from tests.gui.admin_fakes import FakeAsk

    data_dir, _key, sid = centre
    station = open_station(data_dir, PASSWORD)
    try:
        area = BackupArea(station)
        qtbot.addWidget(area)
        area.resize(900, 300)
        area.show()
        assert "none chosen" in area.folder.text() and "none yet" in area.last.text()
        stick = tmp_path / "usb"
        stick.mkdir()
        area.ask = FakeAsk(folder=stick)  # type: ignore[assignment]
        area.findChild(QPushButton, "choose_backup_folder").click()
        assert str(stick) in area.folder.text()
        qtbot.keyClick(area.findChild(QPushButton, "back_up_now"), Qt.Key.Key_Space)
        assert "Last good backup:" in area.last.text() and "audit entries" in area.last.text()
        assert len(list(stick.glob("*.invbackup"))) == 1
        assert not area.warning.isVisible()
        # Two days on, with a session started since the backup: the area warns.
        later = station.clock() + timedelta(days=2)
        station.clock = lambda: later
        with station.write() as session:
            session.get(SessionRow, sid).started_at = later - timedelta(hours=1)
        area.refresh()
        assert area.warning.isVisible() and "more than a day ago" in area.warning.text()
        if os.environ.get("INVIGILATOR_SCREENSHOTS") == "1":
            area.grab().save(str(Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "area-backup.png"))
    finally:
        station.close()
