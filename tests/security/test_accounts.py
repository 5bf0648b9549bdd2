"""Accounts and roles in the services: invigilators with their own password, time-limited
read-only inspectors, disabling, password changes, and locking a station."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotPermitted, WrongPassword
from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services.access import open_station, reopen
from invigilator_app.services.admin.accounts import (
    ACTIONS,
    add_user,
    disable_user,
    list_accounts,
    may,
    set_password,
)
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.store.models import Meta
from tests.helpers import PASSWORD, cli, plan, seeded, write_json

INSPECTOR_PASSWORD = "monitoring visit tuesday"
ALEX_PASSWORD = "alex invigilates on mondays"
VISIT_DAY = date(2026, 12, 1)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("accounts")
    data_dir = seeded(base)
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(base / "plan.json", plan()),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    return data_dir


def coordinator(store: Path, clock: Clock | None = None):
    return open_station(store, PASSWORD, user="Sam Coordinator", **({"clock": clock} if clock else {}))


def test_an_invigilator_named_in_a_plan_gets_a_password_and_unlocks_as_invigilator(store: Path) -> None:
    station = coordinator(store)
    try:
        assert [a.login for a in list_accounts(station) if a.name == "Alex Patel"] == [False]
        view = add_user(station, "alex patel", "invigilator", ALEX_PASSWORD, imi_pin="IMI-PIN-7731")
        assert (view.name, view.role, view.login) == ("Alex Patel", "invigilator", True)
        with pytest.raises(BadInput, match="already has a password"):
            add_user(station, "Alex Patel", "invigilator", "yet another long password", imi_pin="X")
        with pytest.raises(BadInput, match="as invigilator"):
            add_user(station, "Alex Patel", "coordinator", "yet another long password")
        with pytest.raises(BadInput, match="IMI PIN"):
            add_user(station, "New Person", "invigilator", "yet another long password")
        with pytest.raises(BadInput, match="common password"):
            add_user(station, "New Person", "invigilator", "password12345", imi_pin="P1")
    finally:
        station.close()
    alex = open_station(store, ALEX_PASSWORD, user="Alex Patel")
    try:
        assert alex.actor.role.value == "invigilator" and alex.actor.name == "Alex Patel"
        assert len(list_sessions(alex)) == 1
    finally:
        alex.close()


def test_an_inspector_account_is_read_only_and_expires_by_itself(store: Path) -> None:
    clock = Clock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    station = coordinator(store, clock)
    try:
        with pytest.raises(BadInput, match="--expires"):
            add_user(station, "Ivy Inspector", "inspector", INSPECTOR_PASSWORD)
        with pytest.raises(BadInput, match="in the past"):
            add_user(station, "Ivy Inspector", "inspector", INSPECTOR_PASSWORD, expires=date(2026, 11, 29))
        with pytest.raises(BadInput, match="no IMI PIN"):
            add_user(station, "Ivy Inspector", "inspector", INSPECTOR_PASSWORD, imi_pin="1", expires=VISIT_DAY)
        view = add_user(station, "Ivy Inspector", "inspector", INSPECTOR_PASSWORD, expires=VISIT_DAY)
        assert view.expires == "2026-12-01"
    finally:
        station.close()
    clock.now = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 23:30 in London on the last day
    inspector = open_station(store, INSPECTOR_PASSWORD, user="Ivy Inspector", clock=clock)
    try:
        assert inspector.db.read_only
        with inspector.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA query_only")).scalar() == 1
            with pytest.raises(Exception, match=r"readonly|read-only|attempt to write"):
                conn.execute(text("INSERT INTO store_meta (key, value) VALUES ('x', 'y')"))
        with pytest.raises(NotPermitted), inspector.write() as session:
            session.add(Meta(key="x", value="y"))
        assert len(list_sessions(inspector)) == 1, "view"
    finally:
        inspector.close()
    clock.now = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # the day after the visit
    with pytest.raises(NotPermitted, match="expired"):
        open_station(store, INSPECTOR_PASSWORD, user="Ivy Inspector", clock=clock)


def test_disabling_removes_the_key_slot(store: Path) -> None:
    station = coordinator(store)
    try:
        add_user(station, "Alex Patel", "invigilator", ALEX_PASSWORD, imi_pin="IMI-PIN-7731")
        with pytest.raises(BadInput, match="your own"):
            disable_user(station, "Sam Coordinator")
        disable_user(station, "alex patel")
        with pytest.raises(BadInput, match="already disabled"):
            disable_user(station, "Alex Patel")
        assert user_owner("Alex Patel") not in SlotFile.load(store / "keyslots.json").owners()
        assert [a.status for a in list_accounts(station) if a.name == "Alex Patel"] == ["disabled"]
    finally:
        station.close()
    with pytest.raises(WrongPassword):
        open_station(store, ALEX_PASSWORD, user="Alex Patel")
    station = coordinator(store)
    try:  # adding them again enables the account with a new password
        add_user(station, "Alex Patel", "invigilator", "alex is back after the summer", imi_pin="IMI-PIN-7731")
    finally:
        station.close()
    open_station(store, "alex is back after the summer", user="Alex Patel").close()


def test_who_may_change_which_password(store: Path) -> None:
    station = coordinator(store)
    try:
        add_user(station, "Alex Patel", "invigilator", ALEX_PASSWORD, imi_pin="IMI-PIN-7731")
        add_user(station, "Bo Other", "invigilator", "bo has a password too", imi_pin="IMI-PIN-0002")
        add_user(station, "Ivy Inspector", "inspector", INSPECTOR_PASSWORD, expires=date(2099, 1, 1))
        set_password(station, "Bo Other", "bo was given a new one")
    finally:
        station.close()
    alex = open_station(store, ALEX_PASSWORD, user="Alex Patel")
    try:
        with pytest.raises(NotPermitted, match="only their own"):
            set_password(alex, "Bo Other", "alex sets bo's password")
        with pytest.raises(BadInput, match="too short"):
            set_password(alex, "Alex Patel", "short")
        set_password(alex, "Alex Patel", "alex chose a better one")
    finally:
        alex.close()
    inspector = open_station(store, INSPECTOR_PASSWORD, user="Ivy Inspector")
    try:
        with pytest.raises(NotPermitted):
            set_password(inspector, "Ivy Inspector", "an inspector's new password")
    finally:
        inspector.close()
    open_station(store, "alex chose a better one", user="Alex Patel").close()
    open_station(store, "bo was given a new one", user="Bo Other").close()


def test_lock_wipes_the_key_and_reopen_needs_the_same_users_password(store: Path) -> None:
    station = coordinator(store)
    key = station.db.key
    assert any(key)
    station.lock()
    assert station.locked and not any(key), "the data key is wiped in memory"
    with pytest.raises(NotPermitted, match="locked"):
        list_sessions(station)
    with pytest.raises(NotPermitted, match="locked"), station.write():
        pass
    with pytest.raises(WrongPassword):
        reopen(station, "not the password at all")
    again = reopen(station, PASSWORD)
    try:
        assert again is not station and again.actor == station.actor
        assert len(list_sessions(again)) == 1
        assert station.locked, "the locked station stays locked"
    finally:
        again.close()
    assert not any(again.db.key), "close() wipes the key too"


def test_the_role_table_is_what_the_gui_asks() -> None:
    assert may(Role.INSPECTOR, "verify the store") and may(Role.INSPECTOR, "export records")
    assert not may(Role.INSPECTOR, "amend records")
    assert not may(Role.INVIGILATOR, "manage users")
    assert all(may(Role.COORDINATOR, a) for a in ACTIONS if a != "sign off own record")


def test_expiry_is_checked_at_every_unlock_not_only_at_creation(store: Path) -> None:
    clock = Clock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    station = coordinator(store, clock)
    try:
        add_user(
            station, "Tess Temp", "invigilator", "a temporary invigilator", imi_pin="P-9", expires=date(2026, 11, 30)
        )
    finally:
        station.close()
    open_station(store, "a temporary invigilator", user="Tess Temp", clock=clock).close()
    clock.now += timedelta(days=1)
    with pytest.raises(NotPermitted, match="expired"):
        open_station(store, "a temporary invigilator", user="Tess Temp", clock=clock)
