"""Signing the record PDF and verifying it (reports/signing.py, reports/verify.py)."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import sys
from pathlib import Path

import pytest
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports_helpers import sample_record

from invigilator_app.domain.errors import VerificationFailed
from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports.record_pdf import render_record
from invigilator_app.reports.signing import (
    ATTACHMENT_NAME,
    load_certificate,
    sign_record_pdf,
)
from invigilator_app.reports.verify import VerifySummary, verify_record_pdf
from invigilator_app.security.station import (
    StationIdentity,
    certificate_fingerprint,
    new_station_identity,
)


@pytest.fixture(scope="module")
def station() -> StationIdentity:
    return new_station_identity("Room 2 PC", "C123456")


@pytest.fixture(scope="module")
def record() -> InvigilationRecord:
    return sample_record(n_candidates=30, n_entries=40)


@pytest.fixture(scope="module")
def signed(record: InvigilationRecord, station: StationIdentity) -> bytes:
    return sign_record_pdf(render_record(record), record, station.key_pem, station.cert_pem, "Anjali Patel")


def _attachment(pdf: bytes) -> bytes:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert str(names[0]) == ATTACHMENT_NAME
    spec = names[1].get_object()
    assert spec["/AFRelationship"] == "/Data"
    return spec["/EF"]["/F"].get_object().data


def test_round_trip_gives_the_summary(signed: bytes, record: InvigilationRecord, station: StationIdentity) -> None:
    summary = verify_record_pdf(signed, trusted=[(station.cert_pem, "the test's own")])
    assert summary == VerifySummary(
        centre=record.centre_name,
        centre_number=record.centre_number,
        session_id=record.session_id,
        date=record.date,
        room=record.room,
        candidates=30,
        entries=40,
        signer="Invigilation station Room 2 PC",
        signing_time=summary.signing_time,
        certificate_fingerprint=certificate_fingerprint(station.cert_pem),
        pinned=False,
        centre_fingerprint=certificate_fingerprint(station.cert_pem),
        origin="the test's own",
        state=record.state,
        draft=record.draft,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*", summary.signing_time)


def test_pinned_to_the_signing_station(signed: bytes, station: StationIdentity) -> None:
    assert verify_record_pdf(signed, pinned_cert_pem=station.cert_pem).pinned is True


def test_attachment_is_the_record_json(signed: bytes, record: InvigilationRecord) -> None:
    data = _attachment(signed)
    assert data == json.dumps(record.to_json(), sort_keys=True, ensure_ascii=False, indent=1).encode()
    assert InvigilationRecord.from_json(json.loads(data)) == record


def test_signature_metadata(signed: bytes, record: InvigilationRecord) -> None:
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    (signature,) = reader.embedded_signatures
    sig = signature.sig_object
    assert sig["/Reason"] == "Invigilation record"
    assert record.centre_name in str(sig["/Location"])
    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.signer_cert.subject.native["common_name"] == "Invigilation station Room 2 PC"
    # invisible signature field
    rect = [float(v) for v in signature.sig_field.get("/Rect", [0, 0, 0, 0])]
    assert rect[2] - rect[0] == 0 and rect[3] - rect[1] == 0


def test_flipped_byte_in_signed_range_fails(signed: bytes) -> None:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed)
    assert match
    first_end = int(match.group(2))
    for position in (first_end // 2, first_end - 4000):
        tampered = bytearray(signed)
        tampered[position] ^= 0x01
        with pytest.raises(VerificationFailed):
            verify_record_pdf(bytes(tampered))


def test_incremental_update_changing_text_fails(signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 300 Td (Candidate was absent) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(VerificationFailed, match="changed after it was signed"):
        verify_record_pdf(out.getvalue())


def test_replaced_attachment_fails(signed: bytes, record: InvigilationRecord) -> None:
    forged = dataclasses.replace(record, invigilator_pin="000000")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    data = json.dumps(forged.to_json(), sort_keys=True, ensure_ascii=False, indent=1).encode()
    spec["/EF"]["/F"] = EmbeddedFileObject.from_file_data(writer, data=data).ef_stream_ref
    writer.update_container(spec)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(VerificationFailed, match="changed after it was signed"):
        verify_record_pdf(out.getvalue())


def test_attachment_that_disagrees_with_the_pages_fails(record: InvigilationRecord, station: StationIdentity) -> None:
    other = sample_record(n_candidates=30, n_entries=40)
    other.candidates[3].registration_number = "IMI9999999"
    forged = sign_record_pdf(render_record(record), other, station.key_pem, station.cert_pem, "X")
    with pytest.raises(VerificationFailed, match="do not match the visible record"):
        verify_record_pdf(forged)


def test_mark_up_characters_and_accents_in_the_centre_name(station: StationIdentity) -> None:
    record = sample_record(n_candidates=3, n_entries=2)
    record.centre_name = "Coleg Sir Gâr & Ceredigion <Motor Vehicle> Ltd"
    record.centre_address = "Heol Ffordd, Llanelli SA15 4DN"
    signed = sign_record_pdf(render_record(record), record, station.key_pem, station.cert_pem, "Siân")
    assert verify_record_pdf(signed, trusted=[(station.cert_pem, "test")]).centre == record.centre_name


def test_other_station_is_refused_when_pinned(signed: bytes) -> None:
    other = new_station_identity("Room 9 PC", "C999999")
    with pytest.raises(VerificationFailed, match="different station"):
        verify_record_pdf(signed, pinned_cert_pem=other.cert_pem)


def test_unreadable_pinned_certificate(signed: bytes) -> None:
    with pytest.raises(VerificationFailed, match="pinned station certificate"):
        verify_record_pdf(signed, pinned_cert_pem=b"not a certificate")


@pytest.mark.parametrize("data", [b"", b"hello, world", b"\x00" * 5000, b"PK\x03\x04 zip file"])
def test_non_pdf_fails(data: bytes) -> None:
    with pytest.raises(VerificationFailed, match="not a PDF"):
        verify_record_pdf(data)


def test_truncated_pdf_fails(signed: bytes) -> None:
    with pytest.raises(VerificationFailed):
        verify_record_pdf(signed[: len(signed) // 2])


def test_unsigned_pdf_fails(record: InvigilationRecord) -> None:
    with pytest.raises(VerificationFailed, match="not signed"):
        verify_record_pdf(render_record(record))


def test_signing_twice_is_refused(signed: bytes, station: StationIdentity, record: InvigilationRecord) -> None:
    with pytest.raises(ValueError, match="already signed"):
        sign_record_pdf(signed, record, station.key_pem, station.cert_pem, "Again")


def test_second_signature_fails(signed: bytes, station: StationIdentity) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    cert = load_certificate(station.cert_pem)
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=load_private_key_from_pemder_data(station.key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([cert]),
    )
    twice = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Second"), signer=signer)
    with pytest.raises(VerificationFailed, match="2 signatures"):
        verify_record_pdf(twice.getvalue())
