"""An `inspect export` that pauses after its first record, so a test can kill it there:
prints ``WROTE`` once a record with personal data is on disk, then waits."""

from __future__ import annotations

import sys
import time

from invigilator_app.services.review import inspection
from tests.kdf import install

install()
real = inspection.signed_record_pdf
calls: list[int] = []


def slow_record(station, session_id):
    if calls:
        print("WROTE", flush=True)
        time.sleep(60)
    calls.append(session_id)
    return real(station, session_id)


inspection.signed_record_pdf = slow_record

if __name__ == "__main__":
    from invigilator_app.cli import main

    sys.exit(main(sys.argv[1:]))
