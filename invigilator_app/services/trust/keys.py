"""Per-person keys and the centre's key: made, certified, unlocked and revoked.

The centre key signs user certificates; its private half is wrapped only in coordinators'
key slots and the recovery slot. Each account's signing key is wrapped in its own slot
(under its password only); the store holds just the certificates (``user_certificates``)
and the centre certificate (``store_meta``), and a copy of the centre certificate is
written beside the store as ``centre.pem`` so ``verify FILE.pdf`` can use it without a
password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.security import certificates
from invigilator_app.security.certificates import Holder, Signer
from invigilator_app.services.files import write_atomically
from invigilator_app.store.models import Meta, User, UserCertificate

CENTRE_CERT = "centre_cert_pem"
CENTRE_FILE = "centre.pem"
SIGNING_KEY = "signing_key"
CENTRE_KEY = "centre_key"


def centre_certificate(session: Session) -> x509.Certificate | None:
    row = session.get(Meta, CENTRE_CERT)
    return certificates.load(row.value) if row is not None and row.value else None


def write_centre_file(data_dir: Path, cert: x509.Certificate) -> None:
    """The public centre certificate beside the store (for ``verify FILE.pdf``)."""
    write_atomically(data_dir / CENTRE_FILE, certificates.pem(cert).encode("ascii"))


def store_id(session: Session) -> str:
    row = session.get(Meta, "store_id")
    return row.value if row is not None else ""


@dataclass
class Issued:
    key: ec.EllipticCurvePrivateKey
    row: UserCertificate
    certificate: x509.Certificate

    def signer(self) -> Signer:
        return Signer(self.key, self.row.id, self.certificate)


def issue_key(
    session: Session,
    centre_key: ec.EllipticCurvePrivateKey,
    user: User,
    now: datetime,
    *,
    key: ec.EllipticCurvePrivateKey | None = None,
    reason: str = "new key",
) -> Issued:
    """A new signing key for ``user`` and its certificate from the centre key, inside a
    write; the user's earlier certificates are revoked from now (``reason``). An
    inspector's certificate ends when the account does."""
    centre = centre_certificate(session)
    if centre is None:
        raise ValueError("the store has no centre certificate")
    session.flush()
    revoke(session, user.id, now, reason)
    key = key or certificates.new_private_key()
    holder = Holder(user.id, user.name, user.role, store_id(session))
    cert = certificates.issue(centre_key, centre, holder, key.public_key(), now, user.expires_at)
    row = UserCertificate(
        user_id=user.id,
        role=user.role,
        certificate_pem=certificates.pem(cert),
        fingerprint=certificates.fingerprint(cert),
        issued_at=now,
        revoked_reason="",
    )
    session.add(row)
    session.flush()
    return Issued(key, row, cert)


def revoke(session: Session, user_id: int, now: datetime, reason: str) -> int:
    """Revoke every live certificate of a user from ``now``; returns how many."""
    rows = session.scalars(
        select(UserCertificate).where(UserCertificate.user_id == user_id, UserCertificate.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now
        row.revoked_reason = reason
    return len(rows)


def extras(
    signing_key: ec.EllipticCurvePrivateKey | None, centre_key: ec.EllipticCurvePrivateKey | None, role: str
) -> dict[str, bytes]:
    """What a person's key slot wraps besides the data key: their signing key, and the
    centre key for coordinators."""
    out: dict[str, bytes] = {}
    if signing_key is not None:
        out[SIGNING_KEY] = certificates.private_der(signing_key)
    if centre_key is not None and role == Role.COORDINATOR.value:
        out[CENTRE_KEY] = certificates.private_der(centre_key)
    return out


def signer_for(session: Session, user_id: int, key: ec.EllipticCurvePrivateKey) -> Signer | None:
    """The user's live certificate for this key, as a Signer (None when none fits)."""
    wanted = key.public_key().public_numbers()
    rows = session.scalars(
        select(UserCertificate)
        .where(UserCertificate.user_id == user_id, UserCertificate.revoked_at.is_(None))
        .order_by(UserCertificate.id.desc())
    ).all()
    for row in rows:
        cert = certificates.load(row.certificate_pem)
        public = cert.public_key()
        if isinstance(public, ec.EllipticCurvePublicKey) and public.public_numbers() == wanted:
            return Signer(key, row.id, cert)
    return None


@dataclass
class Unlocked:
    signer: Signer | None
    centre_key: ec.EllipticCurvePrivateKey | None


def unlock(session: Session, user: User, wrapped: dict[str, bytes]) -> Unlocked:
    """The keys a slot gave, matched with the user's certificate."""
    centre_key = certificates.load_private(wrapped[CENTRE_KEY]) if CENTRE_KEY in wrapped else None
    signer = None
    if SIGNING_KEY in wrapped:
        signer = signer_for(session, user.id, certificates.load_private(wrapped[SIGNING_KEY]))
    return Unlocked(signer, centre_key)


def unlock_centre_key(wrapped: dict[str, bytes]) -> ec.EllipticCurvePrivateKey | None:
    return certificates.load_private(wrapped[CENTRE_KEY]) if CENTRE_KEY in wrapped else None


Rewrap = Callable[[dict[str, bytes]], None]
"""Rewrites the unlocking user's own slot with these extras (the password is at hand)."""
