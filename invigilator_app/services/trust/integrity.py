"""Proving the store unaltered: every page through SQLCipher's HMAC check, the audit chain,
every row against the chain's last word on it, every write's signature by its author's
certificate, the checkpoints in the store, and (given one) an exported checkpoint file."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import text

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, StoreDamaged, VerificationFailed
from invigilator_app.reports.verify import attached_record
from invigilator_app.security import certificates
from invigilator_app.services.station import Station
from invigilator_app.services.trust import checkpoints, keys, signatures
from invigilator_app.services.trust.rows import RowsReport, compare_rows
from invigilator_app.services.trust.upgrade import BASELINE_DONE
from invigilator_app.store import audit
from invigilator_app.store.models import AuditEntry, Meta

CHAIN_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.entity,
    AuditEntry.entity_id,
    AuditEntry.digest,
    AuditEntry.prev_hash,
    AuditEntry.hash,
    AuditEntry.version,
    AuditEntry.fields,
    AuditEntry.signature,
    AuditEntry.certificate_id,
)
SHOWN = 20
"""Rows listed by name when many differ (the rest are counted)."""


def read_witnesses(paths: list[Path]) -> list[tuple[str, checkpoints.Checkpoint]]:
    """Signed checkpoints held off the PC: checkpoint files, record PDFs (their attached
    checkpoint) and inspection packs (every record in them and their checkpoint.txt)."""
    found: list[tuple[str, checkpoints.Checkpoint]] = []
    for path in paths:
        if not path.is_dir():
            found.append((str(path), _witness(path)))
            continue
        files = sorted(path.glob("record-*.pdf")) + (
            [path / "checkpoint.txt"] if (path / "checkpoint.txt").exists() else []
        )
        before = len(found)
        for file in files:
            try:  # in a pack, a record or checkpoint.txt without a signed checkpoint is no witness
                found.append((str(file), _witness(file)))
            except BadInput:
                continue
        if len(found) == before:
            raise BadInput(
                f"{path}: no signed audit checkpoint in this folder (an inspection pack's records and "
                "checkpoint.txt carry them)."
            )
    return found


def _witness(path: Path) -> checkpoints.Checkpoint:
    try:
        head = path.read_bytes()[:5]
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if head != b"%PDF-":
        return checkpoints.read_checkpoint_file(path)
    record = attached_record(path.read_bytes())
    if not record.checkpoint:
        raise BadInput(
            f"{path}: this record carries no signed audit checkpoint (it was exported before records "
            "carried one); give a checkpoint file or a newer record."
        )
    return checkpoints.parse_checkpoint(record.checkpoint, f"{path} (its attached checkpoint)")


def verify_store(station: Station, checkpoint: Path | None = None, witnesses: list[Path] | None = None) -> str:
    """A one-paragraph report, or VerificationFailed (exit 4) naming the first problem.

    With ``checkpoint`` (an exported checkpoint file) or ``witnesses`` (checkpoint files,
    record PDFs, inspection packs) the store must also hold every entry each of them
    signed: a store cut short or rolled back behind one fails."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, Role.INVIGILATOR, action="verify the store")
    held = read_witnesses(([checkpoint] if checkpoint is not None else []) + list(witnesses or []))
    # The page check and the row comparison each run on their own connection in a thread
    # (SQLite leaves the GIL while it reads, and encodes the rows itself), beside the chain
    # walk; damage the page check finds wins over anything else.
    with ThreadPoolExecutor(max_workers=2) as pool:
        pages = pool.submit(_page_problem, station)
        rows = pool.submit(_rows_apart, station)
        try:
            lines = _contents(station, held, rows)
        except (VerificationFailed, sqlcipher.DatabaseError) as exc:
            damage = pages.result()
            if damage is not None:
                raise StoreDamaged(damage) from None
            if isinstance(exc, sqlcipher.DatabaseError):
                raise StoreDamaged(
                    f"The store {station.db.paths.db} cannot be read ({exc}). It has not been changed; "
                    f"backups are in {station.db.paths.backups}."
                ) from None
            raise
        damage = pages.result()
    if damage is not None:
        raise StoreDamaged(damage)
    return "\n".join(lines)


def _page_problem(station: Station) -> str | None:
    """SQLCipher's HMAC check of every page, then SQLite's quick_check."""
    try:
        with station.db.engine.connect() as conn:
            problems = [row[0] for row in conn.execute(text("PRAGMA cipher_integrity_check"))]
            quick = [row[0] for row in conn.execute(text("PRAGMA quick_check"))] if not problems else ["ok"]
    except StoreDamaged as exc:
        return exc.message
    if problems:
        return f"The store {station.db.paths.db} failed the page check: {problems[0]}" + (
            f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        )
    if quick != ["ok"]:
        return f"The store {station.db.paths.db} is inconsistent: {quick[0]}"
    return None


def _rows_apart(station: Station) -> tuple[tuple[int, str], RowsReport]:
    """Every row against the chain, in a read transaction of its own, with the chain's head
    that transaction sees (the walk's may be newer if someone wrote meanwhile)."""
    with station.db.engine.connect() as conn, conn.begin():
        raw = conn.connection.driver_connection
        assert raw is not None
        last = raw.execute("SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()
        return ((int(last[0]), str(last[1])) if last else (0, audit.GENESIS)), compare_rows(raw)


def _contents(
    station: Station, held: list[tuple[str, checkpoints.Checkpoint]], apart: Future[tuple[tuple[int, str], RowsReport]]
) -> list[str]:
    with station.read() as session:
        store_id = keys.store_id(session)
        centre, certs = signatures.centre_and_certificates(session, store_id)
        role = session.get(Meta, signatures.ROLE)
        check = signatures.SignatureCheck(certs, store_id, station=role is not None and role.value == "station")
        # Plain driver rows: no type processing per entry (dates are hashed as the text stored).
        raw = session.connection().connection.driver_connection
        assert raw is not None
        report = audit.walk_raw(raw.execute(audit.RAW_CHAIN), check)
        if not report.ok:
            raise VerificationFailed(f"The audit trail is broken: {report.problem}.")
        check.finish()
        # Witnesses first: a store cut short or rolled back is named as such, not row by row.
        stored = checkpoints.check_stored(session, report.entries)
        for source, witness in held:
            checkpoints.check_against_store(session, witness, source=source, entries=report.entries)
        seen, rows = apart.result()
        if seen != (report.entries, report.head):  # a write came between the two reads: judge this one's rows
            rows = compare_rows(raw)
        if rows.problems:
            shown = [p.line() for p in rows.problems[:SHOWN]]
            more = len(rows.problems) - len(shown)
            raise VerificationFailed(
                "\n".join(
                    [
                        f"{len(rows.problems)} row(s) differ from the audit chain's last word on them:",
                        *(f"  {line}" for line in shown),
                        *([f"  … and {more} more"] if more else []),
                        *(
                            [f"Not everything was written by the person it names: {check.problem}."]
                            if check.problem
                            else []
                        ),
                    ]
                )
            )
        if check.first_bad is not None:
            raise VerificationFailed(
                f"Not everything in the store was written by the person it names: {check.problem}."
            )
        if rows.pending_baseline:
            raise VerificationFailed(
                "The store was upgraded and its existing rows are not in the audit chain yet: the first coordinator "
                "to unlock it takes them in (hashed and signed). Unlock it as a coordinator, then verify again."
            )
        baseline = session.get(Meta, BASELINE_DONE)
    lines = [
        (
            f"OK: every page of {station.db.paths.db} passed the encrypted store's page check; "
            f"the audit trail holds {report.entries} entries, latest fingerprint {report.head}; "
            f"all {rows.rows} rows match the chain's last word on them; "
            f"every write since rows were in the chain is signed by its author's certificate "
            f"({check.signed_entries} signed writes); "
            f"{stored} signed checkpoint(s) in the store fit the chain."
        )
    ]
    if centre is not None:
        lines.append(f"Centre certificate SHA-256: {certificates.grouped(certificates.fingerprint(centre))}")
    if baseline is not None:
        lines.append(f"Note: {baseline.value} ({check.unsigned_old} older entries are from before rows were signed).")
    if held:
        newest_source, newest = max(held, key=lambda w: w[1].entry_count)
        tail = report.entries - newest.entry_count
        lines.append(
            f"The store extends every witness given ({len(held)}); the newest, {newest_source}, signed "
            f"{newest.describe()}."
        )
        lines.append(
            f"The honest limit: the {tail} entr{'y' if tail == 1 else 'ies'} after it (written since "
            f"{newest.at:%d %b %Y %H:%M} UTC) are proven by no witness held off the PC; a cut or rollback "
            "within them would not show."
        )
    else:
        lines.append(
            "No witness was given: a chain cut at a write's boundary with its rows, or an older copy put "
            "back, would not show (--witness RECORD.pdf|PACK|CHECKPOINT)."
        )
    return lines
