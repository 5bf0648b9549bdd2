"""Export scope as documented: an invigilator exports only their own sessions; coordinators
and inspectors export any. One test per export command and role.

The attack: Alex, an invigilator, exported Bea's session and the whole day's records."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import PASSWORD, cli, plan, seeded, write_json

ALEX = ("Alex Patel", "alex keeps the room quiet")
BEA = ("Bea Other", "bea reads the seating plan")
DANA = ("Dana Inspector", "dana checks every record twice")
COORD = ("Sam Coordinator", PASSWORD)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("scope")
    data_dir = seeded(tmp)
    ids = []
    for name, start, room, invigilator, pin in (
        ("a", "09:00", "IT Suite", ALEX[0], "PIN-A"),
        ("b", "13:00", "Room 2", BEA[0], "PIN-B"),
    ):
        data = plan(start=start, room=room)
        data["invigilator"] = {"name": invigilator, "imi_pin": pin, "assessor": False, "impartial": True}
        res = cli(
            "--data-dir",
            data_dir,
            "--password-stdin",
            "session",
            "plan",
            write_json(tmp / f"{name}.json", data),
            stdin=PASSWORD + "\n",
        )
        assert res.code == 0, res.err
        ids.append(res.out.strip())
    assert ids == ["1", "2"]
    last_day = (date.today() + timedelta(days=30)).isoformat()
    for (name, password), extra in (
        (ALEX, ["--role", "invigilator", "--imi-pin", "PIN-A"]),
        (BEA, ["--role", "invigilator", "--imi-pin", "PIN-B"]),
        (DANA, ["--role", "inspector", "--expires", last_day]),
    ):
        res = cli(
            "--data-dir", data_dir, "--password-stdin", "users", "add", name, *extra, stdin=f"{PASSWORD}\n{password}\n"
        )
        assert res.code == 0, res.err
    return data_dir


def run(store: Path, who: tuple[str, str], *args: str | Path):
    return cli("--data-dir", store, "--user", who[0], "--password-stdin", *args, stdin=who[1] + "\n")


@pytest.mark.parametrize("suffix", ["pdf", "csv"])
@pytest.mark.parametrize(
    ("who", "session", "allowed"),
    [
        (ALEX, "1", True),
        (ALEX, "2", False),
        (BEA, "2", True),
        (BEA, "1", False),
        (COORD, "1", True),
        (COORD, "2", True),
        (DANA, "1", True),
        (DANA, "2", True),
    ],
    ids=["alex-own", "alex-others", "bea-own", "bea-others", "coord-1", "coord-2", "inspector-1", "inspector-2"],
)
def test_session_export(store: Path, tmp_path: Path, who, session: str, allowed: bool, suffix: str) -> None:
    out = tmp_path / f"record.{suffix}"
    res = run(store, who, "session", "export", session, "--out", out)
    if allowed:
        assert res.code == 0, res.err
        assert out.exists()
    else:
        assert res.code == 5, res.err
        assert "may export only the records of their own sessions" in res.err
        assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name != "store"] == []


@pytest.mark.parametrize(
    ("who", "rooms"),
    [
        (ALEX, {"IT Suite"}),
        (BEA, {"Room 2"}),
        (COORD, {"IT Suite", "Room 2"}),
        (DANA, {"IT Suite", "Room 2"}),
    ],
    ids=["alex", "bea", "coordinator", "inspector"],
)
def test_sessions_export_of_a_day(store: Path, tmp_path: Path, who, rooms: set[str]) -> None:
    out = tmp_path / "day.pdf"
    res = run(store, who, "sessions", "export", "--date", "2026-12-01", "--out", out)
    assert res.code == 0, res.err
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert {r for r in ("IT Suite", "Room 2") if r in text} == rooms
    assert (ALEX[0] in text) == ("IT Suite" in rooms) and (BEA[0] in text) == ("Room 2" in rooms)


def test_an_invigilator_with_no_session_that_day_gets_nothing(store: Path, tmp_path: Path) -> None:
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "c.json", plan(day="2026-12-02", start="09:00", room="Room 3")),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    res = run(store, BEA, "sessions", "export", "--date", "2026-12-02", "--out", tmp_path / "day.pdf")
    assert res.code == 5 and "None of the sessions" in res.err
    assert not (tmp_path / "day.pdf").exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [(ALEX, False), (BEA, False), (COORD, True), (DANA, True)],
    ids=["alex", "bea", "coordinator", "inspector"],
)
def test_inspect_export(store: Path, tmp_path: Path, who, allowed: bool) -> None:
    out = tmp_path / "pack"
    res = run(store, who, "inspect", "export", "--from", "2026-12-01", "--to", "2026-12-01", "--out", out)
    if allowed:
        assert res.code == 0, res.err
        assert sorted(p.name for p in out.iterdir() if p.name.startswith("record-")) == [
            "record-1-2026-12-01.pdf",
            "record-2-2026-12-01.pdf",
        ]
    else:
        assert res.code == 5, res.err
        assert not out.exists()
