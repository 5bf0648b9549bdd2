"""`users add|list|disable|passwd` and `recovery` on the command line: passwords from
standard input (the acting user's on line 1, the new one on line 2), exit codes 0/2/5,
never a traceback, never a password echoed."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.store.models import User
from tests.helpers import PASSWORD, cli, init_store

ALEX = "alex invigilates on mondays"
IVY = "monitoring visit tuesday"


def run(data_dir: Path, *args: str | Path, stdin: str, user: str | None = None):
    before = ("--user", user) if user else ()
    res = cli("--data-dir", data_dir, *before, "--password-stdin", *args, stdin=stdin)
    assert "Traceback" not in res.err
    for secret in (PASSWORD, ALEX, IVY):
        assert secret not in res.err and secret not in res.out
    return res


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("users") / "store"
    return data_dir, init_store(data_dir)


@pytest.fixture
def store(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    target = tmp_path / "store"
    shutil.copytree(template[0], target)
    return target, template[1]


def tomorrow() -> str:
    return (datetime.now(UTC).date() + timedelta(days=1)).isoformat()


def test_add_list_passwd_disable(store: tuple[Path, str]) -> None:
    data_dir, _ = store
    res = run(
        data_dir,
        "users",
        "add",
        "Alex Patel",
        "--role",
        "invigilator",
        "--imi-pin",
        "IMI-PIN-7731",
        stdin=f"{PASSWORD}\n{ALEX}\n",
    )
    assert res.code == 0, res.err
    assert "Alex Patel can now unlock the station as invigilator" in res.err
    res = run(
        data_dir,
        "users",
        "add",
        "Ivy Inspector",
        "--role",
        "inspector",
        "--expires",
        tomorrow(),
        stdin=f"{PASSWORD}\n{IVY}\n",
    )
    assert res.code == 0, res.err
    res = run(data_dir, "users", "list", stdin=f"{PASSWORD}\n")
    assert res.code == 0
    assert res.out.splitlines() == [
        "Sam Coordinator\tcoordinator\tactive\t-\tpassword",
        "Alex Patel\tinvigilator\tactive\t-\tpassword",
        f"Ivy Inspector\tinspector\tactive\t{tomorrow()}\tpassword",
    ]
    assert "IMI-PIN-7731" not in res.out, "the list shows no PIN"
    res = run(data_dir, "users", "passwd", "Alex Patel", stdin=f"{ALEX}\nalex picked a new one\n", user="Alex Patel")
    assert res.code == 0, res.err
    assert run(data_dir, "sessions", "list", stdin="alex picked a new one\n", user="Alex Patel").code == 0
    res = run(data_dir, "users", "disable", "Alex Patel", stdin=f"{PASSWORD}\n")
    assert res.code == 0, res.err
    assert run(data_dir, "sessions", "list", stdin="alex picked a new one\n", user="Alex Patel").code == 5


def test_bad_input_is_exit_2(store: tuple[Path, str]) -> None:
    data_dir, _ = store
    cases = [
        (("users", "add", "Ivy", "--role", "inspector"), f"{PASSWORD}\n{IVY}\n", "--expires"),
        (("users", "add", "Ivy", "--role", "inspector", "--expires", "soon"), f"{PASSWORD}\n{IVY}\n", "YYYY-MM-DD"),
        (("users", "add", "Ivy", "--role", "auditor"), f"{PASSWORD}\n{IVY}\n", "invalid choice"),
        (("users", "add", "Al", "--role", "invigilator", "--imi-pin", "1"), f"{PASSWORD}\nletmein12345\n", "common"),
        (("users", "add", "Al", "--role", "invigilator", "--imi-pin", "1"), f"{PASSWORD}\n", "line 2"),
        (("users", "disable", "Nobody"), f"{PASSWORD}\n", "no user called Nobody"),
        (("users", "passwd", "Sam Coordinator"), f"{PASSWORD}\nshort\n", "12"),
    ]
    for args, stdin, message in cases:
        res = run(data_dir, *args, stdin=stdin)
        assert res.code == 2, (args, res.err)
        assert message in res.err, (args, res.err)


def test_not_permitted_is_exit_5(store: tuple[Path, str]) -> None:
    data_dir, _ = store
    assert (
        run(
            data_dir,
            "users",
            "add",
            "Alex Patel",
            "--role",
            "invigilator",
            "--imi-pin",
            "P1",
            stdin=f"{PASSWORD}\n{ALEX}\n",
        ).code
        == 0
    )
    assert (
        run(
            data_dir,
            "users",
            "add",
            "Ivy Inspector",
            "--role",
            "inspector",
            "--expires",
            tomorrow(),
            stdin=f"{PASSWORD}\n{IVY}\n",
        ).code
        == 0
    )
    for user, password in (("Alex Patel", ALEX), ("Ivy Inspector", IVY)):
        for args, stdin in (
            (("users", "add", "Zed", "--role", "coordinator"), f"{password}\nzed has a long password\n"),
            (("users", "disable", "Sam Coordinator"), f"{password}\n"),
            (("users", "passwd", "Sam Coordinator"), f"{password}\nsam has been taken over\n"),
        ):
            res = run(data_dir, *args, stdin=stdin, user=user)
            assert res.code == 5, (user, args, res.err)
            assert "may not" in res.err or "only their own" in res.err or "read-only" in res.err


def test_an_expired_inspector_is_refused_exit_5(store: tuple[Path, str]) -> None:
    data_dir, _ = store
    assert (
        run(
            data_dir,
            "users",
            "add",
            "Ivy Inspector",
            "--role",
            "inspector",
            "--expires",
            tomorrow(),
            stdin=f"{PASSWORD}\n{IVY}\n",
        ).code
        == 0
    )
    assert run(data_dir, "verify", "--audit", stdin=f"{IVY}\n", user="Ivy Inspector").code == 0
    station = open_station(data_dir, PASSWORD)
    try:  # the visit is over: its last day has passed
        with station.write() as session:
            ivy = session.query(User).filter_by(name="Ivy Inspector").one()
            ivy.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    finally:
        station.close()
    res = run(data_dir, "sessions", "list", stdin=f"{IVY}\n", user="Ivy Inspector")
    assert res.code == 5
    assert "expired" in res.err


def test_recovery_sets_a_new_coordinator_password(store: tuple[Path, str]) -> None:
    data_dir, recovery_key = store
    res = cli("--data-dir", data_dir, "recovery", stdin="WRONG-KEY0-0000-0000\nwhatever it is now\n")
    assert res.code == 5 and "not the recovery key" in res.err
    res = cli("--data-dir", data_dir, "recovery", stdin=f"{recovery_key.lower()}\nletmein12345\n")
    assert res.code == 2 and "common" in res.err
    res = cli(
        "--data-dir", data_dir, "recovery", "--password-stdin", stdin=f"{recovery_key}\nthe coordinator is back\n"
    )
    assert res.code == 0, res.err
    assert "Sam Coordinator has a new password" in res.err
    assert recovery_key not in res.err + res.out
    assert run(data_dir, "sessions", "list", stdin=f"{PASSWORD}\n").code == 5, "the old password is gone"
    assert run(data_dir, "sessions", "list", stdin="the coordinator is back\n").code == 0
    assert run(data_dir, "verify", "--audit", stdin="the coordinator is back\n").code == 0


def test_recovery_names_the_coordinator_when_there_are_several(store: tuple[Path, str]) -> None:
    data_dir, recovery_key = store
    assert (
        run(
            data_dir,
            "users",
            "add",
            "Kim Deputy",
            "--role",
            "coordinator",
            stdin=f"{PASSWORD}\nkim keeps the spare keys\n",
        ).code
        == 0
    )
    res = cli("--data-dir", data_dir, "recovery", stdin=f"{recovery_key}\nthe coordinator is back\n")
    assert res.code == 2 and "--user" in res.err and "Kim Deputy" in res.err
    res = cli(
        "--data-dir", data_dir, "--user", "Kim Deputy", "recovery", stdin=f"{recovery_key}\nkim was locked out once\n"
    )
    assert res.code == 0, res.err
    assert run(data_dir, "users", "list", stdin="kim was locked out once\n", user="Kim Deputy").code == 0
