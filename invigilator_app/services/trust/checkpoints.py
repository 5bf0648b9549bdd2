"""Signed audit checkpoints: the chain's head (store id, entry count, head hash) signed
by the acting user's own key (certificate issued by the centre), at session close,
sign-off and export.

A checkpoint is stored in ``audit_checkpoints`` and can be exported to a small text file
(``station checkpoint --out FILE``, with the signer's certificate and the centre's
fingerprint in it) to keep away from the PC. Checkpoints signed before per-person keys
(format v1) were signed by the station's Ed25519 audit key, whose public half stays in
``store_meta``. The chain alone cannot see
entries cut from its end, or a store rolled back to an older copy; an exported
checkpoint can: ``verify --audit --checkpoint FILE`` refuses a store that holds fewer
entries than the checkpoint, or another entry at its head (exit 4).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotPermitted, VerificationFailed
from invigilator_app.security import certificates
from invigilator_app.security.certificates import normalise_fingerprint
from invigilator_app.services.station import STATION_KEY, Station
from invigilator_app.services.trust import keys
from invigilator_app.store import audit
from invigilator_app.store.models import AuditCheckpoint, AuditEntry, Meta, UserCertificate

FORMAT_V1 = "invigilator-app audit checkpoint v1"
FORMAT = "invigilator-app audit checkpoint v2"
PUBLIC_KEY = "audit_public_key"
"""The station's old audit key (public half only), for v1 checkpoints."""
REASONS = ("session_closed", "signed_off", "export", "bundle")
FILE_HEADER = (
    "# Audit checkpoint of an invigilation station: the head of its audit chain, signed by\n"
    "# the person named in its certificate. Keep this file away from the station PC. Later,\n"
    "#   invigilator-app verify --audit --checkpoint THIS-FILE\n"
    "# proves the store still holds every entry it held here (not edited, cut or rolled back).\n"
)


@dataclass(frozen=True)
class Checkpoint:
    store_id: str
    entry_count: int
    head_hash: str
    at: datetime
    reason: str
    session_id: int | None
    signature: str
    """Base64 signature of ``payload()`` (ECDSA by the signer's key; Ed25519 in v1)."""
    public_key: str = ""
    """v1: base64 raw Ed25519 public key of the station's old audit key."""
    certificate: str = ""
    """v2: the signer's certificate (base64 DER), issued by the centre."""
    centre: str = ""
    """v2: the SHA-256 fingerprint of the centre certificate (hex)."""

    @property
    def version(self) -> int:
        return 2 if self.certificate else 1

    def payload(self) -> bytes:
        if self.version == 1:
            return signed_payload(self.store_id, self.entry_count, self.head_hash, self.at, self.reason)
        return signed_payload(self.store_id, self.entry_count, self.head_hash, self.at, self.reason, self.centre)

    def signer_name(self) -> str:
        if not self.certificate:
            return "the station's audit key"
        name, role, _ = certificates.holder_of(certificates.load(base64.b64decode(self.certificate)))
        return f"{name} ({role})"

    def describe(self) -> str:
        return (
            f"{self.entry_count} audit entries, latest fingerprint {self.head_hash}, signed "
            f"{self.at:%d %b %Y %H:%M} UTC by {self.signer_name()} ({self.reason.replace('_', ' ')})"
        )

    def to_text(self) -> str:
        if self.version == 1:
            fields = [
                ("format", FORMAT_V1),
                ("store", self.store_id),
                ("entries", str(self.entry_count)),
                ("head", self.head_hash),
                ("at", _when(self.at)),
                ("reason", self.reason),
                ("public-key", self.public_key),
                ("signature", self.signature),
            ]
        else:
            fields = [
                ("format", FORMAT),
                ("store", self.store_id),
                ("entries", str(self.entry_count)),
                ("head", self.head_hash),
                ("at", _when(self.at)),
                ("reason", self.reason),
                ("centre", self.centre),
                ("certificate", self.certificate),
                ("signature", self.signature),
            ]
        session = f"# signed for session {self.session_id}\n" if self.session_id is not None else ""
        return FILE_HEADER + session + "".join(f"{k}: {v}\n" for k, v in fields)


def _when(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def signed_payload(store_id: str, count: int, head: str, at: datetime, reason: str, centre: str | None = None) -> bytes:
    """What the signer signs: the store, the chain's length and head, when and why, and (v2)
    the centre. (The session a checkpoint was made for is bookkeeping, not signed: purging
    old sessions unlinks it.)"""
    lines = [
        FORMAT if centre is not None else FORMAT_V1,
        f"store: {store_id}",
        f"entries: {count}",
        f"head: {head}",
        f"at: {_when(at)}",
        f"reason: {reason}",
    ]
    if centre is not None:
        lines.append(f"centre: {centre}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row is not None else None


def public_key(session: Session) -> str | None:
    """The store's audit public key (base64), or None before its first checkpoint."""
    return _meta(session, PUBLIC_KEY)


def create_checkpoint(
    target: Station | Session,
    reason: str,
    session_id: int | None = None,
    *,
    at: datetime | None = None,
) -> Checkpoint:
    """Sign the audit chain's head now.

    Given a Station: its own write transaction (coordinators and invigilators). Given the
    SQLAlchemy session of a write already open (``with station.write() as session``, e.g.
    at session close or sign-off): inside that transaction, after chaining what it has
    changed so far, so the checkpoint covers the close itself.
    """
    if reason not in REASONS:
        raise BadInput(f"A checkpoint's reason is one of {', '.join(REASONS)}.")
    if isinstance(target, Station):
        target.require(Role.COORDINATOR, Role.INVIGILATOR, action="sign audit checkpoints")
        with target.write() as session:
            return create_checkpoint(session, reason, session_id, at=at)
    session = target
    station = session.info.get(STATION_KEY)
    if station is None:
        raise NotPermitted("A checkpoint is signed inside a station's write transaction.")
    now = at or station.now()
    signer = station.signer
    centre = keys.centre_certificate(session)
    if signer is None or signer.certificate is None or centre is None:
        raise NotPermitted(
            f"{station.actor.name} has no signing key on this store yet: a coordinator sets their "
            "password (`users passwd`) to give them one."
        )
    audit.append_pending(session, station.actor.name, now, signer, station.store_id)
    count, head = audit.head(session)
    store_id = station.store_id
    fp = certificates.fingerprint(centre)
    signature = _b64(signer.sign(signed_payload(store_id, count, head, now, reason, fp)))
    session.add(
        AuditCheckpoint(
            at=now,
            entry_count=count,
            head_hash=head,
            signature=signature,
            reason=reason,
            session_id=session_id,
            certificate_id=signer.certificate_id,
        )
    )
    session.flush()
    return Checkpoint(
        store_id,
        count,
        head,
        now,
        reason,
        session_id,
        signature,
        certificate=_b64(signer.certificate.public_bytes(serialization.Encoding.DER)),
        centre=fp,
    )


def _from_row(session: Session, row: AuditCheckpoint, store_id: str, public: str) -> Checkpoint:
    if row.certificate_id is None:
        return Checkpoint(
            store_id, row.entry_count, row.head_hash, row.at, row.reason, row.session_id, row.signature, public
        )
    cert_row = session.get(UserCertificate, row.certificate_id)
    centre = keys.centre_certificate(session)
    cert = (
        _b64(certificates.load(cert_row.certificate_pem).public_bytes(serialization.Encoding.DER)) if cert_row else "-"
    )
    return Checkpoint(
        store_id,
        row.entry_count,
        row.head_hash,
        row.at,
        row.reason,
        row.session_id,
        row.signature,
        certificate=cert,
        centre=certificates.fingerprint(centre) if centre is not None else "",
    )


def latest_in(session: Session, session_id: int | None = None) -> Checkpoint | None:
    """The newest stored checkpoint (of one session, when given)."""
    query = select(AuditCheckpoint)
    if session_id is not None:
        query = query.where(AuditCheckpoint.session_id == session_id)
    row = session.scalars(query.order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    if row is None:
        return None
    return _from_row(session, row, _meta(session, "store_id") or "", public_key(session) or "")


def latest_checkpoint(station: Station, session_id: int | None = None) -> Checkpoint | None:
    with station.read() as session:
        return latest_in(session, session_id)


def export_checkpoint(station: Station) -> Checkpoint:
    """What ``station checkpoint --out`` writes: a coordinator signs a fresh checkpoint;
    an invigilator or inspector gets the latest one the station signed."""
    if station.actor.role is Role.COORDINATOR:
        return create_checkpoint(station, "export")
    found = latest_checkpoint(station)
    if found is None:
        raise BadInput("This station has signed no audit checkpoint yet: a coordinator can export one now.")
    return found


def parse_checkpoint(text: str, source: str) -> Checkpoint:
    """Read an exported checkpoint file; BadInput (exit 2) when it is not one."""
    fields: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadInput(f"{source}: line {number} is not 'name: value'.")
        fields[name.strip()] = value.strip()
    if fields.get("format") not in (FORMAT, FORMAT_V1):
        raise BadInput(f"{source}: not an audit checkpoint file (format line {FORMAT!r} missing).")
    v2 = fields.get("format") == FORMAT
    try:
        at = datetime.fromisoformat(fields["at"])
        if at.tzinfo is None:
            raise ValueError("at has no offset")
        return Checkpoint(
            store_id=fields["store"],
            entry_count=int(fields["entries"]),
            head_hash=fields["head"],
            at=at,
            reason=fields["reason"],
            session_id=None,
            signature=fields["signature"],
            public_key="" if v2 else fields["public-key"],
            certificate=fields["certificate"] if v2 else "",
            centre=fields["centre"] if v2 else "",
        )
    except KeyError as exc:
        raise BadInput(f"{source}: the field {exc.args[0]!r} is missing.") from None
    except ValueError as exc:
        raise BadInput(f"{source}: a field is malformed ({exc}).") from None


def read_checkpoint_file(path: Path) -> Checkpoint:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot be read ({exc.__class__.__name__}).") from None
    return parse_checkpoint(text, str(path))


def signature_ok(checkpoint: Checkpoint, public: str = "", centre: x509.Certificate | None = None) -> bool:
    """v2: the signer's certificate was issued by ``centre`` and its key made the signature;
    v1: the station's old audit key (``public``) made it."""
    if checkpoint.version == 2:
        if centre is None or normalise_fingerprint(checkpoint.centre) != certificates.fingerprint(centre):
            return False
        try:
            cert = certificates.load(base64.b64decode(checkpoint.certificate, validate=True))
            signature = base64.b64decode(checkpoint.signature, validate=True)
        except (ValueError, binascii.Error):
            return False
        return certificates.issued_by(cert, centre) and certificates.signature_ok(cert, signature, checkpoint.payload())
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public, validate=True))
        key.verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.payload())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def check_against_store(session: Session, checkpoint: Checkpoint, *, source: str, entries: int | None = None) -> None:
    """VerificationFailed (exit 4) unless the store holds the chain the checkpoint signed.

    ``entries`` is the store's entry count when the caller has walked the chain already."""
    store_id = _meta(session, "store_id") or ""
    public = public_key(session)
    if checkpoint.store_id != store_id:
        raise VerificationFailed(
            f"{source} is a checkpoint of another store ({checkpoint.store_id}), not of this one ({store_id})."
        )
    if checkpoint.version == 2:
        centre = keys.centre_certificate(session)
        if centre is None or normalise_fingerprint(checkpoint.centre) != certificates.fingerprint(centre):
            raise VerificationFailed(
                f"{source} was signed under the centre {certificates.grouped(checkpoint.centre)}, but this store's "
                "centre certificate is another one: the store was replaced or rewritten."
            )
        if not signature_ok(checkpoint, centre=centre):
            raise VerificationFailed(
                f"{source}: the checkpoint's signature does not verify (the checkpoint was altered, "
                "or not signed by a certificate of this centre)."
            )
    else:
        if public is None:
            raise VerificationFailed(
                f"{source} was signed by this store's audit key, but the store holds no audit key: it was "
                "replaced or rolled back to a copy older than its first checkpoint."
            )
        if checkpoint.public_key and checkpoint.public_key != public:
            raise VerificationFailed(f"{source} was signed by another audit key than this store's.")
        if not signature_ok(checkpoint, public):
            raise VerificationFailed(
                f"{source}: the checkpoint's signature does not verify (the checkpoint was altered)."
            )
    count = entries if entries is not None else audit.head(session)[0]
    if count < checkpoint.entry_count:
        raise VerificationFailed(
            f"The store was rolled back behind {source}: the checkpoint of {checkpoint.at:%d %b %Y %H:%M} UTC "
            f"covers {checkpoint.entry_count} audit entries, the store holds only {count} "
            f"(the first missing one is entry {count + 1})."
        )
    at_head = session.scalar(select(AuditEntry.hash).where(AuditEntry.id == checkpoint.entry_count))
    if checkpoint.entry_count and at_head != checkpoint.head_hash:
        raise VerificationFailed(
            f"Audit entry {checkpoint.entry_count} is not the one {source} signed: the chain up to it was "
            "replaced (the store is another copy, or was rewritten)."
        )


def check_stored(session: Session, entries: int) -> int:
    """Every checkpoint kept in the store still fits the chain; returns how many."""
    store_id = _meta(session, "store_id") or ""
    public = public_key(session) or ""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    for row in rows:
        check_against_store(
            session, _from_row(session, row, store_id, public), source=f"stored checkpoint {row.id}", entries=entries
        )
    return len(rows)
