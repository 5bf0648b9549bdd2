"""The README's quick start, run exactly as written, in a throwaway folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def quick_start_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- quick-start -->\s*```sh\n(.*?)```\s*<!-- /quick-start -->", text, re.S)
    assert found, "README.md has no quick-start block"
    return found.group(1)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="the quick start is a POSIX shell script")
def test_readme_quick_start_runs_as_written(tmp_path: Path) -> None:
    script = quick_start_block()
    # `. .venv/bin/activate` puts the station's command first on PATH: in a test run the
    # interpreter running the tests is that environment, wherever it lives.
    venv_bin = Path(sys.executable).parent
    fake_checkout = tmp_path / "checkout"
    (fake_checkout / ".venv" / "bin").mkdir(parents=True)
    (fake_checkout / ".venv" / "bin" / "activate").write_text(f'PATH="{venv_bin}:$PATH"\n', encoding="utf-8")
    shutil.copytree(ROOT / "examples", fake_checkout / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVIGILATOR_")}
    env.update(
        TMPDIR=str(tmp_path),
        HOME=str(tmp_path / "home"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script + '\necho "DATA=$INVIGILATOR_DATA_DIR"\n'],
        cwd=fake_checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Wrote the signed record of session 1" in result.stderr
    assert "IT Suite" in result.stdout
    data_dir = Path(result.stdout.strip().splitlines()[-1].removeprefix("DATA="))
    assert (data_dir / "store.db").exists()
    assert (data_dir.parent / "record.pdf").exists()
    assert data_dir.is_relative_to(tmp_path), "the quick start must stay in a throwaway folder"
