"""The centre's root of trust and each person's signing key.

The centre key (ECDSA P-256) is made at ``init``; its self-signed certificate is the
centre certificate, and its SHA-256 fingerprint is what a record prints and an inspector
trusts. Every account gets its own ECDSA P-256 key; its certificate is issued by the
centre key and carries the user's name, store id and role (OU). P-256 rather than Ed25519:
poppler's ``pdfsig`` (what an inspector's laptop has) cannot check Ed25519 PDF signatures,
and in OpenSSL P-256 signs as fast.

Private keys travel only as PKCS#8 DER wrapped inside key slots (``security.keyslots``),
never in the store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VALIDITY_DAYS = 3653
"""Ten years (including leap days)."""
ECDSA = ec.ECDSA(hashes.SHA256())


def new_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def private_der(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private(der: bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("not an ECDSA key")
    return key


def _key_usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def new_centre(
    centre_name: str, centre_number: str, store_id: str, now: datetime | None = None
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The centre's key and its self-signed CA certificate."""
    key = new_private_key()
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Centre {centre_name.strip()}"[:64] or "Centre"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, centre_number.strip()[:64] or "-"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, store_id[:64]),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2 * VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@dataclass(frozen=True)
class Holder:
    """Whom a user certificate names."""

    user_id: int
    name: str
    role: str
    store_id: str


def issue(
    centre_key: ec.EllipticCurvePrivateKey,
    centre_cert: x509.Certificate,
    holder: Holder,
    public_key: ec.EllipticCurvePublicKey,
    not_before: datetime,
    not_after: datetime | None = None,
) -> x509.Certificate:
    """A user's certificate, issued by the centre key, with the role in it."""
    start = not_before.astimezone(UTC).replace(microsecond=0) - timedelta(seconds=1)
    end = not_after or (start + timedelta(days=VALIDITY_DAYS))
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, holder.name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, holder.role),
            x509.NameAttribute(NameOID.USER_ID, str(holder.user_id)),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, holder.store_id[:64]),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(centre_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end.astimezone(UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True, ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(centre_key.public_key()), critical=False)
        .sign(centre_key, hashes.SHA256())
    )


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def load(pem_or_der: str | bytes) -> x509.Certificate:
    data = pem_or_der.encode("ascii") if isinstance(pem_or_der, str) else pem_or_der
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, upper-case hex (64 characters)."""
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()


def grouped(fp: str) -> str:
    """A fingerprint in groups of four, for reading aloud: ``3F2A 91C0 …``."""
    plain = normalise_fingerprint(fp)
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def normalise_fingerprint(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")


def issued_by(cert: x509.Certificate, centre: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(centre)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def attribute(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def holder_of(cert: x509.Certificate) -> tuple[str, str, str]:
    """(name, role, user id) as the certificate states them."""
    return (
        attribute(cert, NameOID.COMMON_NAME),
        attribute(cert, NameOID.ORGANIZATIONAL_UNIT_NAME),
        attribute(cert, NameOID.USER_ID),
    )


class Signer:
    """A person's unlocked signing key with the certificate it belongs to."""

    def __init__(
        self, key: ec.EllipticCurvePrivateKey, certificate_id: int, certificate: x509.Certificate | None
    ) -> None:
        self._key = key
        self.certificate_id = certificate_id
        self.certificate = certificate

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message, ECDSA)

    @property
    def key(self) -> ec.EllipticCurvePrivateKey:
        return self._key


def signature_ok(cert: x509.Certificate, signature: bytes, message: bytes) -> bool:
    public = cert.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        return False
    try:
        public.verify(signature, message, ECDSA)
    except InvalidSignature:
        return False
    return True
