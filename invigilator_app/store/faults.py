"""What a failed write means: a busy store, a full disk, or damage.

SQLite reports a full disk as ``SQLITE_FULL`` when it notices, but a write refused part-way
(a file-size limit, a quota, the journal's index that cannot grow) comes back as a plain
"disk I/O error" (``SQLITE_IOERR``). Python's own file writes raise ``OSError`` with
``ENOSPC``, ``EDQUOT`` or ``EFBIG``. All of them are "no space" to the user (exit 6), never
damage or an unexpected error. For a plain I/O error the store's folder is probed with a
scratch file as large as the store's biggest file plus a margin: when that cannot be
written either, the cause is space, not damage.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

from invigilator_app.domain.errors import NoSpace, StoreBusy

SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_IOERR_WRITE = 778
SQLITE_IOERR_FSYNC = 1034
SQLITE_IOERR_TRUNCATE = 1546
SQLITE_IOERR_SHMSIZE = 4874
NO_SPACE_SQLITE = (SQLITE_IOERR_WRITE, SQLITE_IOERR_TRUNCATE, SQLITE_IOERR_SHMSIZE)

NO_SPACE_ERRNOS = frozenset(
    code for code in (getattr(errno, name, None) for name in ("ENOSPC", "EDQUOT", "EFBIG")) if code is not None
)


def sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return int(code) if code is not None else None


def is_busy(exc: BaseException) -> bool:
    code = sqlite_code(exc)
    return code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


def is_no_space(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in NO_SPACE_ERRNOS
    code = sqlite_code(exc)
    return code is not None and (code & 0xFF == SQLITE_FULL or code in NO_SPACE_SQLITE)


PROBE_MARGIN = 8 << 20
PROBE_CAP = 64 << 20


def is_io_error(exc: BaseException) -> bool:
    code = sqlite_code(exc)
    return code is not None and code & 0xFF == SQLITE_IOERR


def disk_refuses_writes(folder: Path) -> bool:
    """Whether the folder cannot take a scratch file as large as its biggest file plus a
    margin (at most 64 MiB) because of space, a quota or a file-size limit."""
    try:
        sizes = [entry.stat().st_size for entry in folder.iterdir() if entry.is_file()]
    except OSError:
        return False
    need = min(max(sizes, default=0) + PROBE_MARGIN, PROBE_CAP)
    block = bytes(1 << 20)
    try:
        fd, name = tempfile.mkstemp(prefix=".space-probe-", dir=folder)
    except OSError as exc:
        return is_no_space(exc)
    try:
        with os.fdopen(fd, "wb", buffering=0) as handle:
            written = 0
            while written < need:
                written += handle.write(block[: need - written]) or 0
                if written < need and handle.tell() < written:
                    break
        return False
    except OSError as exc:
        return is_no_space(exc)
    finally:
        Path(name).unlink(missing_ok=True)


def no_space(where: Path, what: str = "This change was not saved") -> NoSpace:
    return NoSpace(
        f"No space: the disk holding {where} is full, or a quota or file-size limit was reached. "
        f"{what}. Free some space and try again."
    )


def busy(where: Path, waited_ms: int | None = None) -> StoreBusy:
    waited = f" (waited {waited_ms / 1000:g} s)" if waited_ms else ""
    return StoreBusy(
        f"The store {where} is busy: another program is writing to it{waited}. "
        "This change was not saved; try again in a moment."
    )


def translate(exc: BaseException, where: Path, what: str = "This change was not saved") -> Any:
    """The user-facing error for a low-level one about the store file ``where``, or None
    when it is neither busy nor no space."""
    if is_no_space(exc) or (is_io_error(exc) and disk_refuses_writes(where.parent)):
        return no_space(where, what)
    if is_busy(exc):
        return busy(where)
    return None
