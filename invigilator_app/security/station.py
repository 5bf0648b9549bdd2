"""The station's signing identity: an ECDSA P-256 key and a self-signed certificate.

Each invigilation station signs the record PDFs it produces. The key is created once
(the caller keeps the PEM inside the encrypted store); the certificate travels inside
every signed PDF, and its SHA-256 fingerprint is what a centre or an EQA pins.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VALIDITY_DAYS = 3653
"""Ten years (including leap days)."""


@dataclass(frozen=True)
class StationIdentity:
    key_pem: bytes
    """PKCS#8, unencrypted: store it only inside the encrypted database."""
    cert_pem: bytes


def new_station_identity(common_name: str, centre_number: str) -> StationIdentity:
    """A fresh key and self-signed certificate for "Invigilation station <common_name>"."""
    common_name = common_name.strip()
    centre_number = centre_number.strip()
    if not common_name:
        raise ValueError("a station needs a name")
    if not centre_number:
        raise ValueError("a station needs its centre number")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Invigilation station {common_name}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, centre_number[:64]),
        ]
    )
    now = datetime.now(UTC).replace(microsecond=0)
    public_key = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    return StationIdentity(key_pem=key_pem, cert_pem=cert.public_bytes(serialization.Encoding.PEM))


def certificate_fingerprint(cert_pem: bytes) -> str:
    """SHA-256 of the DER certificate, as upper-case hex pairs joined by colons."""
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError:
        cert = x509.load_der_x509_certificate(cert_pem)
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
