"""The write-ahead journal (``store.db-wal``) checked before the store is opened.

After a crash the journal holds transactions that are committed but not yet copied into
the database. SQLite replays the journal up to the first frame whose checksum fails and
silently ignores the rest; the first connection to close then copies what it replayed
into the database and deletes the journal. So a few damaged bytes early in the journal
would lose every later transaction, and the evidence with them.

This module reads the journal as SQLite's WAL format defines it (a 32-byte header with
magic, page size, salts and checksum; then frames of a 24-byte header — page number,
database size for a commit frame, the salts, a cumulative checksum — and one page) and
finds the last valid commit. Past it, a frame of the same generation (the header's
salts) whose checksum fits its predecessor's stored checksum was written whole by
SQLite: if such frames follow a damaged one, committed data would be lost. Then nothing
is opened: the journal and database are copied aside and the store is refused as
damaged (exit 4), with what can be recovered. A journal that simply ends in a torn,
uncommitted frame (a crash during a write) is normal and opens as SQLite intends.
"""

from __future__ import annotations

import shutil
import struct
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from invigilator_app.domain.errors import StoreDamaged

WAL_MAGIC = (0x377F0682, 0x377F0683)
HEADER = 32
FRAME_HEADER = 24


@dataclass(frozen=True)
class WalReport:
    frames: int
    """Whole frames in the file."""
    valid_commits: int
    """Transactions SQLite would replay."""
    valid_frames: int
    """Frames up to and including the last valid commit."""
    first_bad: int | None
    """1-based number of the first frame that fails, if any (within this generation)."""
    lost_commits: int
    """Whole, committed transactions after the damage, which SQLite would silently drop."""
    header_ok: bool = True

    @property
    def damaged(self) -> bool:
        return self.lost_commits > 0 or (not self.header_ok and self.frames > 0)


def _checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def inspect_wal(wal: bytes) -> WalReport:
    if len(wal) < HEADER:
        return WalReport(0, 0, 0, None, 0, header_ok=len(wal) == 0)
    magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", wal[:HEADER])
    frame_size = FRAME_HEADER + page_size
    frames = (len(wal) - HEADER) // frame_size if page_size else 0
    if magic not in WAL_MAGIC or page_size < 512 or page_size & (page_size - 1):
        return WalReport(frames, 0, 0, None, 0, header_ok=False)
    big = bool(magic & 1)
    if _checksum(wal[:24], big) != (c1, c2):
        return WalReport(frames, 0, 0, None, 0, header_ok=False)
    s = (c1, c2)
    commits = valid_frames = 0
    first_bad = None
    offset = HEADER
    index = 0
    for index in range(1, frames + 1):
        head = wal[offset : offset + FRAME_HEADER]
        page = wal[offset + FRAME_HEADER : offset + frame_size]
        pgno, db_size, f_salt1, f_salt2, f1, f2 = struct.unpack(">6I", head)
        s = _checksum(head[:8] + page, big, *s)
        if (f_salt1, f_salt2) != (salt1, salt2) or s != (f1, f2) or pgno == 0:
            first_bad = index
            break
        if db_size:
            commits += 1
            valid_frames = index
        offset += frame_size
    if first_bad is None:
        return WalReport(frames, commits, valid_frames, None, 0)
    # Past the break: frames of this generation that SQLite wrote whole (each one's checksum
    # fits the one stored in the frame before it). Committed ones among them would be lost.
    lost = 0
    prev = struct.unpack(">2I", wal[offset + 16 : offset + 24])
    for _ in range(first_bad + 1, frames + 1):
        offset += frame_size
        head = wal[offset : offset + FRAME_HEADER]
        page = wal[offset + FRAME_HEADER : offset + frame_size]
        pgno, db_size, f_salt1, f_salt2, f1, f2 = struct.unpack(">6I", head)
        whole = (f_salt1, f_salt2) == (salt1, salt2) and _checksum(head[:8] + page, big, *prev) == (f1, f2)
        if whole and db_size:
            lost += 1
        prev = (f1, f2)
    return WalReport(frames, commits, valid_frames, first_bad, lost)


def check_before_open(db_path: Path) -> None:
    """Refuse (StoreDamaged, exit 4) a store whose journal would silently lose committed
    transactions; the evidence is first copied aside. Nothing is opened or changed."""
    wal_path = db_path.with_name(db_path.name + "-wal")
    try:
        wal = wal_path.read_bytes()
    except FileNotFoundError:
        return
    report = inspect_wal(wal)
    if not report.damaged:
        return
    time.sleep(0.2)  # read again: another program may have been rewriting the journal as it was read
    try:
        again = wal_path.read_bytes()
    except FileNotFoundError:
        return
    if again[:HEADER] != wal[:HEADER] or not inspect_wal(again).damaged:
        return
    report = inspect_wal(again)
    kept = keep_evidence(db_path, wal_path)
    if not report.header_ok:
        what = f"its header is damaged, so none of its {report.frames} frame(s) would be replayed"
        recoverable = "the database file as it was at the last checkpoint"
    else:
        what = (
            f"frame {report.first_bad} of {report.frames} is damaged, and {report.lost_commits} committed "
            "transaction(s) after it would be silently dropped"
        )
        recoverable = (
            f"the database file plus the journal's first {report.valid_commits} transaction(s) "
            f"(frames 1–{report.valid_frames})"
        )
    raise StoreDamaged(
        f"The store's journal {wal_path} is damaged: {what}. Nothing was opened or changed, and the journal was "
        f"not applied. What can be recovered as it stands: {recoverable}; the later transactions are in the "
        f"journal for a specialist to recover. Copies of the database and the journal are in {kept}. Compare "
        f"with the newest backup or exported checkpoint (`verify --audit --checkpoint`) before going on; "
        f"backups are in {db_path.parent / 'backups'}."
    )


def keep_evidence(db_path: Path, wal_path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = db_path.parent / f"damaged-journal-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    for source in (db_path, wal_path, db_path.parent / "keyslots.json"):
        if source.exists():
            shutil.copy2(source, folder / source.name)
    return folder
