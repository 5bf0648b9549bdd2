"""Hypothesis strategies and checks shared by the importers' fuzz test and its longer run
(tests/bench/fuzz_importers.py): every input is accepted within the limits or refused as
bad input (BadInput), never another error."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from invigilator_app.domain.errors import BadInput
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services import bounds
from invigilator_app.services.admin import candidates, candidates_admin, rooms
from invigilator_app.services.console.transcription import parse_paper_log
from invigilator_app.services.jsonfile import parse_json
from invigilator_app.services.planning.plans import parse_plan
from tests.helpers import plan

NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "31/02/2001",
            "9999-12-31T23:59-01:00",
            "NaN",
            "Infinity",
            "1e308",
            "-0",
            "x" * 2_000,
            "\x00",
            "R1",
            "R" + "9" * 50,
            "=cmd|' /C calc'!A0",
        ]
    ),
)
NASTY_NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 100, 100.0001, -100.5, 1e6, 1e308]),
)
JSON_LEAF = st.one_of(st.none(), st.booleans(), NASTY_NUMBER, NASTY_TEXT)
JSON_ANY = st.recursive(
    JSON_LEAF,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def _dump(value: Any) -> str:
    return json.dumps(value, allow_nan=True)


def accepted_or_bad(call: Callable[[], Any]) -> Any:
    """The call's result, or None when it was refused as bad input (any other error fails)."""
    try:
        return call()
    except BadInput:
        return None


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    header = draw(
        st.one_of(
            st.just("registration_number,first_name,last_name,date_of_birth"),
            st.just("Surname;Forename;DOB;IMI Reg No"),
            NASTY_TEXT,
        )
    )
    rows = draw(st.lists(st.lists(NASTY_TEXT, min_size=0, max_size=6), max_size=8))
    sep = draw(st.sampled_from([",", ";"]))
    quote = draw(st.booleans())
    lines = [sep.join(f'"{c}"' if quote and '"' not in c else c for c in row) for row in rows]
    return "\n".join([header, *lines]) + draw(st.sampled_from(["", "\n", "\r\n", '"unterminated']))


def check_candidates_csv(text: str) -> None:
    rows = accepted_or_bad(lambda: candidates.parse_candidates_csv(text, "fuzz.csv"))
    for row in rows or []:
        assert candidates_admin.REG_PATTERN.match(row.registration_number)
        assert row.date_of_birth is None or bounds.FIRST_BIRTH <= row.date_of_birth <= bounds.LAST_DAY


def check_spreadsheet(text: str) -> None:
    sheet = accepted_or_bad(lambda: candidates_admin.read_spreadsheet(text.encode("utf-8", "replace"), "fuzz.csv"))
    if sheet is None:
        return
    mapping = candidates_admin.guess_column_map(sheet.headers)
    for _line, cells in sheet.rows:
        values = {
            f: (cells[i].strip() if (i := mapping.get(f)) is not None and i < len(cells) else "")
            for f in candidates_admin.FIELDS
        }
        row, problems = candidates_admin._check_row(values)
        assert (row is None) == bool(problems)


@st.composite
def plan_texts(draw: st.DrawFn) -> str:
    data: Any = plan()
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.sampled_from(["top", "workstation", "candidate", "desk", "invigilator"]))
        key = draw(
            st.sampled_from(
                [
                    "date",
                    "start",
                    "room",
                    "x",
                    "y",
                    "label",
                    "registration_number",
                    "notice_date",
                    "planned_minutes",
                    "workstations",
                    "candidates",
                    "name",
                    "imi_pin",
                    "extra",
                ]
            )
        )
        value = draw(JSON_ANY)
        if where == "top":
            data[key] = value
        elif where == "workstation" and isinstance(data.get("workstations"), list) and data["workstations"]:
            data["workstations"][0][key] = value
        elif where == "candidate" and isinstance(data.get("candidates"), list) and data["candidates"]:
            data["candidates"][0][key] = value
        elif where == "desk":
            data["desk"] = {"x": value, "y": draw(NASTY_NUMBER)}
        elif isinstance(data.get("invigilator"), dict):
            data["invigilator"][key] = value
    if draw(st.booleans()):
        return _dump(draw(JSON_ANY))
    return _dump(data)


def check_plan(text: str) -> None:
    request = accepted_or_bad(lambda: parse_plan(parse_json(text, "fuzz.json"), "fuzz.json"))
    if request is None:
        return
    assert bounds.FIRST_DAY <= request.day <= bounds.LAST_DAY
    for w in request.workstations or ():
        assert math.isfinite(w.x) and math.isfinite(w.y)
        assert abs(w.x) <= bounds.ROOM_METRES and abs(w.y) <= bounds.ROOM_METRES


@st.composite
def log_texts(draw: st.DrawFn) -> str:
    entry = st.fixed_dictionaries(
        {
            "type": st.one_of(
                st.sampled_from(["fire_alarm", "start", "finish", "question_issue", "result"]), NASTY_TEXT
            ),
            "at": st.one_of(st.just("2026-12-01T10:05"), NASTY_TEXT, JSON_LEAF),
        },
        optional={
            "registration_number": JSON_LEAF,
            "note": JSON_LEAF,
            "question_number": JSON_LEAF,
            "assessment_id": JSON_LEAF,
            "result": JSON_LEAF,
        },
    )
    return _dump(draw(st.one_of(st.lists(entry, max_size=5), JSON_ANY)))


def check_paper_log(text: str) -> None:
    entries = accepted_or_bad(lambda: parse_paper_log(parse_json(text, "fuzz.json"), "fuzz.json", "Europe/London"))
    for e in entries or []:
        assert bounds.FIRST_DAY.year <= e.at.year <= bounds.LAST_DAY.year + 1


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[WorkstationFact], tuple[float, float] | None]:
    points = draw(st.lists(st.tuples(NASTY_NUMBER, NASTY_NUMBER), max_size=6))
    layout = [
        WorkstationFact(f"PC-{i}", float(min(max(x, -1e308), 1e308)), float(min(max(y, -1e308), 1e308)), True, True)
        for i, (x, y) in enumerate(points)
    ]
    desk = draw(st.one_of(st.none(), st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True))))
    return layout, desk


def check_layout(layout: list[WorkstationFact], desk: tuple[float, float] | None) -> None:
    accepted = accepted_or_bad(lambda: rooms._check_coordinates(layout, desk) or True)
    if accepted:
        for w in layout:
            assert math.isfinite(w.x) and abs(w.x) <= bounds.ROOM_METRES
