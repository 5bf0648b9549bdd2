"""Benchmark (no test, no assertion): ``verify --audit`` on a store with 10,000 audit entries.

    .venv/bin/python tests/bench/audit_bench.py [ENTRIES]

Builds a throwaway store (fast key derivation, null keyring), appends the entries in
writes of 500 rows, then times, best of 5: the chain walk alone (plain Core rows, as
``services.integrity`` reads them), the walk over ORM objects (for comparison), the full
``verify_store`` (SQLCipher page check, quick_check, chain, stored checkpoints), and the
same with an exported checkpoint file.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import select  # noqa: E402

from invigilator_app.services.access import init_store, open_station  # noqa: E402
from invigilator_app.services.trust import checkpoints  # noqa: E402
from invigilator_app.services.trust.integrity import CHAIN_COLUMNS, verify_store  # noqa: E402
from invigilator_app.store import audit  # noqa: E402
from invigilator_app.store.models import AuditEntry, Meta  # noqa: E402
from tests.kdf import install as cheap_key_derivation  # noqa: E402

cheap_key_derivation()

PASSWORD = "bench audit password"


def best(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main(entries: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "store"
        init_store(
            data_dir, centre_name="Bench", centre_number="B1", coordinator="Bench Coordinator", password=PASSWORD
        )
        station = open_station(data_dir, PASSWORD)
        try:
            done = 0
            while done < entries - 5:
                with station.write() as session:
                    for i in range(min(500, entries - 5 - done)):
                        session.add(Meta(key=f"bench:{done + i}", value="x"))
                done += 500
            exported = Path(tmp) / "checkpoint.txt"
            exported.write_text(checkpoints.create_checkpoint(station, "export").to_text(), encoding="utf-8")
            with station.read() as session:
                count = audit.head(session)[0]

            def walk_core() -> None:
                with station.read() as session:
                    assert audit.walk_chain(
                        session.connection().execute(select(*CHAIN_COLUMNS).order_by(AuditEntry.id))
                    ).ok

            def walk_orm() -> None:
                with station.read() as session:
                    assert audit.walk_chain(session.scalars(select(AuditEntry).order_by(AuditEntry.id))).ok

            rows = [
                ("chain walk, plain rows", best(5, walk_core)),
                ("chain walk, ORM objects", best(5, walk_orm)),
                ("verify_store (page check + chain + checkpoints)", best(5, lambda: verify_store(station))),
                ("verify_store --checkpoint FILE", best(5, lambda: verify_store(station, exported))),
            ]
        finally:
            station.close()
    print(f"{count} audit entries")
    for name, seconds in rows:
        print(f"{name:<50} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
