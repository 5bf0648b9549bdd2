"""INV-2/INV-3 declarations are facts about people: a plan cannot overwrite them (exit 3,
both values named) unless it carries a coordinator-confirmed change with a reason; any ST
reference is an Apprenticeship Standard, listed or not."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from invigilator_app.rules.standards import is_standard, load_standards
from invigilator_app.services.access import open_station
from invigilator_app.services.admin import invigilators
from invigilator_app.services.admin.users import add_invigilator, list_users
from tests.helpers import PASSWORD, CliResult, cli, plan, seeded, write_json


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = seeded(tmp_path_factory.mktemp("template"))
    station = open_station(data_dir, PASSWORD)
    try:
        add_invigilator(station, "Dana Reid", "IMI-555", assessor=True, impartial=False)
    finally:
        station.close()
    return data_dir


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target


def run(store: Path, tmp_path: Path, data: dict[str, Any]) -> CliResult:
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "p.json", data),
        stdin=PASSWORD + "\n",
    )
    assert "Traceback" not in res.err
    return res


def dana(store: Path) -> tuple[bool, bool, list[invigilators.DeclarationChangeView]]:
    station = open_station(store, PASSWORD)
    try:
        user = next(u for u in list_users(station) if u.name == "Dana Reid")
        return user.assessor, user.impartial, invigilators.declaration_history(station, "Dana Reid")
    finally:
        station.close()


def as_dana(**invigilator: Any) -> dict[str, Any]:
    data = plan()
    data["invigilator"] = {"name": "Dana Reid", "imi_pin": "IMI-555", **invigilator}
    return data


def test_a_plan_cannot_overwrite_recorded_declarations(store: Path, tmp_path: Path) -> None:
    res = run(store, tmp_path, as_dana(assessor=False, impartial=True))
    assert res.code == 3 and res.out == ""
    inv2 = next(line for line in res.lines if line.startswith("INV-2: "))
    inv3 = next(line for line in res.lines if line.startswith("INV-3: "))
    assert "recorded with assessor: true" in inv2 and "the plan says assessor: false" in inv2
    assert "recorded with impartial: false" in inv3 and "the plan says impartial: true" in inv3
    assert dana(store) == (True, False, [])


def test_a_confirmed_change_is_applied_with_its_reason(store: Path, tmp_path: Path) -> None:
    data = as_dana(
        assessor=False,
        impartial=True,
        declaration_change={
            "reason": "Left the assessor team in October; no automotive background",
            "confirmed_by": "Sam Coordinator",
        },
    )
    res = run(store, tmp_path, data)
    assert res.code == 0, res.err
    assessor, impartial, history = dana(store)
    assert (assessor, impartial) == (False, True)
    assert [(h.field, h.original, h.changed, h.confirmed_by) for h in history] == [
        ("assessor", True, False, "Sam Coordinator"),
        ("impartial", False, True, "Sam Coordinator"),
    ]
    assert history[0].source.startswith("plan ")


def test_a_change_confirmed_by_someone_else_is_bad_input(store: Path, tmp_path: Path) -> None:
    data = as_dana(assessor=False, declaration_change={"reason": "Left the assessor team", "confirmed_by": "Dana Reid"})
    res = run(store, tmp_path, data)
    assert res.code == 2
    assert "$.invigilator.declaration_change.confirmed_by" in res.err
    assert dana(store)[0] is True


def test_a_plan_without_declarations_keeps_the_recorded_ones(store: Path, tmp_path: Path) -> None:
    res = run(store, tmp_path, as_dana())
    assert res.code == 3
    assert [line.split(":")[0] for line in res.lines] == ["INV-2"], res.err  # an assessor needs authorising


def test_any_st_reference_is_a_standard_needing_an_impartial_invigilator(store: Path, tmp_path: Path) -> None:
    data = plan(assessment="ST0034-KT1", qualification="ST0034")
    data["invigilator"]["impartial"] = False
    res = run(store, tmp_path, data)
    assert res.code == 3
    assert any(line.startswith("INV-3: ") and "ST0034 Autocare technician" in line for line in res.lines), res.err
    unlisted = plan(assessment="ST0999-KT1", qualification="ST0999")
    unlisted["invigilator"] = {"name": "Rhian Evans", "imi_pin": "IMI-9", "impartial": False}
    res = run(store, tmp_path, unlisted)
    assert res.code == 3 and any(line.startswith("INV-3: ") for line in res.lines), res.err


def test_the_shipped_standards_list() -> None:
    listed = load_standards()
    assert listed["ST0033"].startswith("Motor vehicle service and maintenance technician")
    assert all(is_standard(ref) for ref in listed)
    assert is_standard("ST0033/AP03") and is_standard("st0034") and not is_standard("601/8928/9")
    assert not is_standard("ST00345") and not is_standard("XST0033")
