"""Files the station writes for people (records, reports, packs): never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from invigilator_app.domain.errors import BadInput


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a reader never sees half of it, and a failure leaves nothing."""
    target = path.resolve()
    if target.is_dir():
        raise BadInput(f"{path} is a folder; give a file name ending in .pdf")
    if not target.parent.is_dir():
        raise BadInput(f"{path}: the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
