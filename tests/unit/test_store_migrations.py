"""Alembic migrations: the recorded revision, opening (and upgrading) an old store with a
backup first, and refusing a store written by a newer version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.candidates import count_candidates, list_candidates
from invigilator_app.store import migrate
from invigilator_app.store.engine import connect, make_engine
from tests.helpers import PASSWORD, cli, init_store
from tests.make_old_store import EXPECTED_CANDIDATES, EXPECTED_SESSION_LINE

OLD_STORE = Path(__file__).resolve().parents[1] / "stores" / "v0001"


def key_of(data_dir: Path) -> bytearray:
    return SlotFile.load(data_dir / "keyslots.json").open(user_owner("Sam Coordinator"), PASSWORD.encode())


def sql(data_dir: Path, statement: str) -> list[tuple[object, ...]]:
    conn = connect(data_dir / "store.db", key_of(data_dir))
    try:
        rows = conn.execute(statement).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file()}


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    target = tmp_path / "old"
    shutil.copytree(OLD_STORE, target)
    (target / "README.md").unlink()
    return target


def test_new_store_records_the_head_revision(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    init_store(data_dir)
    assert sql(data_dir, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]


def test_the_stored_old_store_is_at_revision_0001() -> None:
    assert (OLD_STORE / "store.db").stat().st_size < 512 * 1024, "keep the committed store small"
    assert not (OLD_STORE / "store.db-wal").exists()
    conn = connect(OLD_STORE / "store.db", key_of(OLD_STORE), read_only=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        conn.close()


def test_old_store_opens_with_the_cli_and_keeps_its_data(old_store: Path) -> None:
    res = cli("--data-dir", old_store, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    assert "Traceback" not in res.err
    assert res.out.splitlines() == [EXPECTED_SESSION_LINE]
    assert sql(old_store, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    station = open_station(old_store, PASSWORD)
    try:
        assert count_candidates(station) == EXPECTED_CANDIDATES
        assert "Nguyễn" in {c.last_name for c in list_candidates(station)}
    finally:
        station.close()
    if migrate.head_revision() != "0001":
        assert list((old_store / "backups").glob("store-*.db")), "upgrading from 0001 makes a backup first"
        assert sql(old_store, "SELECT name FROM sqlite_master WHERE name = 'ix_candidates_registration_upper'"), (
            "revision 0002 adds the registration look-up index"
        )
    res = cli("--data-dir", old_store, "--password-stdin", "verify", "--audit", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    # 0005: the coordinator's first unlock took the existing rows into the chain, signed, and said so;
    # the station's private keys left the store; a centre key and certificate exist.
    assert "taken into the audit chain at the upgrade to 0005 by" in res.out
    assert not sql(old_store, "SELECT key FROM store_meta WHERE key IN ('station_key_pem', 'audit_signing_key')")
    assert sql(old_store, "SELECT count(*) FROM audit_entries WHERE action = 'baseline'")[0][0] > EXPECTED_CANDIDATES
    assert (old_store / "centre.pem").exists()


def _migrations_with_a_second_revision(tmp_path: Path) -> Path:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    (scripts / "versions" / "9001_test_extra.py").write_text(
        f'''"""Test-only revision."""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_extra", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("test_extra")
''',
        encoding="utf-8",
    )
    return scripts


def test_upgrading_an_old_store_backs_it_up_first(
    old_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = (old_store / "store.db").read_bytes()
    monkeypatch.setattr(migrate, "MIGRATIONS", _migrations_with_a_second_revision(tmp_path))
    assert migrate.head_revision() == "9001"
    res = cli("--data-dir", old_store, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    assert res.out.splitlines() == [EXPECTED_SESSION_LINE]
    assert sql(old_store, "SELECT version_num FROM alembic_version") == [("9001",)]
    assert sql(old_store, "SELECT count(*) FROM test_extra") == [(0,)]
    backups = list((old_store / "backups").glob("store-*-before-9001.db"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == original, "the backup is the store as it was before the upgrade"
    assert list((old_store / "backups").glob("keyslots-*-before-9001.json"))
    # The backup is a working store at the old revision.
    conn = connect(backups[0], key_of(old_store), read_only=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        conn.close()


def test_backup_copy_is_a_consistent_encrypted_copy(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    init_store(data_dir)
    engine = make_engine(data_dir / "store.db", key_of(data_dir))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO store_meta (key, value) VALUES ('backup-test', 'x')")
        target = migrate.backup_copy(engine, data_dir / "store.db", data_dir / "backups", "manual")
    finally:
        engine.dispose()
    assert target.parent == data_dir / "backups"
    assert target.name.startswith("store-") and target.name.endswith("-manual.db")
    assert not target.read_bytes().startswith(b"SQLite format 3")
    conn = connect(target, key_of(data_dir), read_only=True)
    try:
        assert conn.execute("SELECT value FROM store_meta WHERE key='backup-test'").fetchall() == [("x",)]
    finally:
        conn.close()
    assert len(list((data_dir / "backups").glob("keyslots-*-manual.json"))) == 1


def test_store_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    init_store(data_dir)
    sql(data_dir, "UPDATE alembic_version SET version_num = '9999'")
    before = snapshot(data_dir)
    res = cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 2, res.err
    assert "Traceback" not in res.err
    assert "newer version" in res.err
    assert "9999" in res.err
    assert snapshot(data_dir) == before
    assert not (data_dir / "backups").exists()


def test_an_upgraded_store_has_the_indexes_of_a_new_one(tmp_path: Path, old_store: Path) -> None:
    """Every index of the models (the follow-up list's partial indexes among them) is made by
    a migration too, with the same definition, so an upgraded store is searched as fast."""
    fresh = tmp_path / "fresh"
    init_store(fresh)
    open_station(old_store, PASSWORD).close()

    def indexes(data_dir: Path) -> dict[str, str]:
        rows = sql(data_dir, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {str(name): " ".join(str(text).replace("IF NOT EXISTS ", "").split()) for name, text in rows}

    new, upgraded = indexes(fresh), indexes(old_store)
    assert "ix_log_entries_to_notify" in new and "ix_allocations_no_result" in new
    assert upgraded == new
