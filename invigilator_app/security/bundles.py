"""The one file format that moves between a centre's hub and its stations (docs/bundles.md).

A bundle is the magic line ``INVIGILATOR-BUNDLE 1`` followed by an age file (X25519,
through ``pyrage``) encrypted to the receiver's recipient. Inside: a JSON header line,
the sender's Ed25519 signature over that exact line (base64, second line), then the
payload, zlib-compressed JSON whose SHA-256 the header names. The header says the format
version, the centre (its certificate's fingerprint), sender and receiver (store id and
name), the sender's sequence number, when it was written, and carries the sender's
bundle certificate, which the centre key issued. No cipher construction of our own: age
encrypts and authenticates, Ed25519 signs.

An enrolment file is the station's keys and its first store, encrypted with the age
passphrase mode (scrypt) under a one-time enrolment code that ``station enrol`` prints.

Transport keys authenticate which store a bundle comes from; every row in it is also
covered by the signatures of the people who wrote it (the station's audit chain), which
the hub checks one by one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyrage
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from invigilator_app.security import certificates

MAGIC = b"INVIGILATOR-BUNDLE 1\n"
ENROLMENT_MAGIC = b"INVIGILATOR-ENROLMENT 1\n"
FORMAT = "invigilator-bundle"
VERSION = 1
HUB_ROLE = "hub"
STATION_ROLE = "station"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 6


class BundleRefused(ValueError):
    """A bundle that must not be imported: the message says why (exit 4, nothing written)."""


@dataclass
class TransportKeys:
    """A store's bundle keys: Ed25519 to sign what it sends, age X25519 to open what it receives."""

    signing: ed25519.Ed25519PrivateKey
    identity: str
    certificate: x509.Certificate

    @property
    def recipient(self) -> str:
        return str(pyrage.x25519.Identity.from_str(self.identity).to_public())

    def to_json(self) -> str:
        raw = self.signing.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return json.dumps(
            {
                "signing": base64.b64encode(raw).decode("ascii"),
                "identity": self.identity,
                "certificate": certificates.pem(self.certificate),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> TransportKeys:
        data = json.loads(text)
        signing = ed25519.Ed25519PrivateKey.from_private_bytes(base64.b64decode(data["signing"]))
        return cls(signing, str(data["identity"]), certificates.load(data["certificate"]))


def new_transport_keys(
    centre_key: ec.EllipticCurvePrivateKey,
    centre_cert: x509.Certificate,
    name: str,
    role: str,
    store_id: str,
    now: datetime,
) -> TransportKeys:
    """Fresh bundle keys for a hub or a station, certified by the centre key."""
    signing = ed25519.Ed25519PrivateKey.generate()
    identity = pyrage.x25519.Identity.generate()
    start = now.astimezone(UTC).replace(microsecond=0) - timedelta(seconds=1)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, store_id[:64]),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(centre_cert.subject)
        .public_key(signing.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=certificates.VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(centre_key, hashes.SHA256())
    )
    return TransportKeys(signing, str(identity), cert)


def transport_holder(cert: x509.Certificate) -> tuple[str, str, str]:
    """(name, role, store id) a bundle certificate states."""
    return (
        certificates.attribute(cert, NameOID.COMMON_NAME),
        certificates.attribute(cert, NameOID.ORGANIZATIONAL_UNIT_NAME),
        certificates.attribute(cert, NameOID.SERIAL_NUMBER),
    )


@dataclass(frozen=True)
class Opened:
    header: dict[str, Any]
    payload: dict[str, Any]
    sender: x509.Certificate
    sha256: str
    """Of the whole bundle file as received."""


def seal(header: dict[str, Any], payload: dict[str, Any], keys: TransportKeys, recipient: str) -> bytes:
    """The bundle file: signed by ``keys``, encrypted to ``recipient``."""
    body = zlib.compress(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8"), 6)
    full = {
        **header,
        "format": FORMAT,
        "version": VERSION,
        "sender_certificate": certificates.pem(keys.certificate),
        "payload_sha256": hashlib.sha256(body).hexdigest(),
    }
    line = json.dumps(full, sort_keys=True, separators=(",", ":")).encode("utf-8")
    signature = base64.b64encode(keys.signing.sign(line))
    inner = line + b"\n" + signature + b"\n" + body
    encrypted = pyrage.encrypt(inner, [pyrage.x25519.Recipient.from_str(recipient)])
    return MAGIC + bytes(encrypted)


def open_bundle(data: bytes, keys: TransportKeys, centre: x509.Certificate, where: str) -> Opened:
    """Decrypt and check a bundle's own integrity: the receiver's key opens it, the sender's
    certificate was issued by ``centre``, the signature fits, the payload is the one signed.
    Who may send it and its sequence number are the caller's to judge."""
    if not data.startswith(MAGIC):
        if data.startswith(ENROLMENT_MAGIC):
            raise BundleRefused(
                f"{where} is an enrolment file, not a bundle: use `init --enrolment` on the new station."
            )
        raise BundleRefused(
            f"{where} is not a bundle of this application (its first line is not {MAGIC.decode().strip()})."
        )
    try:
        inner = bytes(pyrage.decrypt(data[len(MAGIC) :], [pyrage.x25519.Identity.from_str(keys.identity)]))
    except Exception:  # pyrage raises its own error types
        raise BundleRefused(
            f"{where} cannot be opened here: it was encrypted for another hub or station, or it was changed "
            "or damaged on the way (age's authentication fails). Nothing was imported."
        ) from None
    try:
        line, signature, body = inner.split(b"\n", 2)
        header = json.loads(line)
        if not isinstance(header, dict):
            raise TypeError("header is not an object")
        if header.get("format") != FORMAT:
            raise ValueError("not a bundle header")
    except (ValueError, TypeError):
        raise BundleRefused(f"{where}: the bundle's header cannot be read. Nothing was imported.") from None
    if header.get("version") != VERSION:
        raise BundleRefused(
            f"{where} is a bundle of format version {header.get('version')!r}; this version of the "
            f"application reads version {VERSION}. Update both PCs to the same version."
        )
    if header.get("centre") != certificates.fingerprint(centre):
        raise BundleRefused(
            f"{where} comes from another centre (centre {certificates.grouped(str(header.get('centre', '?')))[:39]}), "
            f"not this one ({certificates.grouped(certificates.fingerprint(centre))[:39]}). Nothing was imported."
        )
    try:
        sender = certificates.load(str(header["sender_certificate"]))
    except (KeyError, ValueError):
        raise BundleRefused(f"{where}: the sender's certificate cannot be read. Nothing was imported.") from None
    if not certificates.issued_by(sender, centre):
        raise BundleRefused(
            f"{where} was not sent by a hub or station of this centre: its sender's certificate was not issued "
            "by the centre key. Nothing was imported."
        )
    public = sender.public_key()
    try:
        if not isinstance(public, ed25519.Ed25519PublicKey):
            raise InvalidSignature
        public.verify(base64.b64decode(signature, validate=True), line)
    except (InvalidSignature, ValueError):
        raise BundleRefused(f"{where}: the sender's signature does not fit the bundle. Nothing was imported.") from None
    if hashlib.sha256(body).hexdigest() != header.get("payload_sha256"):
        raise BundleRefused(f"{where}: the bundle's content is not the one its sender signed. Nothing was imported.")
    try:
        payload = json.loads(zlib.decompress(body))
    except (ValueError, zlib.error):
        raise BundleRefused(f"{where}: the bundle's content cannot be read. Nothing was imported.") from None
    return Opened(header, payload, sender, hashlib.sha256(data).hexdigest())


def new_enrolment_code() -> str:
    """A one-time code for an enrolment file: 6 groups of 4 (about 120 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4 * CODE_GROUPS))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_code(text: str) -> str:
    plain = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def seal_enrolment(content: dict[str, Any], code: str) -> bytes:
    body = zlib.compress(json.dumps(content, sort_keys=True).encode("utf-8"), 6)
    return ENROLMENT_MAGIC + bytes(pyrage.passphrase.encrypt(body, normalise_code(code)))


def open_enrolment(data: bytes, code: str, where: str) -> dict[str, Any]:
    if not data.startswith(ENROLMENT_MAGIC):
        raise BundleRefused(f"{where} is not an enrolment file (made on the hub by `station enrol`).")
    try:
        body = bytes(pyrage.passphrase.decrypt(data[len(ENROLMENT_MAGIC) :], normalise_code(code)))
    except Exception:
        raise BundleRefused(
            f"{where} cannot be opened with that enrolment code: check the code `station enrol` printed "
            "(letters and digits in groups of four), or the file was damaged on the way."
        ) from None
    try:
        content = json.loads(zlib.decompress(body))
    except (ValueError, zlib.error):
        raise BundleRefused(f"{where}: the enrolment file's content cannot be read.") from None
    if not isinstance(content, dict):
        raise BundleRefused(f"{where}: the enrolment file's content cannot be read.")
    return content
