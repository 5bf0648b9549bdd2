"""`visits list`, `actions list [--due-within DAYS]` and `complaints list`: one
tab-separated line per row, exit 0; a bad option exits 2 with the option named."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.demo import DEMO_COORDINATOR
from invigilator_app.services.quality import actions, complaints, visits
from tests.helpers import cli
from tests.review_helpers import INSPECTOR, demo_store


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    data_dir, password = demo_store(tmp_path)
    today = datetime.now(ZoneInfo("Europe/London")).date()
    station = open_station(data_dir, password, user=DEMO_COORDINATOR)
    try:
        visit = visits.record_visit(
            station,
            visits.VisitInput(
                "Pat Quinn",
                today - timedelta(days=10),
                today - timedelta(days=40),
                today - timedelta(days=11),
                announced=False,
                remote=True,
                inspector=INSPECTOR,
            ),
        )
        visits.add_sample(station, visit.id, visits.SampleInput("session", session_id=1))
        actions.add_action(station, visit.id, "Later one", today + timedelta(days=30))
        actions.add_action(station, visit.id, "Soon one", today + timedelta(days=3))
        actions.add_action(station, visit.id, "Late one\nwith two lines", today - timedelta(days=2))
        complaints.record_complaint(
            station,
            complaints.ComplaintInput(
                today - timedelta(days=1), today - timedelta(days=5), "Noise", session_ids=(1, 2)
            ),
        )
    finally:
        station.close()
    return data_dir, password


def run(store: tuple[Path, str], *args: str):
    res = cli("--data-dir", store[0], "--password-stdin", *args, stdin=store[1] + "\n")
    assert "Traceback" not in res.err
    return res


def test_the_lists_print_one_line_each(store: tuple[Path, str]) -> None:
    today = datetime.now(ZoneInfo("Europe/London")).date()
    res = run(store, "visits", "list")
    assert res.code == 0, res.err
    [line] = res.out.splitlines()
    fields = line.split("\t")
    assert fields[0] == "1" and fields[2] == "Pat Quinn" and fields[3] == "unannounced/remote"
    assert fields[5] == INSPECTOR and fields[6] == "looked-at 0/1" and fields[7] == "open-actions 3"
    res = run(store, "actions", "list")
    assert res.code == 0, res.err
    rows = [line.split("\t") for line in res.out.splitlines()]
    assert [(r[2], r[3], r[5]) for r in rows] == [
        ("-2", "overdue", "Late one with two lines"),
        ("3", "due-soon", "Soon one"),
        ("30", "open", "Later one"),
    ]
    assert rows[0][1] == (today - timedelta(days=2)).isoformat()
    res = run(store, "actions", "list", "--due-within", "7")
    assert [line.split("\t")[5] for line in res.out.splitlines()] == ["Late one with two lines", "Soon one"]
    res = run(store, "complaints", "list")
    assert res.code == 0, res.err
    [line] = res.out.splitlines()
    assert line.split("\t")[3:] == ["centre", "within-90-days", line.split("\t")[5], "open", "1,2"]


def test_a_bad_number_of_days_is_refused_with_exit_2(store: tuple[Path, str]) -> None:
    res = run(store, "actions", "list", "--due-within", "-1")
    assert res.code == 2 and "--due-within -1" in res.err and res.out == ""
    res = run(store, "actions", "list", "--due-within", "soon")
    assert res.code == 2 and "--due-within" in res.err
