"""A long import never holds the store's write lock for long: it is checked whole first,
then written in short batches; a failure part-way says what was saved, and importing the
same file again completes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from invigilator_app.domain.errors import NoSpace
from invigilator_app.services.access import open_station
from invigilator_app.services.admin import candidates
from invigilator_app.store.models import Candidate
from tests.helpers import PASSWORD, init_store

ROWS = 2_500


def _csv(n: int) -> str:
    return "registration_number,first_name,last_name\n" + "".join(f"R{i:07d},Ann,Lee{i}\n" for i in range(n))


@pytest.fixture
def station(tmp_path: Path):
    init_store(tmp_path / "store")
    st = open_station(tmp_path / "store", PASSWORD)
    yield st
    st.close()


def _count(station) -> int:
    with station.read() as session:
        return int(session.scalar(select(func.count()).select_from(Candidate)) or 0)


def test_a_large_import_is_written_in_short_transactions(station) -> None:
    commits: list[int] = []
    event.listen(station.db.engine, "commit", lambda conn: commits.append(1))
    rows = candidates.parse_candidates_csv(_csv(ROWS), "big.csv")
    result = candidates.import_candidates(station, rows, "big.csv")
    assert result.added == ROWS
    assert len(commits) >= ROWS // candidates.IMPORT_BATCH, "one commit per batch, not one for the whole file"
    assert _count(station) == ROWS


def test_a_conflict_anywhere_writes_nothing(station) -> None:
    candidates.import_candidates(station, [candidates.CandidateRow("R0002400", "Bo", "Other")], "one.csv")
    rows = candidates.parse_candidates_csv(_csv(ROWS), "big.csv")
    with pytest.raises(Exception, match="already registered to Bo Other"):
        candidates.import_candidates(station, rows, "big.csv")
    assert _count(station) == 1


def test_a_full_disk_part_way_says_what_was_saved_and_a_second_run_completes(station, monkeypatch) -> None:
    real = candidates._write_batch
    calls = []

    def failing(st, batch, source):
        calls.append(1)
        if len(calls) == 2:
            raise NoSpace("No space: the disk holding the store is full. This change was not saved.")
        return real(st, batch, source)

    monkeypatch.setattr(candidates, "_write_batch", failing)
    rows = candidates.parse_candidates_csv(_csv(ROWS), "big.csv")
    with pytest.raises(NoSpace) as caught:
        candidates.import_candidates(station, rows, "big.csv")
    assert f"{candidates.IMPORT_BATCH} of {ROWS} rows were saved" in caught.value.message
    assert "import the same file again" in caught.value.message
    assert _count(station) == candidates.IMPORT_BATCH
    monkeypatch.setattr(candidates, "_write_batch", real)
    again = candidates.import_candidates(station, rows, "big.csv")
    assert (again.added, again.unchanged) == (ROWS - candidates.IMPORT_BATCH, candidates.IMPORT_BATCH)
    assert _count(station) == ROWS
