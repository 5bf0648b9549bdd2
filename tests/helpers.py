"""Shared test helpers: a store with a coordinator, candidates and a planned session."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invigilator_app.cli import main

PASSWORD = "correct horse battery staple"


@dataclass
class CliResult:
    code: int
    out: str
    err: str
    lines: list[str] = field(default_factory=list)


def cli(*argv: str | Path, stdin: str = "") -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], io.StringIO(stdin), out, err)
    return CliResult(code, out.getvalue(), err.getvalue(), err.getvalue().splitlines())


def init_store(data_dir: Path, password: str = PASSWORD) -> str:
    res = cli(
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "Northgate Training Centre",
        "--centre-number",
        "IMI-40213",
        "--coordinator",
        "Sam Coordinator",
        "--password-stdin",
        stdin=password + "\n",
    )
    assert res.code == 0, res.err
    return res.out.strip()


CANDIDATES_CSV = """registration_number,first_name,last_name,date_of_birth
R1000001,Jane,Smith,2001-04-03
R1000002,Tomasz,Nowak,
R1000003,Siân,O'Neill,1999-12-31
R1000004,Zoë,Nguyễn,
"""


def workstations(n: int = 4, spacing: float = 2.0) -> list[dict[str, Any]]:
    return [
        {
            "label": f"PC-{i + 1:02d}",
            "x": (i % 4) * spacing,
            "y": (i // 4) * spacing,
            "screen": False,
            "privacy_filter": False,
        }
        for i in range(n)
    ]


def plan(
    day: str = "2026-12-01",
    start: str = "09:30",
    room: str = "IT Suite",
    regs: tuple[str, ...] = ("R1000001", "R1000002"),
    assessment: str = "MOT-4-A",
    qualification: str = "601/8928/9",
    with_layout: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": day,
        "start": start,
        "room": room,
        "invigilator": {"name": "Alex Patel", "imi_pin": "IMI-PIN-7731", "assessor": False, "impartial": True},
        "candidates": [
            {
                "registration_number": reg,
                "assessment_id": assessment,
                "qualification": qualification,
                "workstation": f"PC-{i + 1:02d}",
                "notice_date": "2026-11-20",
                "readiness_confirmed": True,
            }
            for i, reg in enumerate(regs)
        ],
    }
    if with_layout:
        data["workstations"] = workstations()
    data.update(extra)
    return data


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def seeded(tmp_path: Path) -> Path:
    """A store with a coordinator and four candidates."""
    data_dir = tmp_path / "store"
    init_store(data_dir)
    csv_file = tmp_path / "candidates.csv"
    csv_file.write_text(CANDIDATES_CSV, encoding="utf-8")
    res = cli("--data-dir", data_dir, "--password-stdin", "candidates", "import", csv_file, stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    return data_dir


def plan_session(data_dir: Path, data: dict[str, Any], where: Path) -> int:
    """Plan a session through the command line (``data`` written to ``where``): its id."""
    res = cli(
        "--data-dir", data_dir, "--password-stdin", "session", "plan", write_json(where, data), stdin=PASSWORD + "\n"
    )  # fmt: skip
    assert res.code == 0, res.err
    return int(res.out)


def planned_session(tmp_path: Path, **plan_args: Any) -> tuple[Path, int]:
    """A seeded store with one session planned (``plan``'s arguments), and the session's id."""
    data_dir = seeded(tmp_path)
    return data_dir, plan_session(data_dir, plan(**plan_args), tmp_path / "planned.json")
