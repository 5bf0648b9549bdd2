"""The catalogue: qualifications and assessments, the 2-hour list, and its CSV import."""

from __future__ import annotations

import pytest

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.admin import catalogue_admin as cat
from invigilator_app.services.admin.catalogue import two_hour_list
from tests.services.admin_fixtures import station  # noqa: F401


def test_the_two_hour_list_is_preloaded_once(station) -> None:  # noqa: F811
    assert cat.preload_two_hour_list(station) == len(two_hour_list())
    assert cat.preload_two_hour_list(station) == 0
    rows = {q.number: q for q in cat.list_qualifications(station)}
    mot = rows["601/8928/9"]
    assert (mot.retake_hours, mot.on_two_hour_list, mot.other_software_allowed) == (2, True, True)


def test_add_and_edit_a_qualification_and_its_assessment(station) -> None:  # noqa: F811
    cat.save_qualification(
        station,
        cat.QualificationInput(
            "610/0001/1", "Level 3 Diploma", 48, apprenticeship_standard=True, calculator_allowed=True
        ),
    )
    cat.save_assessment(station, "L3-ONL-01", "610/0001/1", "Unit 1", 90)
    q = cat.save_qualification(
        station, cat.QualificationInput("610/0001/1", "Level 3 Diploma (ST0033)", 72, apprenticeship_standard=True)
    )
    assert (q.title, q.retake_hours, q.calculator_allowed, q.assessments) == ("Level 3 Diploma (ST0033)", 72, False, 1)
    a = cat.save_assessment(station, "L3-ONL-01", "610/0001/1", "Unit 1: safe working", 75)
    assert cat.list_assessments(station, "610/0001/1") == [a]
    assert a.planned_minutes == 75


def test_an_assessment_cannot_move_to_another_qualification(station) -> None:  # noqa: F811
    cat.save_qualification(station, cat.QualificationInput("610/0001/1"))
    cat.save_qualification(station, cat.QualificationInput("610/0002/2"))
    cat.save_assessment(station, "A-1", "610/0001/1")
    with pytest.raises(BadInput, match="belongs to qualification 610/0001/1"):
        cat.save_assessment(station, "A-1", "610/0002/2")
    with pytest.raises(BadInput, match="add qualification 699/0000/0"):
        cat.save_assessment(station, "A-2", "699/0000/0")


CSV = """qualification_number,qualification_title,retake_hours,apprenticeship_standard,calculator_allowed,assessment_id,assessment_title,planned_minutes
610/0001/1,Level 3 Diploma,,yes,no,L3-01,Unit 1,90
610/0001/1,,,,,L3-02,Unit 2,
601/8928/9,,,,,MOT4-ONL-02,MOT class 4,60
"""  # noqa: E501  (a spreadsheet's header row is one line)


def test_the_catalogue_csv_adds_and_updates_all_rows(station) -> None:  # noqa: F811
    result = cat.import_catalogue(station, cat.parse_catalogue_csv(CSV, "cat.csv"), "cat.csv")
    assert result == cat.CatalogueImportResult(2, 0, 3, 0)
    rows = {q.number: q for q in cat.list_qualifications(station)}
    assert rows["610/0001/1"].apprenticeship_standard and rows["610/0001/1"].retake_hours == 48
    assert rows["601/8928/9"].retake_hours == 2, "on the shipped list"
    again = cat.import_catalogue(
        station,
        cat.parse_catalogue_csv(
            "qualification_number,retake_hours,assessment_id,planned_minutes\n610/0001/1,24,L3-02,45\n", "b.csv"
        ),
        "b.csv",
    )
    assert again == cat.CatalogueImportResult(0, 1, 0, 1)


def test_bad_catalogue_rows_are_all_reported_by_line(station) -> None:  # noqa: F811
    text = (
        "qualification_number,retake_hours,calculator_allowed,assessment_id\n"
        ",48,no,A\n610/1,lots,maybe,B\n610/2,48,no,B\n"
    )
    with pytest.raises(BadInput) as bad:
        cat.parse_catalogue_csv(text, "c.csv")
    lines = bad.value.message.splitlines()
    assert lines[0] == "c.csv, line 2: qualification_number is empty"
    assert "c.csv, line 3: retake_hours 'lots' is not a whole number" in lines
    assert "c.csv, line 3: calculator_allowed 'maybe' is not yes or no" in lines
    assert lines[-1] == "Nothing was imported."
    with pytest.raises(BadInput, match="line 1: expected the header"):
        cat.parse_catalogue_csv("number,title\n", "d.csv")


def test_an_import_that_would_move_an_assessment_writes_nothing(station) -> None:  # noqa: F811
    cat.save_qualification(station, cat.QualificationInput("610/0001/1"))
    cat.save_assessment(station, "A-1", "610/0001/1")
    rows = cat.parse_catalogue_csv("qualification_number,assessment_id\n620/0000/0,NEW-1\n620/0000/0,A-1\n", "e.csv")
    with pytest.raises(BadInput, match=r"e\.csv, line 3: assessment A-1 belongs to qualification 610/0001/1"):
        cat.import_catalogue(station, rows, "e.csv")
    assert "620/0000/0" not in {q.number for q in cat.list_qualifications(station)}
