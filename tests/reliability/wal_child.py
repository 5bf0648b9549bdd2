"""Records entries and then dies without closing the store, leaving its journal behind as
a crash would: ``python -m tests.reliability.wal_child DATA_DIR PASSWORD SESSION_ID COUNT``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording
from tests.kdf import install as cheap_key_derivation


def main() -> None:
    cheap_key_derivation()
    data_dir, password, session_id, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    station = open_station(data_dir, password)
    for n in range(1, count + 1):
        recording.record_entry(station, session_id, "other", note=f"journal entry {n}")
    print("DONE", flush=True)
    os._exit(0)  # no close: nothing copies the journal into the database


if __name__ == "__main__":
    main()
