"""A consistent, still encrypted copy of the open store (``VACUUM INTO``).

SQLCipher writes the copy with the store's own key, so it is as encrypted as the store.
The copy is one transaction's view: writes made meanwhile are simply not in it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from invigilator_app.store import faults


def copy_store(engine: Engine, target: Path) -> None:
    """Write the whole store, consistently and encrypted, to ``target`` (which must not exist)."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.execute("VACUUM INTO ?", (str(target),))  # type: ignore[union-attr]
    except Exception as exc:
        target.unlink(missing_ok=True)
        error = faults.translate(exc, target, "No backup was written")
        if error is not None:
            raise error from None
        raise
    finally:
        raw.close()
