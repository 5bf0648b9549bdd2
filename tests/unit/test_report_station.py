"""The station's signing identity (security/station.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from invigilator_app.security.station import (
    StationIdentity,
    certificate_fingerprint,
    new_station_identity,
)


@pytest.fixture(scope="module")
def identity() -> StationIdentity:
    return new_station_identity("Room 2 PC", "C123456")


def test_certificate_names_the_station_and_centre(identity: StationIdentity) -> None:
    cert = x509.load_pem_x509_certificate(identity.cert_pem)
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    org = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert cn == "Invigilation station Room 2 PC"
    assert org == "C123456"
    assert cert.issuer == cert.subject


def test_certificate_is_a_ten_year_p256_signing_certificate(identity: StationIdentity) -> None:
    cert = x509.load_pem_x509_certificate(identity.cert_pem)
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=3650) <= lifetime <= timedelta(days=3660)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_cert_sign
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False


def test_key_is_unencrypted_pkcs8_matching_the_certificate(identity: StationIdentity) -> None:
    assert identity.key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    key = serialization.load_pem_private_key(identity.key_pem, password=None)
    cert = x509.load_pem_x509_certificate(identity.cert_pem)
    assert key.public_key() == cert.public_key()


def test_every_identity_is_new(identity: StationIdentity) -> None:
    other = new_station_identity("Room 2 PC", "C123456")
    assert other.key_pem != identity.key_pem
    a = x509.load_pem_x509_certificate(identity.cert_pem)
    b = x509.load_pem_x509_certificate(other.cert_pem)
    assert a.serial_number != b.serial_number


def test_fingerprint_is_colon_grouped_sha256(identity: StationIdentity) -> None:
    fp = certificate_fingerprint(identity.cert_pem)
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", fp)
    assert fp == certificate_fingerprint(identity.cert_pem)
    assert fp != certificate_fingerprint(new_station_identity("Other", "C1").cert_pem)


def test_names_are_required() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        new_station_identity(" ", "C1")
    with pytest.raises(ValueError, match="needs its centre number"):
        new_station_identity("Room 1", "")
