"""`candidates import FILE`: the CSV format, all rows or none, and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.admin.candidates import count_candidates, list_candidates
from tests.helpers import PASSWORD, cli, init_store

HEADER = "registration_number,first_name,last_name,date_of_birth\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("template") / "store"
    init_store(data_dir)
    return data_dir


def import_file(store: Path, path: Path):
    res = cli("--data-dir", store, "--password-stdin", "candidates", "import", path, stdin=PASSWORD + "\n")
    assert "Traceback" not in res.err
    return res


def write(tmp_path: Path, text: str, name: str = "candidates.csv", *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def count(store: Path) -> int:
    station = open_station(store, PASSWORD)
    try:
        return count_candidates(station)
    finally:
        station.close()


def candidates(store: Path) -> dict[str, tuple[str, str, str]]:
    station = open_station(store, PASSWORD)
    try:
        return {
            c.registration_number: (c.first_name, c.last_name, c.date_of_birth.isoformat() if c.date_of_birth else "")
            for c in list_candidates(station)
        }
    finally:
        station.close()


def test_import_with_date_of_birth_column(store: Path, tmp_path: Path) -> None:
    res = import_file(store, write(tmp_path, HEADER + "R1000001,Jane,Smith,2001-04-03\nR1000002,Tomasz,Nowak,\n"))
    assert res.code == 0, res.err
    assert res.out == ""
    assert "Imported 2" in res.err
    assert candidates(store) == {"R1000001": ("Jane", "Smith", "2001-04-03"), "R1000002": ("Tomasz", "Nowak", "")}


def test_import_without_date_of_birth_column(store: Path, tmp_path: Path) -> None:
    res = import_file(store, write(tmp_path, "registration_number,first_name,last_name\nR1000003,Siân,O'Neill\n"))
    assert res.code == 0, res.err
    assert candidates(store) == {"R1000003": ("Siân", "O'Neill", "")}


def test_import_with_utf8_bom_and_crlf(store: Path, tmp_path: Path) -> None:
    text = (HEADER + "R1000004,Zoë,Nguyễn,\n").replace("\n", "\r\n")
    res = import_file(store, write(tmp_path, text, bom=True))
    assert res.code == 0, res.err
    assert candidates(store) == {"R1000004": ("Zoë", "Nguyễn", "")}


def test_importing_the_same_file_twice_is_fine(store: Path, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "R1000001,Jane,Smith,2001-04-03\nR1000002,Tomasz,Nowak,\n")
    assert import_file(store, path).code == 0
    res = import_file(store, path)
    assert res.code == 0, res.err
    assert "Imported 0" in res.err and "2 already registered" in res.err
    assert count(store) == 2


@pytest.mark.parametrize(
    ("bad_row", "what"),
    [
        ("R1000009,Bad,Date,2001-13-45", "date_of_birth"),
        ("R1000009,Bad,Date,03/04/2001", "date_of_birth"),
        ("R1000009,,Nameless,", "first_name is empty"),
        ("R1000009,Nameless,,", "last_name is empty"),
        (",No,Reg,", "registration_number is empty"),
        ("R1000001,Jane,Again,", "appears twice"),
        ("R1000009,Too,Many,,fields", "expected 4 fields"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(store: Path, tmp_path: Path, bad_row: str, what: str) -> None:
    path = write(tmp_path, HEADER + "R1000001,Jane,Smith,2001-04-03\nR1000002,Tomasz,Nowak,\n" + bad_row + "\n")
    res = import_file(store, path)
    assert res.code == 2, res.err
    assert res.out == ""
    problem = next(line for line in res.lines if what in line)
    assert problem.startswith(f"{path}, line 4:"), problem
    assert "Nothing was imported" in res.err
    assert count(store) == 0


def test_every_bad_row_is_listed(store: Path, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "R1000001,Jane,Smith,bad\nR1000002,,Nowak,\n")
    res = import_file(store, path)
    assert res.code == 2
    assert any(line.startswith(f"{path}, line 2:") for line in res.lines)
    assert any(line.startswith(f"{path}, line 3:") for line in res.lines)


def test_a_bad_header_is_refused(store: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "reg,first,last\nR1000001,Jane,Smith\n")
    res = import_file(store, path)
    assert res.code == 2
    assert f"{path}, line 1" in res.err
    assert count(store) == 0


def test_a_missing_or_non_utf8_file_is_bad_input(store: Path, tmp_path: Path) -> None:
    res = import_file(store, tmp_path / "nope.csv")
    assert res.code == 2 and "nope.csv" in res.err
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "R1000001,Zoë,Smith,\n").encode("latin-1"))
    res = import_file(store, latin)
    assert res.code == 2 and "UTF-8" in res.err
    assert count(store) == 0


def test_registration_already_used_by_someone_else_writes_nothing(store: Path, tmp_path: Path) -> None:
    assert import_file(store, write(tmp_path, HEADER + "R1000001,Jane,Smith,2001-04-03\n", "first.csv")).code == 0
    path = write(tmp_path, HEADER + "R1000005,New,Person,\nR1000001,John,Smith,\n", "second.csv")
    res = import_file(store, path)
    assert res.code == 2
    assert "R1000001" in res.err and "Jane Smith" in res.err and str(path) in res.err
    assert "Nothing was imported" in res.err
    assert candidates(store) == {"R1000001": ("Jane", "Smith", "2001-04-03")}
