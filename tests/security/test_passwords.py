"""New passwords: at least 12 characters and not on the shipped list of common passwords."""

from __future__ import annotations

from pathlib import Path

import pytest

from invigilator_app.security.passwords import (
    COMMON_FILE,
    common_passwords,
    context_words,
    password_problem,
    strength_problem,
)
from tests.helpers import PASSWORD, cli


def test_the_shipped_list_is_large_lower_case_and_one_per_line() -> None:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 10_000
    assert all(line == line.strip().lower() and line for line in lines)
    assert {"password", "123456", "qwerty", "iloveyou"} <= common_passwords()


@pytest.mark.parametrize(
    "password",
    [
        "short pass",
        "password1234",
        "Password2024!!",
        "qwertyuiop12",
        "123456789012",
        "i love you 1234",
        "dragondragon",
        "abcabcabcabc",
        "            ",
    ],
)
def test_common_or_weak_passwords_are_refused(password: str) -> None:
    assert password_problem(password) is not None


def test_the_users_own_name_is_refused() -> None:
    assert password_problem("Helen Ward 2026!", names=["Helen Ward"]) == "is based on the user's name"
    assert password_problem("helenward1234", names=["Helen Ward"]) is not None


@pytest.mark.parametrize("password", [PASSWORD, "a brand new passphrase 99", "seven plum kettles argue"])
def test_long_uncommon_passphrases_pass(password: str) -> None:
    assert password_problem(password, names=["Sam Coordinator"]) is None


@pytest.mark.parametrize(
    "password",
    ["Invigilator2026", "Northgate2024!", "Northgate-Invigilation-7", "IMI-40213-station", "Northgate Centre 2027"],
)
def test_the_centres_own_words_and_years_are_refused_with_the_reason(tmp_path: Path, password: str) -> None:
    """The attack: passwords an attacker at Northgate tries first were accepted (the common
    list knows nothing of the centre, the app or this year)."""
    data_dir = tmp_path / "store"
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
    assert res.code == 2, res.err
    assert "centre's name" in res.err and "station's own words" in res.err, res.err
    assert password not in res.err and "Traceback" not in res.err
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_a_password_zxcvbn_finds_quick_to_guess_says_how_quick_and_why() -> None:
    problem = password_problem("qwertyuiopasdf", names=["Sam Coordinator"])
    assert problem is not None
    assert "guessed offline in under a minute" in problem and "1,000 guesses a second" in problem
    assert "similar to a commonly used password" in problem, problem


def test_a_strong_password_passes_with_the_centres_words_as_inputs() -> None:
    words = context_words("Sam Coordinator", "Northgate Training Centre", "IMI-40213", years=range(2016, 2028))
    assert password_problem("plum kettles argue at the harbour", names=["Sam Coordinator"], context=words) is None
    assert strength_problem("northgate training centre", words) is not None


def test_init_refuses_a_common_password_and_creates_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    res = cli(
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "C",
        "--centre-number",
        "N",
        "--coordinator",
        "Sam",
        "--password-stdin",
        stdin="password1234\n",
    )
    assert res.code == 2
    assert "common password" in res.err and "password1234" not in res.err
    assert not data_dir.exists() or not any(data_dir.iterdir())
