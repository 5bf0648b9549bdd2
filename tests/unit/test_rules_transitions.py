"""One table of allowed state changes, asked by the console (which refuses) and by the
transcription (which flags)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from invigilator_app.rules.transitions import (
    ALLOCATION,
    allocation_problem,
    allocation_target,
    register_status,
    session_problem,
)


@pytest.mark.parametrize(
    ("action", "state", "allowed"),
    [
        ("start", "logged_on", True),
        ("start", "finished", False),
        ("finish", "started", True),
        ("finish", "expected", False),
        ("absent", "started", False),
        ("absent", "expected", True),
        ("withdraw", "started", True),
        ("withdraw", "finished", False),
        ("transfer", "expected", True),
        ("transfer", "started", False),
        ("late_arrival", "absent", True),
        ("identity_check", "finished", False),
    ],
)
def test_table(action: str, state: str, allowed: bool) -> None:
    assert (allocation_problem(action, state, "Jane") is None) is allowed


def test_targets_never_move_back() -> None:
    assert allocation_target("identity_check", "logged_on") == "logged_on"
    assert allocation_target("identity_check", "expected") == "identity_checked"
    assert allocation_target("result", "finished") == "finished"
    assert all(t.sources for t in ALLOCATION.values())


def test_sessions() -> None:
    assert session_problem("sign_off", "running", 3) is None
    assert session_problem("sign_off", "closed", 3) == "invigilator's sign-off for session 3, which is closed"


def test_register_marks() -> None:
    at = datetime(2026, 12, 1, 9, 47, tzinfo=UTC)
    assert register_status("started", at, None, "", "Europe/London") == "late (arrived 09:47)"
    assert register_status("finished", None, None, "", "Europe/London") == "present"
    assert (
        register_status("transferred", None, 12, "room flooded", "Europe/London")
        == "transferred to session 12: room flooded"
    )
    assert register_status("absent", None, None, "", "Europe/London") == "absent"
