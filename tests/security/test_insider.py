"""The insider: an invigilator who knows only their own password opens ``store.db`` with
the data key their slot gives (sqlcipher3, outside the services) and changes what it
holds, or forges a record. Each attack is named by ``verify`` with exit 4; the genuine
store and record pass."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports.record_pdf import render_record
from invigilator_app.reports.signing import ATTACHMENT_NAME, sign_record_pdf
from invigilator_app.security import certificates
from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.store import audit, rowhash
from invigilator_app.store.models import Base
from tests.helpers import PASSWORD, cli, plan, seeded, write_json
from tests.security.tamper import copy_store, raw_store

INVIGILATOR = "Alex Patel"
INVIGILATOR_PASSWORD = "invigilator passphrase 42"


def run(data_dir: Path, *args: str | Path, password: str = PASSWORD, user: str | None = None):
    who = ("--user", user) if user else ()
    res = cli("--data-dir", data_dir, *who, "--password-stdin", *args, stdin=password + "\n")
    assert "Traceback" not in res.err
    return res


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("insider")
    data_dir = seeded(base)
    res = run(data_dir, "session", "plan", write_json(base / "plan.json", plan()))
    assert res.code == 0, res.err
    session_id = res.out.strip()
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "users",
        "passwd",
        INVIGILATOR,
        stdin=f"{PASSWORD}\n{INVIGILATOR_PASSWORD}\n",
    )
    assert res.code == 0, res.err
    log = [
        {"type": "identity_check", "at": "2026-12-01T09:31", "registration_number": "R1000001"},
        {"type": "start", "at": "2026-12-01T09:35", "registration_number": "R1000001"},
        {"type": "fire_alarm", "at": "2026-12-01T09:50", "note": "Test alarm; paused 5 minutes."},
        {"type": "finish", "at": "2026-12-01T10:30", "registration_number": "R1000001"},
        {"type": "result", "at": "2026-12-01T10:31", "registration_number": "R1000001", "result": "fail"},
    ]
    res = run(
        data_dir,
        "session",
        "log",
        session_id,
        write_json(base / "log.json", log),
        password=INVIGILATOR_PASSWORD,
        user=INVIGILATOR,
    )
    assert res.code == 0, res.err
    return data_dir


def insider(data_dir: Path):
    """The invigilator's own slot gives the data key: all the insider has."""
    return raw_store(data_dir, INVIGILATOR_PASSWORD, INVIGILATOR)


def verify(data_dir: Path, *extra: str | Path):
    return run(data_dir, "verify", "--audit", *extra)


def test_the_genuine_store_passes(store: Path) -> None:
    res = verify(store)
    assert res.code == 0, res.err
    assert "rows match the chain" in res.out and "signed by its author's certificate" in res.out


def test_an_edited_result_is_named_with_its_field(store: Path) -> None:
    with insider(store) as conn:
        conn.execute("UPDATE allocations SET result = 'pass' WHERE result = 'fail'")
    res = verify(store)
    assert res.code == 4
    assert "allocations 1: changed outside the app" in res.err and "result differ" in res.err


def test_a_deleted_log_entry_is_named(store: Path) -> None:
    with insider(store) as conn:
        entry = conn.execute("SELECT id FROM log_entries WHERE type = 'fire_alarm'").fetchone()[0]
        conn.execute("DELETE FROM log_entry_candidates WHERE entry_id = ?", (entry,))
        conn.execute("DELETE FROM log_entries WHERE id = ?", (entry,))
    res = verify(store)
    assert res.code == 4
    assert f"log_entries {entry}: missing" in res.err and "deleted outside the app" in res.err


def test_an_inserted_row_is_named(store: Path) -> None:
    with insider(store) as conn:
        conn.execute(
            "INSERT INTO log_entries (id, session_id, type, at, note, recorded_by_id, recorded_at, question_number, "
            "assessment_code, notify_party, notification_reference, transcribed, late, late_reason, flags) "
            "VALUES (999, 1, 'other', '2026-12-01 09:40:00.000000', 'Candidate left early', 2, "
            "'2026-12-01 09:40:00.000000', '', '', '', '', 0, 0, '', '')"
        )
    res = verify(store)
    assert res.code == 4
    assert "log_entries 999: written outside the app" in res.err


def test_making_oneself_coordinator_is_named(store: Path) -> None:
    with insider(store) as conn:
        uid = conn.execute("SELECT id FROM users WHERE name = ?", (INVIGILATOR,)).fetchone()[0]
        conn.execute("UPDATE users SET role = 'coordinator' WHERE id = ?", (uid,))
    res = verify(store)
    assert res.code == 4
    assert f"users {uid}: changed outside the app" in res.err and "role differ" in res.err


def _append_signed(conn, actor: str, changes: list[tuple[str, str, str, str, str]], sign) -> int:
    """What a careful insider does next: chain entries for the changed rows and sign them."""
    last_id, prev = conn.execute("SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()
    at = datetime.now(UTC).replace(tzinfo=None)
    for action, entity, key, digest, fields in changes:
        last_id += 1
        entry_hash = audit.link_hash(
            prev, at.replace(tzinfo=UTC), actor, action, entity, key, digest, audit.ROWS_VERSION, fields
        )
        conn.execute(
            "INSERT INTO audit_entries (id, at, actor, action, entity, entity_id, digest, prev_hash, hash, version, "
            "fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                last_id,
                at.isoformat(sep=" "),
                actor,
                action,
                entity,
                key,
                digest,
                prev,
                entry_hash,
                audit.ROWS_VERSION,
                fields,
            ),
        )
        prev = entry_hash
    store_id = conn.execute("SELECT value FROM store_meta WHERE key = 'store_id'").fetchone()[0]
    signature, cert_id = sign(audit.signed_message(store_id, last_id, prev))
    conn.execute(
        "UPDATE audit_entries SET signature = ?, certificate_id = ? WHERE id = ?",
        (base64.b64encode(signature).decode(), cert_id, last_id),
    )
    return last_id


def _row_change(conn, table_name: str, key: str) -> tuple[str, str, str, str, str]:
    table = Base.metadata.tables[table_name]
    shape = rowhash.shape(table)
    cols = ", ".join(f'"{c}"' for c in shape.columns)
    raw = conn.execute(f"SELECT {cols} FROM {table_name} WHERE id = ?", (int(key),)).fetchone()
    values = rowhash.raw_values(table, raw)
    return ("update", table_name, key, rowhash.digest(table_name, values), rowhash.field_hashes(values))


def test_a_chain_re_signed_with_a_self_made_key_is_named(store: Path) -> None:
    centre_key, centre = certificates.new_centre("Test Centre", "IMI-1", "forged")
    key = certificates.new_private_key()
    with insider(store) as conn:
        uid = conn.execute("SELECT id FROM users WHERE name = ?", (INVIGILATOR,)).fetchone()[0]
        store_id = conn.execute("SELECT value FROM store_meta WHERE key = 'store_id'").fetchone()[0]
        cert = certificates.issue(
            centre_key,
            centre,
            certificates.Holder(uid, INVIGILATOR, "invigilator", store_id),
            key.public_key(),
            datetime.now(UTC) - timedelta(days=30),
        )
        conn.execute(
            "INSERT INTO user_certificates (id, user_id, role, certificate_pem, fingerprint, issued_at, "
            "revoked_reason) VALUES (99, ?, 'invigilator', ?, ?, '2026-11-01 00:00:00.000000', '')",
            (uid, certificates.pem(cert), certificates.fingerprint(cert)),
        )
        conn.execute("UPDATE allocations SET result = 'pass' WHERE id = 1")
        changes = [_row_change(conn, "user_certificates", "99"), _row_change(conn, "allocations", "1")]
        changes[0] = ("insert", *changes[0][1:])
        entry = _append_signed(conn, INVIGILATOR, changes, lambda m: (key.sign(m, certificates.ECDSA), 99))
    res = verify(store)
    assert res.code == 4, res.out
    assert f"audit entry {entry - 1} " in res.err or f"audit entry {entry} " in res.err
    assert "not issued by the centre key" in res.err


def test_an_insiders_own_key_cannot_give_themselves_a_role(store: Path) -> None:
    """With their own genuine key the insider writes in their own name, and verify still
    refuses a change of accounts not signed by a coordinator."""
    slots = SlotFile.load(store / "keyslots.json")
    _key, wrapped = slots.open_with_extras(user_owner(INVIGILATOR), INVIGILATOR_PASSWORD.encode())
    own = certificates.load_private(wrapped["signing_key"])
    with insider(store) as conn:
        uid = conn.execute("SELECT id FROM users WHERE name = ?", (INVIGILATOR,)).fetchone()[0]
        cert_id = conn.execute(
            "SELECT id FROM user_certificates WHERE user_id = ? AND revoked_at IS NULL", (uid,)
        ).fetchone()[0]
        conn.execute("UPDATE users SET role = 'coordinator' WHERE id = ?", (uid,))
        entry = _append_signed(
            conn,
            INVIGILATOR,
            [_row_change(conn, "users", str(uid))],
            lambda m: (own.sign(m, certificates.ECDSA), cert_id),
        )
    res = verify(store)
    assert res.code == 4
    assert f"audit entry {entry} (update users {uid}, by {INVIGILATOR}) changes accounts" in res.err
    assert "not a coordinator" in res.err


def test_writing_in_another_persons_name_is_named(store: Path) -> None:
    slots = SlotFile.load(store / "keyslots.json")
    _key, wrapped = slots.open_with_extras(user_owner(INVIGILATOR), INVIGILATOR_PASSWORD.encode())
    own = certificates.load_private(wrapped["signing_key"])
    with insider(store) as conn:
        uid = conn.execute("SELECT id FROM users WHERE name = ?", (INVIGILATOR,)).fetchone()[0]
        cert_id = conn.execute(
            "SELECT id FROM user_certificates WHERE user_id = ? AND revoked_at IS NULL", (uid,)
        ).fetchone()[0]
        conn.execute("UPDATE allocations SET result = 'pass' WHERE id = 1")
        entry = _append_signed(
            conn,
            "Sam Coordinator",
            [_row_change(conn, "allocations", "1")],
            lambda m: (own.sign(m, certificates.ECDSA), cert_id),
        )
    res = verify(store)
    assert res.code == 4
    assert f"audit entry {entry}" in res.err and f"with {INVIGILATOR}'s certificate, not Sam Coordinator's" in res.err


def test_a_truncated_chain_and_its_rows_are_caught_by_the_witness(store: Path, tmp_path: Path) -> None:
    with insider(store) as conn:
        cut = conn.execute("SELECT max(id) FROM audit_entries").fetchone()[0] + 1
    extra = tmp_path / "one.csv"
    extra.write_text("registration_number,first_name,last_name\nR1000009,Late,Entry\n", encoding="utf-8")
    assert run(store, "candidates", "import", extra).code == 0
    witness = tmp_path / "checkpoint.txt"
    assert run(store, "station", "checkpoint", "--out", witness).code == 0
    with insider(store) as conn:  # cut the last two writes: their rows and their entries alike
        for entity, key in conn.execute(
            "SELECT entity, entity_id FROM audit_entries WHERE id >= ? AND action = 'insert'", (cut,)
        ).fetchall():
            conn.execute(f'DELETE FROM "{entity}" WHERE id = ?', (int(key),))
        conn.execute("DELETE FROM audit_entries WHERE id >= ?", (cut,))
    assert verify(store).code == 0, "cut at a write's boundary, the store is consistent in itself"
    res = verify(store, "--checkpoint", witness)
    assert res.code == 4 and "rolled back behind" in res.err


def test_a_rolled_back_copy_is_caught_by_the_witness(store: Path, tmp_path: Path) -> None:
    old = copy_store(store, tmp_path / "old")
    res = run(
        store,
        "session",
        "plan",
        write_json(tmp_path / "p2.json", plan(day="2026-12-02", regs=("R1000003", "R1000004"))),
    )
    assert res.code == 0, res.err
    witness = tmp_path / "checkpoint.txt"
    assert run(store, "station", "checkpoint", "--out", witness).code == 0
    copy_store(old, store)
    res = verify(store, "--checkpoint", witness)
    assert res.code == 4 and "rolled back behind" in res.err


def test_no_private_key_is_readable_with_the_data_key(store: Path) -> None:
    slots = SlotFile.load(store / "keyslots.json")
    secrets = []
    for owner, password in ((user_owner("Sam Coordinator"), PASSWORD), (user_owner(INVIGILATOR), INVIGILATOR_PASSWORD)):
        _key, wrapped = slots.open_with_extras(owner, password.encode())
        for der in wrapped.values():
            key = certificates.load_private(der)
            scalar = key.private_numbers().private_value.to_bytes(32, "big")
            secrets += [
                der,
                scalar,
                scalar.hex().encode(),
                base64.b64encode(der),
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                ),
            ]
    assert len(secrets) >= 10, "the coordinator's slot wraps their key and the centre key; the invigilator's theirs"
    with insider(store) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump = bytearray()
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    dump += value if isinstance(value, bytes) else str(value).encode("utf-8", "replace")
                    dump += b"\n"
    assert b"PRIVATE KEY" not in dump
    assert not [s for s in secrets if bytes(s) in dump]


def _forged_pdf(genuine: bytes, name: str) -> bytes:
    """The record with the result flipped, re-signed with a self-made certificate chain
    whose names copy the genuine one."""
    import io
    import json

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(genuine), strict=False)
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert str(names[0]) == ATTACHMENT_NAME
    record = InvigilationRecord.from_json(json.loads(names[1].get_object()["/EF"]["/F"].get_object().data))
    record.candidates[0].result = "pass"
    signer = reader.embedded_signatures[0].signer_cert
    genuine_centre = next(
        c.chosen
        for c in reader.embedded_signatures[0].signed_data["certificates"]
        if c.chosen.subject != signer.subject
    )
    centre_name = genuine_centre.subject.native["common_name"].removeprefix("Centre ")
    centre_key, centre = certificates.new_centre(centre_name, record.centre_number, "forged")
    key = certificates.new_private_key()
    cert = certificates.issue(
        centre_key, centre, certificates.Holder(2, name, "invigilator", "forged"), key.public_key(), datetime.now(UTC)
    )
    assert certificates.attribute(cert, NameOID.COMMON_NAME) == signer.subject.native["common_name"]
    return sign_record_pdf(
        render_record(record),
        record,
        certificates.private_pem(key),
        certificates.pem(cert).encode(),
        name,
        (certificates.pem(centre).encode(),),
    )


def test_a_record_re_signed_with_a_self_made_certificate_is_refused(store: Path, tmp_path: Path) -> None:
    genuine = tmp_path / "record.pdf"
    res = run(store, "session", "export", "1", "--out", genuine, password=INVIGILATOR_PASSWORD, user=INVIGILATOR)
    assert res.code == 0, res.err
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(_forged_pdf(genuine.read_bytes(), INVIGILATOR))
    centre_pem = store / "centre.pem"
    fingerprint = certificates.fingerprint(certificates.load(centre_pem.read_bytes()))
    elsewhere = tmp_path / "no-store"
    for how in (("--trust", centre_pem), ("--centre", certificates.grouped(fingerprint))):
        ok = cli("--data-dir", elsewhere, "verify", genuine, *how)
        assert ok.code == 0, ok.err
        assert fingerprint[:4] in ok.out.replace(":", "")
        bad = cli("--data-dir", elsewhere, "verify", forged, *how)
        assert bad.code == 4 and "the origin is not proven" in bad.err, bad.err
    beside = cli("--data-dir", store, "verify", forged)
    assert beside.code == 4 and "not issued by the trusted centre" in beside.err
    unproven = cli("--data-dir", elsewhere, "verify", forged)
    assert unproven.code == 4 and "signed and unaltered, but the origin is not proven" in unproven.err
    assert "--trust centre.pem" in unproven.err


def test_a_record_pdf_is_a_witness_and_the_tail_after_it_is_the_honest_limit(store: Path, tmp_path: Path) -> None:
    old = copy_store(store, tmp_path / "old")
    res = run(
        store,
        "session",
        "plan",
        write_json(tmp_path / "p2.json", plan(day="2026-12-02", regs=("R1000003", "R1000004"))),
    )
    assert res.code == 0, res.err
    assert run(store, "station", "checkpoint", "--out", tmp_path / "cp.txt").code == 0
    record = tmp_path / "record.pdf"
    assert run(store, "session", "export", "1", "--out", record).code == 0
    assert (
        run(store, "session", "plan", write_json(tmp_path / "p3.json", plan(day="2026-12-03", regs=("R1000003",)))).code
        == 0
    )
    good = verify(store, "--witness", record, tmp_path / "cp.txt")
    assert good.code == 0, good.err
    assert "extends every witness given (2)" in good.out and "The honest limit:" in good.out
    copy_store(old, store)  # the older copy put back
    res = verify(store, "--witness", record)
    assert res.code == 4 and "rolled back behind" in res.err and "record.pdf" in res.err
    not_a_witness = tmp_path / "junk.txt"
    not_a_witness.write_text("hello\n", encoding="utf-8")
    assert verify(store, "--witness", not_a_witness).code == 2


def test_a_disabled_users_key_is_revoked_from_that_moment(store: Path, tmp_path: Path) -> None:
    old_slots = tmp_path / "keyslots-copy.json"
    old_slots.write_bytes((store / "keyslots.json").read_bytes())  # the copy the insider kept
    res = cli("--data-dir", store, "--password-stdin", "users", "disable", INVIGILATOR, stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    assert verify(store).code == 0
    data_key, wrapped = SlotFile.load(old_slots).open_with_extras(
        user_owner(INVIGILATOR), INVIGILATOR_PASSWORD.encode()
    )
    own = certificates.load_private(wrapped["signing_key"])
    from invigilator_app.domain.errors import StoreDamaged
    from invigilator_app.store.engine import connect

    with pytest.raises(StoreDamaged):  # the data key was rotated: the old slot's key opens nothing
        connect(store / "store.db", data_key).close()
    # Even with the current data key (leaked by someone still allowed), their own key signs nothing valid.
    data_key = SlotFile.load(store / "keyslots.json").open(user_owner("Sam Coordinator"), PASSWORD.encode())
    conn = connect(store / "store.db", data_key)
    try:
        conn.execute("BEGIN")
        uid = conn.execute("SELECT id FROM users WHERE name = ?", (INVIGILATOR,)).fetchone()[0]
        cert_id = conn.execute("SELECT id FROM user_certificates WHERE user_id = ?", (uid,)).fetchone()[0]
        conn.execute("UPDATE allocations SET result = 'pass' WHERE id = 1")
        entry = _append_signed(
            conn,
            INVIGILATOR,
            [_row_change(conn, "allocations", "1")],
            lambda m: (own.sign(m, certificates.ECDSA), cert_id),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    res = verify(store)
    assert res.code == 4
    assert f"audit entry {entry}" in res.err and f"after {INVIGILATOR}'s certificate was revoked" in res.err
