"""Files the station writes for people (records, reports, packs): never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.private import make_private


def refuse_link(path: Path, flag: str = "--out") -> None:
    """Never write through a symbolic link: it could send the station's output (personal
    data) over a file the user did not name."""
    if path.is_symlink():
        raise BadInput(
            f"{flag} {path} is a symbolic link; the station never writes through one. "
            "Name a new file (or the real file) instead. Nothing was written."
        )


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a reader never sees half of it, and a failure leaves nothing.

    The file is created 0600 (a temporary file in the same folder, renamed over the name
    given: a rename replaces a link itself, never its target); a symbolic link at the name
    is refused."""
    refuse_link(path)
    target = path.absolute()
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
        make_private(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
