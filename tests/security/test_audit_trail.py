"""The audit trail as an inspector checks it: ``verify --audit [--checkpoint FILE]`` finds an
edited, deleted or reordered entry, a truncated chain, a rolled-back copy of the store and
a tampered byte, with exit 4 and the first bad entry named; signed checkpoints are made
inside the transaction that closes a session."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.access import open_station
from invigilator_app.services.trust import checkpoints, keys
from invigilator_app.services.trust.integrity import verify_store
from invigilator_app.store import audit
from invigilator_app.store.models import AuditCheckpoint, Meta
from invigilator_app.store.models import Session as SessionRow
from tests.helpers import PASSWORD, cli, plan, seeded, write_json
from tests.security.tamper import copy_store, flip_byte, raw_store


def run(data_dir: Path, *args: str | Path, password: str = PASSWORD):
    res = cli("--data-dir", data_dir, "--password-stdin", *args, stdin=password + "\n")
    assert "Traceback" not in res.err
    return res


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("audit")
    data_dir = seeded(base)
    assert run(data_dir, "session", "plan", write_json(base / "plan.json", plan())).code == 0
    return data_dir


def entry_count(data_dir: Path) -> int:
    with raw_store(data_dir) as conn:
        return int(conn.execute("SELECT max(id) FROM audit_entries").fetchone()[0])


def export(data_dir: Path, out: Path) -> Path:
    res = run(data_dir, "station", "checkpoint", "--out", out)
    assert res.code == 0, res.err
    return out


def test_a_good_store_verifies_with_its_exported_checkpoint(store: Path, tmp_path: Path) -> None:
    cp = export(store, tmp_path / "checkpoint.txt")
    text = cp.read_text(encoding="utf-8")
    assert "format: invigilator-app audit checkpoint v2" in text and "signature: " in text
    assert "certificate: " in text and "centre: " in text
    res = run(store, "verify", "--audit", "--checkpoint", cp)
    assert res.code == 0, res.err
    assert res.out.startswith("OK") and "1 signed checkpoint(s)" in res.out
    # --checkpoint alone implies --audit.
    assert run(store, "verify", "--checkpoint", cp).code == 0


def test_an_edited_entry_is_named(store: Path) -> None:
    with raw_store(store) as conn:
        conn.execute("UPDATE audit_entries SET actor = 'Mallory' WHERE id = 3")
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert "audit entry 3 was altered" in res.err


def test_a_deleted_entry_is_named(store: Path) -> None:
    with raw_store(store) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id = 4")
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert "audit entry 4 is missing" in res.err


def test_reordered_entries_are_named(store: Path) -> None:
    columns = "at, actor, action, entity, entity_id, digest, prev_hash, hash"
    with raw_store(store) as conn:
        five = conn.execute(f"SELECT {columns} FROM audit_entries WHERE id = 5").fetchone()
        six = conn.execute(f"SELECT {columns} FROM audit_entries WHERE id = 6").fetchone()
        sets = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
        conn.execute(f"UPDATE audit_entries SET {sets} WHERE id = 5", six)
        conn.execute(f"UPDATE audit_entries SET {sets} WHERE id = 6", five)
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert "audit entry 5 does not follow entry 4" in res.err


def test_a_truncated_chain_is_caught_by_an_exported_checkpoint(store: Path, tmp_path: Path) -> None:
    cp = export(store, tmp_path / "checkpoint.txt")
    signed = checkpoints.read_checkpoint_file(cp).entry_count
    cut_from = signed - 2
    with raw_store(store) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id >= ?", (cut_from,))
        conn.execute("DELETE FROM audit_checkpoints")
    # The rows the cut entries held are no longer in the chain ...
    alone = run(store, "verify", "--audit")
    assert alone.code == 4 and "written outside the app" in alone.err
    # ... and the exported checkpoint names the cut.
    res = run(store, "verify", "--audit", "--checkpoint", cp)
    assert res.code == 4
    assert "rolled back" in res.err and f"first missing one is entry {cut_from}" in res.err


def test_a_truncated_chain_is_caught_by_a_checkpoint_kept_in_the_store(store: Path, tmp_path: Path) -> None:
    signed = checkpoints.read_checkpoint_file(export(store, tmp_path / "checkpoint.txt")).entry_count
    with raw_store(store) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id >= ?", (signed,))
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert "stored checkpoint 1" in res.err and "rolled back" in res.err


@pytest.mark.parametrize("signed_before_backup", [True, False])
def test_a_rolled_back_copy_of_the_store_is_refused(store: Path, tmp_path: Path, signed_before_backup: bool) -> None:
    if signed_before_backup:
        export(store, tmp_path / "earlier.txt")
    backup = copy_store(store, tmp_path / "backup")
    assert run(store, "session", "plan", write_json(tmp_path / "p2.json", plan(day="2026-12-02"))).code == 0
    cp = export(store, tmp_path / "checkpoint.txt")
    copy_store(backup, store)  # the old copy put back over the newer store
    assert run(store, "verify", "--audit").code == 0, "the old copy is consistent in itself"
    res = run(store, "verify", "--audit", "--checkpoint", cp)
    assert res.code == 4
    assert "The store was rolled back behind" in res.err


def test_a_store_rewritten_up_to_the_checkpoint_is_refused(store: Path, tmp_path: Path) -> None:
    cp = export(store, tmp_path / "checkpoint.txt")
    signed = checkpoints.read_checkpoint_file(cp)
    with raw_store(store) as conn:  # a forged but self-consistent chain: re-hash every entry
        rows = conn.execute(
            "SELECT id, at, actor, action, entity, entity_id, digest, version, fields FROM audit_entries ORDER BY id"
        ).fetchall()
        prev = audit.GENESIS
        from datetime import UTC, datetime

        for row in rows:
            at = datetime.fromisoformat(row[1]).replace(tzinfo=UTC)
            actor = "Mallory" if row[0] == 2 else row[2]
            new = audit.link_hash(prev, at, actor, row[3], row[4], row[5], row[6], row[7], row[8])
            conn.execute(
                "UPDATE audit_entries SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?", (actor, prev, new, row[0])
            )
            prev = new
        conn.execute("DELETE FROM audit_checkpoints")
    alone = run(store, "verify", "--audit")
    assert alone.code == 4, "a re-hashed chain no longer carries its authors' signatures"
    assert "audit entry 1 " in alone.err and "not signed" in alone.err
    res = run(store, "verify", "--audit", "--checkpoint", cp)
    assert res.code == 4
    assert f"Audit entry {signed.entry_count} is not the one" in res.err


def test_a_tampered_or_foreign_checkpoint_file_fails_and_a_malformed_one_is_bad_input(
    store: Path, template: Path, tmp_path: Path
) -> None:
    cp = export(store, tmp_path / "checkpoint.txt")
    text = cp.read_text(encoding="utf-8")
    count = checkpoints.read_checkpoint_file(cp).entry_count
    forged = tmp_path / "forged.txt"
    forged.write_text(text.replace(f"entries: {count}", f"entries: {count - 1}"), encoding="utf-8")
    res = run(store, "verify", "--audit", "--checkpoint", forged)
    assert res.code == 4 and "signature does not verify" in res.err
    other = tmp_path / "other"
    seeded(other)
    res = run(other / "store", "verify", "--audit", "--checkpoint", cp)
    assert res.code == 4 and "another store" in res.err
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n", encoding="utf-8")
    res = run(store, "verify", "--audit", "--checkpoint", junk)
    assert res.code == 2 and str(junk) in res.err
    assert run(store, "verify", "--audit", "--checkpoint", tmp_path / "missing.txt").code == 2


def test_one_tampered_byte_in_the_database_fails_verification(store: Path) -> None:
    db = store / "store.db"
    flip_byte(db, 4096 * 3 + 777)
    before = db.read_bytes()
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert str(db) in res.err
    assert db.read_bytes() == before, "a damaged store is never modified"


def test_a_checkpoint_inside_a_write_covers_that_write(store: Path) -> None:
    station = open_station(store, PASSWORD)
    try:
        with station.read() as session:
            assert session.get(Meta, checkpoints.PUBLIC_KEY) is None, "no station audit key: people sign"
        with station.write() as session:
            row = session.scalars(select(SessionRow)).first()
            assert row is not None
            row.review_comment = "closing now"
            made = checkpoints.create_checkpoint(session, "session_closed", row.id)
            session_id = row.id
        with station.read() as session:
            count, _ = audit.head(session)
            assert made.entry_count == count - 1, "everything but the checkpoint row's own entry"
            stored = session.scalars(select(AuditCheckpoint)).one()
            assert stored.session_id == session_id and stored.reason == "session_closed"
            assert stored.certificate_id == station.signer.certificate_id
            latest = checkpoints.latest_in(session, session_id)
            centre = keys.centre_certificate(session)
            assert latest is not None and checkpoints.signature_ok(latest, centre=centre)
        assert "1 signed checkpoint(s)" in verify_store(station)
        standalone = checkpoints.create_checkpoint(station, "export")
        assert standalone.entry_count > made.entry_count
        with pytest.raises(BadInput):
            checkpoints.create_checkpoint(station, "because")
    finally:
        station.close()


def test_two_stations_writing_in_turn_keep_one_chain(store: Path) -> None:
    """A station remembers the chain's head it left and does not read it again before its
    next write; when another station (or program) wrote in between, its entries still
    follow the real head: none lost, none forked, and the store verifies."""
    first, second = open_station(store, PASSWORD), open_station(store, PASSWORD)
    try:
        with first.read() as session:
            session_id = session.scalars(select(SessionRow.id)).first()
        before = entry_count(store)
        turns = [first, first, second, first, second, second, first]
        for turn, station in enumerate(turns):
            with station.write() as session:
                row = session.get(SessionRow, session_id)
                assert row is not None
                row.review_comment = f"turn {turn}"
        assert entry_count(store) == before + len(turns)
        with raw_store(store) as conn:
            comments = conn.execute(
                "SELECT count(*) FROM audit_entries WHERE entity = 'sessions' AND id > ?", (before,)
            ).fetchone()[0]
        assert comments == len(turns)
    finally:
        first.close()
        second.close()
    res = run(store, "verify", "--audit")
    assert res.code == 0, res.out + res.err
