"""Another program holding the store's write lock: ``python -m tests.reliability.lock_holder DB``.

Reads the data key (hex) from the first line of standard input, takes the write lock
(``BEGIN IMMEDIATE``), prints ``LOCKED``, and holds it until a second line arrives (or
standard input closes); then rolls back and exits."""

from __future__ import annotations

import sys

import sqlcipher3.dbapi2 as sqlcipher


def main() -> None:
    db = sys.argv[1]
    key = sys.stdin.readline().strip()
    conn = sqlcipher.connect(db, isolation_level=None, timeout=30)
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    print("LOCKED", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    conn.close()
    print("RELEASED", flush=True)


if __name__ == "__main__":
    main()
