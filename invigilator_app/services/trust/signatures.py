"""Who wrote each entry of the chain: every write ends with the acting user's signature
over the last entry's hash, made with their own key, whose certificate the centre issued.

``SignatureCheck`` watches the chain go by (``audit.walk_chain``'s observer) and keeps the
first entry that is not signed, signed by a certificate the centre did not issue, not yet
in the chain or already revoked at that point, past its end, that names another person
than the entry, or that changes accounts or certificates without a coordinator's
certificate. A certificate's life is read from the chain itself (the entry that inserted
its row, the entry that revoked it), not from the PC's clock, which may have been wrong.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.security import certificates
from invigilator_app.services.trust import keys
from invigilator_app.store import audit
from invigilator_app.store.models import Meta, User, UserCertificate

COORDINATOR_ONLY = frozenset({"users", "user_certificates", "centres"})


@dataclass(frozen=True)
class CertInfo:
    id: int
    name: str
    role: str
    certificate: x509.Certificate | None
    problem: str
    revoked_at: datetime | None
    revoked_reason: str


CENTRE_STORE = "centre_store_id"
"""``store_meta``: the hub's store id, which every person's certificate names, on every store of the centre."""
ROLE = "store_role"


def load_certificates(session: Session, centre: x509.Certificate | None, store_id: str) -> dict[int, CertInfo]:
    names = {u.id: u.name for u in session.scalars(select(User))}
    home = session.get(Meta, CENTRE_STORE)
    issued_for = {store_id, home.value} if home is not None else {store_id}
    out = {}
    for row in session.scalars(select(UserCertificate)):
        problem = ""
        cert = None
        try:
            cert = certificates.load(row.certificate_pem)
        except ValueError:
            problem = "its certificate cannot be read"
        if cert is not None:
            name, role, user_id = certificates.holder_of(cert)
            if centre is None or not certificates.issued_by(cert, centre):
                problem = "its certificate was not issued by the centre key"
            elif certificates.attribute(cert, x509.NameOID.SERIAL_NUMBER) not in issued_for:
                problem = "its certificate belongs to another store"
            elif user_id != str(row.user_id) or role != row.role:
                problem = "its certificate names another person or role than the store says"
        else:
            name, role = names.get(row.user_id, "?"), row.role
        out[row.id] = CertInfo(row.id, name, role, cert, problem, row.revoked_at, row.revoked_reason)
    return out


class SignatureCheck:
    def __init__(self, certs: dict[int, CertInfo], store_id: str, *, station: bool = False) -> None:
        self.certs = certs
        self.store_id = store_id
        self.station = station
        """An enrolled station: accounts and certificates arrive in the hub's bundles, so a
        write that imports one (a ``bundle_log`` row) may change them, whoever imports it."""
        self._imports = False
        self.problem = ""
        self.first_bad: int | None = None
        self.signed_entries = 0
        self.unsigned_old = 0
        self._start: Any = None
        self._protected: Any = None
        self._rows_era = False
        self._born: dict[int, int] = {}
        self._revoked: dict[int, int] = {}

    def _fail(self, entry_id: int, text: str) -> None:
        if self.first_bad is None:
            self.first_bad, self.problem = entry_id, text

    @staticmethod
    def _what(row: Any) -> str:
        return f"audit entry {row[0]} ({row[3]} {row[4]} {row[5]}, by {row[2]})"

    def __call__(self, row: Any, at_text: str = "") -> None:
        """One raw chain row (``audit.RAW_CHAIN``): id, at, actor, action, entity, entity_id,
        digest, prev_hash, hash, version, fields, signature, certificate_id."""
        if self.first_bad is not None:
            return
        if row[9] == 1:
            if self._rows_era:
                self._fail(
                    row[0],
                    f"{self._what(row)} is of the old unsigned kind after rows were in the chain: "
                    "it was written outside the app",
                )
            self.unsigned_old += 1
            return
        self._rows_era = True
        start = self._start
        if start is None:
            self._start = start = row
        elif row[2] != start[2]:
            self._fail(start[0], self._unsigned(start, "its write has no signature by the person named"))
            return
        entity = row[4]
        if entity == "bundle_log" and row[3] == "insert":
            self._imports = True
        if entity in COORDINATOR_ONLY:
            if self._protected is None:
                self._protected = row
            if entity == "user_certificates" and row[5].isdigit():
                cert_id = int(row[5])
                if row[3] in ("insert", "baseline"):
                    self._born.setdefault(cert_id, row[0])
                elif row[3] == "update" and cert_id in self.certs and self.certs[cert_id].revoked_at is not None:
                    self._revoked[cert_id] = row[0]
        if row[11] is None:
            return
        self._check_signed(row, at_text)
        self._start = None
        self._protected = None
        self._imports = False

    def _check_signed(self, row: Any, at_text: str) -> None:
        what = self._what(row)
        info = self.certs.get(row[12]) if row[12] is not None else None
        if info is None:
            self._fail(row[0], f"{what} is wrongly signed: by no certificate of this store")
            return
        if info.problem or info.certificate is None:
            self._fail(row[0], f"{what} is wrongly signed: {info.problem}")
            return
        if info.name != row[2]:
            self._fail(row[0], f"{what} is wrongly signed: with {info.name}'s certificate, not {row[2]}'s")
            return
        cert = info.certificate
        if info.id not in self._born:
            self._fail(row[0], f"{what} is wrongly signed: with a certificate the chain had not seen issued yet")
            return
        if datetime.fromisoformat(at_text) > cert.not_valid_after_utc:
            self._fail(
                row[0],
                f"{what} is wrongly signed: after its certificate ended "
                f"({cert.not_valid_after_utc:%d %b %Y %H:%M} UTC)",
            )
            return
        revoked = self._revoked.get(info.id)
        assert self._start is not None
        if revoked is not None and revoked < self._start[0]:
            self._fail(
                row[0],
                f"{what} is wrongly signed: after {info.name}'s certificate was revoked "
                f"({info.revoked_at:%d %b %Y %H:%M} UTC, {info.revoked_reason or 'revoked'})",
            )
            return
        try:
            signature = base64.b64decode(row[11], validate=True)
        except (ValueError, binascii.Error):
            signature = b""
        if not certificates.signature_ok(cert, signature, audit.signed_message(self.store_id, row[0], row[8])):
            self._fail(
                row[0],
                f"{what} is wrongly signed: the signature does not fit the entry (forged, or the chain was rewritten)",
            )
            return
        if self._protected is not None and info.role != Role.COORDINATOR.value and not (self.station and self._imports):
            self._fail(
                self._protected[0],
                f"{self._what(self._protected)} changes accounts or certificates but "
                f"was signed by {info.name} ({info.role}), not a coordinator",
            )
            return
        self.signed_entries += 1

    def finish(self) -> None:
        if self._start is not None:
            self._fail(self._start[0], self._unsigned(self._start, "no signature closes its write"))

    def _unsigned(self, row: Any, why: str) -> str:
        if row[2] not in {c.name for c in self.certs.values()}:
            return (
                f"{self._what(row)} is not signed ({why}): {row[2]} holds no certificate, so either it was "
                "written outside the app, or by an account from before per-person keys that has no key yet "
                "(a coordinator's `users passwd` gives it one)"
            )
        return f"{self._what(row)} is not signed ({why}): it was written outside the app"


def centre_and_certificates(session: Session, store_id: str) -> tuple[x509.Certificate | None, dict[int, CertInfo]]:
    centre = keys.centre_certificate(session)
    return centre, load_certificates(session, centre, store_id)
