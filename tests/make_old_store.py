"""Make the stored old-schema store used by the migration tests: tests/stores/v0001/.

    cd /work/main && .venv/bin/python -m tests.make_old_store

It writes store.db + keyslots.json for the password ``tests.helpers.PASSWORD`` with
cheap key derivation, four candidates and one planned session, at schema revision
0001. The result is committed: once a later migration exists, this script can no longer
make a 0001 store (it refuses), and the committed files are what the tests open.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import tests.kdf

tests.kdf.install()

from invigilator_app.security.keyslots import SlotFile, user_owner  # noqa: E402
from invigilator_app.store.engine import connect  # noqa: E402
from invigilator_app.store.migrate import head_revision  # noqa: E402
from tests.helpers import CANDIDATES_CSV, PASSWORD, cli, init_store, plan, write_json  # noqa: E402

REVISION = "0001"
TARGET = Path(__file__).resolve().parent / "stores" / f"v{REVISION}"
COORDINATOR = "Sam Coordinator"
# What the tests expect to find in the old store (kept here so both agree).
EXPECTED_SESSION_LINE = "1\t2026-12-01\t09:30\tIT Suite\tplanned\t2"
EXPECTED_CANDIDATES = 4


def make(target: Path = TARGET) -> Path:
    if head_revision() != REVISION:
        sys.exit(
            f"The newest schema is {head_revision()}, not {REVISION}: this script can no longer "
            f"make a {REVISION} store. Keep the committed {target}."
        )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data_dir = work / "store"
        init_store(data_dir)
        csv_file = work / "candidates.csv"
        csv_file.write_text(CANDIDATES_CSV, encoding="utf-8")
        res = cli("--data-dir", data_dir, "--password-stdin", "candidates", "import", csv_file, stdin=PASSWORD + "\n")
        assert res.code == 0, res.err
        res = cli(
            "--data-dir",
            data_dir,
            "--password-stdin",
            "session",
            "plan",
            write_json(work / "plan.json", plan()),
            stdin=PASSWORD + "\n",
        )
        assert res.code == 0, res.err
        # Compact the file and leave no WAL behind.
        key = SlotFile.load(data_dir / "keyslots.json").open(user_owner(COORDINATOR), PASSWORD.encode())
        conn = connect(data_dir / "store.db", key)
        try:
            (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            assert version == REVISION, version
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            conn.execute("VACUUM")
        finally:
            conn.close()
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in ("store.db", "keyslots.json"):
            shutil.copy2(data_dir / name, target / name)
        (target / "README.md").write_text(
            f"Store at schema revision {REVISION}, made by tests/make_old_store.py.\n"
            f"Password: tests.helpers.PASSWORD; coordinator: {COORDINATOR}; KDF: the test suite's cheap cost (tests/kdf.py).\n"
            f"Contents: {EXPECTED_CANDIDATES} candidates, one planned session.\n"
            "Do not regenerate once a later migration exists.\n",
            encoding="utf-8",
        )
    return target


if __name__ == "__main__":
    out = make()
    print(json.dumps({"made": str(out), "files": sorted(p.name for p in out.iterdir())}))
