"""Candidates one at a time, and a centre system's spreadsheet export previewed then imported."""

from __future__ import annotations

from datetime import date

import pytest

from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.services.admin import candidates_admin as ca
from invigilator_app.services.admin.candidates import count_candidates, list_candidates
from tests.services.admin_fixtures import station  # noqa: F401


def test_add_and_edit_a_candidate_with_access_arrangements(station) -> None:  # noqa: F811
    added = ca.add_candidate(
        station,
        ca.CandidateInput("R2000001", " Ada ", "Lovelace", date(2000, 1, 2), "Reader; supervised rest breaks", 25),
    )
    assert (added.name, added.extra_time_percent) == ("Ada Lovelace", 25)
    edited = ca.edit_candidate(station, added.id, ca.CandidateInput("R2000001", "Ada", "King", None, "Reader", 10))
    stored = ca.get_candidate(station, added.id)
    assert stored == edited
    assert (stored.last_name, stored.access_arrangements, stored.extra_time_percent) == ("King", "Reader", 10)


def test_a_duplicate_registration_number_is_refused_case_insensitively(station) -> None:  # noqa: F811
    with pytest.raises(BadInput, match="already registered to Jane Smith"):
        ca.add_candidate(station, ca.CandidateInput("r1000001", "Other", "Person"))
    other = list_candidates(station, "Nowak")[0]
    with pytest.raises(BadInput, match="already registered to Jane Smith"):
        ca.edit_candidate(station, other.id, ca.CandidateInput("R1000001", "Tomasz", "Nowak"))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (ca.CandidateInput("R1", "A", "B"), "not a valid registration number"),
        (ca.CandidateInput("R2000009", "", "B"), "First and last name"),
        (ca.CandidateInput("R2000009", "A", "B", extra_time_percent=150), "percentage from 0 to 100"),
    ],
)
def test_bad_candidate_details_are_refused(station, bad, message) -> None:  # noqa: F811
    with pytest.raises(BadInput, match=message):
        ca.add_candidate(station, bad)


def test_an_inspector_cannot_add_candidates(station) -> None:  # noqa: F811
    from dataclasses import replace

    from invigilator_app.domain.enums import Role

    station.actor = replace(station.actor, role=Role.INSPECTOR)
    with pytest.raises(NotPermitted):
        ca.add_candidate(station, ca.CandidateInput("R2000001", "A", "B"))


EXPORT = (
    "Surname;Forename;Date of Birth;IMI Reg No;Tutor\r\n"
    "Brontë;Anne;17/01/1990;R3000001;K. Hill\r\n"
    "Ó Briain;Ryan;1998-05-06;R3000002;K. Hill\r\n"
)


def test_a_semicolon_windows_1252_export_is_read_and_mapped_by_header_name(station) -> None:  # noqa: F811
    sheet = ca.read_spreadsheet(EXPORT.encode("cp1252"), "export.csv")
    assert (sheet.encoding, sheet.delimiter) == ("Windows-1252", ";")
    preview = ca.preview_import(station, sheet)
    assert preview.column_map == {"registration_number": 3, "first_name": 1, "last_name": 0, "date_of_birth": 2}
    assert [r.status for r in preview.rows] == ["new", "new"]
    assert preview.good[0].date_of_birth == date(1990, 1, 17)
    before = count_candidates(station)
    result = ca.import_previewed(station, preview)
    assert (result.added, count_candidates(station)) == (2, before + 2)
    assert list_candidates(station, "R3000001")[0].name == "Anne Brontë"


def test_utf8_with_bom_and_the_standard_format_are_read_too(station) -> None:  # noqa: F811
    data = "\ufeffREGISTRATION_NUMBER,First_Name,last_name\nR3000003,Zoë,Nguyễn\nR1000001,Jane,Smith\n".encode()
    sheet = ca.read_spreadsheet(data, "std.csv")
    assert (sheet.encoding, sheet.delimiter, sheet.headers[0]) == ("UTF-8 (BOM)", ",", "REGISTRATION_NUMBER")
    preview = ca.preview_import(station, sheet)
    assert [r.status for r in preview.rows] == ["new", "unchanged"]
    assert ca.import_previewed(station, preview).added == 1


def test_the_preview_shows_every_bad_row_and_why_and_nothing_is_written(station) -> None:  # noqa: F811
    data = (
        b"Reg,First,Last,DOB\n"
        b"R3000010,Ann,Lee,31/02/2001\n"  # no such date
        b"R1000001,Someone,Else,\n"  # registered to Jane Smith
        b"R3000011,,Khan,\n"  # no first name
        b"R3000012,Bo,Li,\n"
        b"r3000012,Bo,Li,\n"  # twice in the file
        b"R3000013,Cy,Ng\n"  # too few fields
    )
    sheet = ca.read_spreadsheet(data, "bad.csv")
    preview = ca.preview_import(
        station, sheet, {"registration_number": 0, "first_name": 1, "last_name": 2, "date_of_birth": 3}
    )
    bad = {r.line: r.problems for r in preview.bad}
    assert set(bad) == {2, 3, 4, 6, 7}
    assert "is not a date" in bad[2][0]
    assert "already registered to Jane Smith" in bad[3][0]
    assert "first name is empty" in bad[4][0]
    assert "appears twice (also line 5)" in bad[6][0]
    assert "expected 4 fields, found 3" in bad[7][0]
    before = count_candidates(station)
    with pytest.raises(BadInput) as refused:
        ca.import_previewed(station, preview)
    assert "bad.csv, line 3:" in refused.value.message and "Nothing was imported." in refused.value.message
    assert count_candidates(station) == before


def test_a_column_map_without_a_required_field_is_refused(station) -> None:  # noqa: F811
    sheet = ca.read_spreadsheet(b"Learner,Name\nR3000001,Ann\n", "x.csv")
    assert ca.guess_column_map(sheet.headers)["registration_number"] is None
    with pytest.raises(BadInput, match="Registration number, First name, Last name"):
        ca.preview_import(station, sheet)


def test_sniffing_prefers_the_delimiter_that_splits_the_header() -> None:
    assert ca.sniff_delimiter("a;b;c\n1;2,5;3") == ";"
    assert ca.sniff_delimiter('"Name; full",reg\n') == ","
