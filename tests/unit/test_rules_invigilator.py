"""INV-2 (assessor), INV-3 (impartial for Apprenticeship Standards), INV-4 (nominated)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from invigilator_app.domain.enums import Severity
from invigilator_app.rules.facts import AttemptFact, InvigilatorFact, QualificationFact
from invigilator_app.rules.invigilator import (
    check_assessor,
    check_impartial,
    check_invigilator,
    check_nominated,
)

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
QUALS = {
    "ST0033": QualificationFact(
        "ST0033", "Motor Vehicle Service and Maintenance Technician", apprenticeship_standard=True
    ),
    "601/8928/9": QualificationFact("601/8928/9", "MOT"),
}


def inv(**kw: object) -> InvigilatorFact:
    fields: dict[str, object] = {"name": "Bob Jones", "imi_pin": "12345", "nominated": True}
    fields.update(kw)
    return InvigilatorFact(**fields)  # type: ignore[arg-type]


def att(qualification: str, cancelled: bool = False) -> AttemptFact:
    return AttemptFact("k" + qualification, "R1", "Jane Smith", "A1", qualification, START, cancelled=cancelled)


@pytest.mark.parametrize(
    ("assessor", "authorisation", "needs"),
    [(False, "", False), (True, "", True), (True, "  ", True), (True, "Sickness cover, IQA observing", False)],
)
def test_assessor_needs_authorisation(assessor: bool, authorisation: str, needs: bool) -> None:
    found = check_assessor(inv(assessor=assessor, assessor_authorisation=authorisation))
    assert bool(found) is needs
    for v in found:
        assert v.rule_id == "INV-2" and v.severity is Severity.AUTHORISE
        assert "Bob Jones (PIN 12345) is an assessor" in v.message
        assert "coordinator must record an authorisation with a reason" in v.message


@pytest.mark.parametrize(
    ("impartial", "qualifications", "blocked"),
    [
        (False, ["ST0033"], True),
        (True, ["ST0033"], False),
        (False, ["601/8928/9"], False),
        (False, ["unknown"], False),
        (False, ["601/8928/9", "ST0033"], True),
    ],
)
def test_apprenticeship_needs_impartial(impartial: bool, qualifications: list[str], blocked: bool) -> None:
    found = check_impartial(inv(impartial=impartial), [att(q) for q in qualifications], QUALS)
    assert bool(found) is blocked
    for v in found:
        assert v.rule_id == "INV-3" and v.blocks
        assert "ST0033 Motor Vehicle Service and Maintenance Technician is linked" in v.message


def test_cancelled_apprenticeship_attempt_does_not_count() -> None:
    assert check_impartial(inv(), [att("ST0033", cancelled=True)], QUALS) == []


@pytest.mark.parametrize(
    ("name", "nominated", "blocked"), [("Bob Jones", True, False), ("Bob Jones", False, True), ("", True, True)]
)
def test_nominated(name: str, nominated: bool, blocked: bool) -> None:
    found = check_nominated(inv(name=name, nominated=nominated))
    assert bool(found) is blocked
    assert all(v.rule_id == "INV-4" and v.blocks for v in found)


def test_check_invigilator_runs_all_three() -> None:
    found = check_invigilator(inv(assessor=True, nominated=False), [att("ST0033")], QUALS)
    assert sorted(v.rule_id for v in found) == ["INV-2", "INV-3", "INV-4"]
    assert check_invigilator(inv(impartial=True), [att("ST0033")], QUALS) == []
