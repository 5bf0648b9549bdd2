"""Attach the record's data to its PDF and sign both with the signing user's key (PAdES
B-B), the certificate chain to the centre certificate embedded.

The JSON attachment and the signature are written in one incremental update, so the
signature covers the attachment; no network, no timestamp server.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec, embed_file
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports.pdfa import hold_version

ATTACHMENT_NAME = "invigilation-record.json"
SIGNATURE_FIELD = "InvigilationStation"
REASON = "Invigilation record"


def record_json_bytes(record: InvigilationRecord) -> bytes:
    return json.dumps(record.to_json(), sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")


def load_certificate(cert_pem: bytes) -> asn1_x509.Certificate:
    """A PEM or DER certificate as an asn1crypto object."""
    if pem.detect(cert_pem):
        _, _, der = pem.unarmor(cert_pem)
    else:
        der = cert_pem
    return asn1_x509.Certificate.load(der)


def _signer(key_pem: bytes, cert_pem: bytes, chain: tuple[bytes, ...] = ()) -> signers.SimpleSigner:
    cert = load_certificate(cert_pem)
    key = load_private_key_from_pemder_data(key_pem, passphrase=None)
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([cert, *(load_certificate(c) for c in chain)]),  # type: ignore[no-untyped-call]  # not annotated upstream
    )


def sign_record_pdf(
    pdf_bytes: bytes,
    record: InvigilationRecord,
    key_pem: bytes,
    cert_pem: bytes,
    signer_name: str,
    chain: tuple[bytes, ...] = (),
) -> bytes:
    """The rendered record with its JSON attached, signed (the signer's certificate and
    ``chain``, the centre certificate, embedded)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    if writer.prev.embedded_signatures:
        raise ValueError("the PDF is already signed; sign the freshly rendered record")
    hold_version(writer)  # the signed record stays PDF/A: one version, 1.7
    data = record_json_bytes(record)
    embed_file(
        writer,
        FileSpec(
            file_spec_string=ATTACHMENT_NAME,
            file_name=ATTACHMENT_NAME,
            embedded_data=EmbeddedFileObject.from_file_data(
                writer,
                data=data,
                mime_type="application/json",
                params=EmbeddedFileParams(
                    embed_size=True, embed_checksum=True, modification_date=datetime.now(UTC)
                ),  # PDF/A-3: ModDate
            ),
            description="The invigilation record's data (JSON), as shown in this PDF",
            af_relationship=generic.pdf_name("/Data"),
        ),
    )
    metadata = PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=REASON,
        location=f"{record.centre_name} ({record.centre_number})",
        name=signer_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = PdfSigner(
        metadata,
        signer=_signer(key_pem, cert_pem, chain),
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, box=None),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def sign_pdf_with_data(
    pdf_bytes: bytes,
    data: bytes,
    *,
    attachment_name: str,
    description: str,
    reason: str,
    location: str,
    key_pem: bytes,
    cert_pem: bytes,
    signer_name: str,
    field_name: str = SIGNATURE_FIELD,
    chain: tuple[bytes, ...] = (),
) -> bytes:
    """Any of the station's own reports signed as the record is: its data attached as JSON
    and the signature covering both, in one incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    if writer.prev.embedded_signatures:
        raise ValueError("the PDF is already signed; sign the freshly rendered report")
    embed_file(
        writer,
        FileSpec(
            file_spec_string=attachment_name,
            file_name=attachment_name,
            embedded_data=EmbeddedFileObject.from_file_data(
                writer,
                data=data,
                mime_type="application/json",
                params=EmbeddedFileParams(embed_size=True, embed_checksum=True),
            ),
            description=description,
            af_relationship=generic.pdf_name("/Data"),
        ),
    )
    metadata = PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        name=signer_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = PdfSigner(
        metadata,
        signer=_signer(key_pem, cert_pem, chain),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, box=None),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()
