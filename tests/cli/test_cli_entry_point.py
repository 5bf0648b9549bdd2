"""The real entry point, in a child process: `python -m invigilator_app` and its exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path, stdin: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invigilator_app", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_python_m_init_list_and_wrong_password(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")  # the production key-derivation cost
    data_dir = tmp_path / "store"
    init = run(
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
        stdin=PASSWORD + "\n",
        env=env,
    )
    assert init.returncode == 0, init.stderr
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}\n", init.stdout), init.stdout
    assert "Traceback" not in init.stderr

    listed = run("--data-dir", data_dir, "sessions", "list", "--password-stdin", stdin=PASSWORD + "\n", env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == ""
    assert "Traceback" not in listed.stderr

    wrong = run("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin="wrong password here\n", env=env)
    assert wrong.returncode == 5
    assert "Traceback" not in wrong.stderr
    assert wrong.stdout == ""

    usage = run("--data-dir", data_dir, "sessions", "frobnicate", stdin="", env=env)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr
