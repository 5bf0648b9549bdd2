"""The shipped 2-hour retake list and the coordinator's extension file (CAND-7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from invigilator_app.rules.retake_list import (
    SHIPPED_PATH,
    RetakeListError,
    default_retake_hours,
    load_retake_hours,
    load_two_hour_list,
)

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "001_3408f5a17bc27a4d.txt"


def test_shipped_list_is_in_resources() -> None:
    assert SHIPPED_PATH.exists()
    assert SHIPPED_PATH.parent.name == "resources"
    assert SHIPPED_PATH.read_text(encoding="utf-8").splitlines()[0] == "qualification_number,title,retake_hours"


def test_shipped_list_contents() -> None:
    two_hour = load_two_hour_list()
    assert len(two_hour) == 13
    assert two_hour["601/8928/9"] == "IMI Level 2 Award In Mot Testing (Classes 4 And 7)"
    assert two_hour["603/4182/8"] == "IMI Level 3 Award in Heavy Electric/Hybrid Vehicle System Repair and Replacement"
    assert two_hour["500/6771/0"] == "L3 Award In Automotive Refrigerant Handling (EC842-2006)"
    assert set(load_retake_hours().values()) == {2}


def test_shipped_list_matches_the_rulebook() -> None:
    if not SEED.exists():
        pytest.skip("the 001 rulebook is not beside the repository")
    text = SEED.read_text(encoding="utf-8")
    numbers = set(re.findall(r"\d{3}/\d{4}/\d", text))
    two_hour = load_two_hour_list()
    assert set(two_hour) == numbers
    flat = " ".join(text.split())
    for title in two_hour.values():
        assert title in flat


def test_default_hours() -> None:
    two_hour = load_two_hour_list()
    assert default_retake_hours("601/8928/9", two_hour) == 2
    assert default_retake_hours(" 601/8928/9 ", two_hour) == 2
    assert default_retake_hours("ST0033", two_hour) == 48


def test_extension_file_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "qualification_number,title,retake_hours\n"
        "ACC/001,IMI Accreditation: Accredited Assessor,2\n"
        "\n"
        "600/1954/2,L3 Award In Cargo Refrigerant Handling (EC842-2006),48\n"
        "ACC/002,Blank hours mean two,\n",
        encoding="utf-8",
    )
    two_hour = load_two_hour_list(extra_path=extra)
    assert two_hour["ACC/001"] == "IMI Accreditation: Accredited Assessor"
    assert "ACC/002" in two_hour
    assert "600/1954/2" not in two_hour
    assert load_retake_hours(extra_path=extra)["600/1954/2"] == 48
    assert load_two_hour_list(extra_path=tmp_path / "absent.csv") == load_two_hour_list()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("number,title\n1,a\n", "first line"),
        ("qualification_number,title,retake_hours\n,no number,2\n", "line 2: no qualification number"),
        ("qualification_number,title,retake_hours\nX,t,two\n", "whole number"),
        ("qualification_number,title,retake_hours\nX,t,-1\n", "negative"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RetakeListError, match=problem):
        load_two_hour_list(path)
