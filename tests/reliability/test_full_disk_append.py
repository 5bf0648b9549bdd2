"""A log entry written straight through the driver (``store.lean``) on a full disk: the
invigilator is told "No space" and the entry is not there, or it was saved and is there;
never a damaged store, never an entry the chain does not hold.

The child opens the station first, then may write only a little more to any file (its
write-ahead log grows with the entry's pages), so the disk fills part way through the
entry's own transaction."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.trust.integrity import verify_store
from tests.helpers import PASSWORD, planned_session
from tests.reliability.fsize import call_limited, resource

NOTE = "Fire alarm at 10:12, candidates evacuated"
MORE = (0, 1_000, 4_096, 8_192, 12_288, 16_384, 20_480, 24_576, 32_768, 65_536)
"""Bytes the write-ahead log may still grow by when the entry is recorded."""
NO_LIMIT = 1 << 40


def record(data_dir: Path, sid: int, more: int) -> int:
    station = open_station(data_dir, PASSWORD)
    try:
        wal = data_dir / "store.db-wal"
        grown = wal.stat().st_size if wal.exists() else 0
        resource.setrlimit(resource.RLIMIT_FSIZE, (grown + more, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        return console.record_entry(station, sid, "fire_alarm", note=NOTE).id
    finally:
        station.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    return planned_session(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("more", MORE)
def test_an_entry_on_a_full_disk_is_saved_or_refused_as_said(template, tmp_path: Path, more: int) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(template[0], data_dir)
    outcome, detail = call_limited(NO_LIMIT, record, data_dir, template[1], more)
    assert outcome in ("ok", "NoSpace"), f"{outcome}: {detail}"
    if outcome == "NoSpace":
        assert str(detail).startswith("No space") and "was not saved" in str(detail), detail
    if more == 0:
        assert outcome == "NoSpace", "not a byte more: the entry cannot have been saved"
    station = open_station(data_dir, PASSWORD)
    try:
        notes = [e.note for e in session_detail(station, template[1]).entries]
        assert notes.count(NOTE) == (1 if outcome == "ok" else 0)
        assert verify_store(station).startswith("OK:")
        console.record_entry(station, template[1], "other", note="Space freed: recording again")  # the store goes on
    finally:
        station.close()
