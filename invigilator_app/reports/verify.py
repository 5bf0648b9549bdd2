"""Check a signed invigilation record: one signature over the whole file, the attached
data intact and matching what the pages show, and the signer's certificate chaining to a
trusted centre certificate (the origin). Every failure is one line for people.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from asn1crypto import x509 as asn1_x509

from invigilator_app.domain.errors import VerificationFailed
from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports.signing import ATTACHMENT_NAME, load_certificate

CHANGED = "the file was changed after it was signed"
MISMATCH = "the attached data do not match the visible record"
UNPROVEN = "signed and unaltered, but the origin is not proven"
WHAT_TO_PASS = (
    "pass --trust centre.pem (the centre certificate from the centre or its inspection pack) or "
    "--centre FINGERPRINT (as the centre states it; compare it with the one printed on every page)"
)


class OriginNotProven(VerificationFailed):
    """The file is intact and validly signed, but nothing trusted vouches for the signer."""


@dataclass(frozen=True)
class VerifySummary:
    centre: str
    centre_number: str
    session_id: int
    date: str
    room: str
    candidates: int
    entries: int
    signer: str
    """The station certificate's common name."""
    signing_time: str
    """ISO-8601, as the station's clock reported it (no timestamp server)."""
    certificate_fingerprint: str
    pinned: bool
    centre_fingerprint: str = ""
    """SHA-256 (hex pairs) of the trusted centre certificate the signer chains to."""
    origin: str = ""
    """Where that trust came from (a file, a fingerprint given, the store beside)."""
    state: str = ""
    """The session's state when the record was exported (planned … signed_off)."""
    draft: str = ""
    """The draft stamp the record carries; empty for a signed-off record."""


def fingerprint(cert: asn1_x509.Certificate) -> str:
    """SHA-256 of the DER certificate, upper-case hex pairs joined by colons."""
    digest = hashlib.sha256(cert.dump()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def verify_record_pdf(
    pdf_bytes: bytes,
    pinned_cert_pem: bytes | None = None,
    *,
    trusted: list[tuple[bytes, str]] | None = None,
    centre: str | None = None,
) -> VerifySummary:
    """Verify the signed record; raises VerificationFailed with a one-line reason, and
    OriginNotProven (also exit 4) when it is intact but does not chain to ``trusted``
    (centre certificates with where they came from) or the ``centre`` fingerprint."""
    if b"%PDF-" not in pdf_bytes[:1024]:
        raise VerificationFailed("the file is not a PDF (no PDF header)")
    pinned = None
    if pinned_cert_pem is not None:
        try:
            pinned = load_certificate(pinned_cert_pem)
            pinned.native  # noqa: B018 (parse it fully now)
        except Exception as exc:
            raise VerificationFailed("the pinned station certificate cannot be read") from exc
    roots = []
    for data, source in trusted or []:
        try:
            root = load_certificate(data)
            root.native  # noqa: B018 (parse it fully now)
        except Exception as exc:
            raise VerificationFailed(f"the trusted centre certificate ({source}) cannot be read") from exc
        roots.append((root, source))
    try:
        with _quiet("pyhanko", "pyhanko_certvalidator", "pypdf"):
            return _verify(bytes(pdf_bytes), pinned, roots, centre)
    except VerificationFailed:
        raise
    except Exception as exc:  # pyHanko, pypdf, asn1crypto: never let their errors escape
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise VerificationFailed(f"the file is damaged or was changed after it was signed ({detail})") from exc


def _verify(
    pdf_bytes: bytes,
    pinned: asn1_x509.Certificate | None,
    roots: list[tuple[asn1_x509.Certificate, str]],
    centre: str | None,
) -> VerifySummary:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        raise VerificationFailed("the file is not a PDF or is damaged and cannot be read") from exc
    if not signatures:
        raise VerificationFailed("the PDF is not signed")
    if len(signatures) != 1:
        raise VerificationFailed(f"the PDF has {len(signatures)} signatures; a record has exactly one")
    signature = signatures[0]
    try:
        signer_cert = signature.signer_cert
    except Exception as exc:
        raise VerificationFailed("the signature carries no readable station certificate") from exc
    if pinned is not None and signer_cert.dump() != pinned.dump():
        raise VerificationFailed("the record was signed by a different station")
    status = _validate(signature, pinned or signer_cert)
    if not status.intact:
        raise VerificationFailed(f"{CHANGED} (the signed bytes do not match the signature)")
    if not status.valid:
        raise VerificationFailed("the signature is not valid")
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        raise VerificationFailed(CHANGED)
    if not status.trusted:
        raise VerificationFailed("the station certificate is not valid for signing (expired or unusable)")

    record = _attached_record(reader, signature.signed_revision)
    _check_visible_text(pdf_bytes, record)
    signed_at = status.signer_reported_dt
    root, origin = _origin(signature, signer_cert, pinned, roots, centre, signed_at)
    return VerifySummary(
        centre=record.centre_name,
        centre_number=record.centre_number,
        session_id=record.session_id,
        date=record.date,
        room=record.room,
        candidates=len(record.candidates),
        entries=len(record.entries),
        signer=_common_name(signer_cert),
        signing_time=signed_at.isoformat() if signed_at else "",
        certificate_fingerprint=fingerprint(signer_cert),
        state=record.state,
        draft=record.draft,
        pinned=pinned is not None,
        centre_fingerprint=fingerprint(root),
        origin=origin,
    )


def _embedded_certs(signature: Any) -> list[asn1_x509.Certificate]:
    certs = []
    for choice in signature.signed_data["certificates"] or []:
        if choice.name == "certificate":
            certs.append(choice.chosen)
    return certs


def _origin(
    signature: Any,
    signer_cert: asn1_x509.Certificate,
    pinned: asn1_x509.Certificate | None,
    roots: list[tuple[asn1_x509.Certificate, str]],
    centre: str | None,
    signed_at: Any,
) -> tuple[asn1_x509.Certificate, str]:
    """The trusted centre the signer's certificate chains to, and where that trust came from."""
    if pinned is not None:
        return pinned, "the pinned certificate"
    embedded = [c for c in _embedded_certs(signature) if c.dump() != signer_cert.dump()]
    named = next((c for c in embedded if c.subject == signer_cert.issuer), None)
    says = (
        f" (the record names the centre {_grouped(fingerprint(named))})"
        if named is not None
        else " (it carries no centre certificate)"
    )
    if centre is not None:
        wanted = "".join(ch for ch in centre.upper() if ch in "0123456789ABCDEF")
        found = next((c for c in embedded if fingerprint(c).replace(":", "") == wanted), None)
        if found is None:
            raise OriginNotProven(
                f"{UNPROVEN}: the signer's certificate does not chain to the centre "
                f"{_grouped(wanted)} given with --centre{says}"
            )
        roots = [(found, f"the centre fingerprint given ({_grouped(wanted)})")]
    if not roots:
        raise OriginNotProven(f"{UNPROVEN}: no trusted centre was given{says}; {WHAT_TO_PASS}")
    for root, source in roots:
        status = _validate(signature, root, signed_at)
        if status.trusted:
            return root, source
    given = ", ".join(f"{_grouped(fingerprint(r))} ({source})" for r, source in roots)
    raise OriginNotProven(f"{UNPROVEN}: the signer's certificate was not issued by the trusted centre {given}{says}")


def _grouped(fp: str) -> str:
    plain = fp.replace(":", "")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Silence libraries that log stack traces for failures we report in one line."""
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, previous, strict=True):
            logger.setLevel(level)


def _validate(signature: Any, trust_root: asn1_x509.Certificate, moment: Any = None) -> Any:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=[trust_root],
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment,
    )
    return validate_pdf_signature(signature, signer_validation_context=context, skip_diff=True)


def _common_name(cert: asn1_x509.Certificate) -> str:
    native = cert.subject.native
    return str(native.get("common_name", "")) or cert.subject.human_friendly


def _name_tree_lookup(node: Any, name: str, depth: int = 0) -> Any:
    if depth > 16:
        return None
    node = node.get_object()
    names = node.get("/Names")
    if names is not None:
        names = names.get_object()
        for i in range(0, len(names) - 1, 2):
            if str(names[i]) == name:
                return names[i + 1].get_object()
    for kid in node.get("/Kids", []):
        found = _name_tree_lookup(kid, name, depth + 1)
        if found is not None:
            return found
    return None


def _attached_record(reader: Any, revision: int) -> InvigilationRecord:
    root = reader.get_historical_root(revision)
    try:
        tree = root["/Names"].get_object()["/EmbeddedFiles"]
    except KeyError:
        tree = None
    spec = _name_tree_lookup(tree, ATTACHMENT_NAME) if tree is not None else None
    if spec is None:
        raise VerificationFailed(f"the signed record has no attached {ATTACHMENT_NAME}")
    try:
        stream = spec["/EF"].get_object()["/F"].get_object()
        data = json.loads(stream.data.decode("utf-8"))
        return InvigilationRecord.from_json(data)
    except Exception as exc:
        raise VerificationFailed(f"the attached {ATTACHMENT_NAME} cannot be read") from exc


def _squash(text: str) -> str:
    """Whitespace-free, NFKC, case-folded: a fact wrapped over lines or cells still matches."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _check_visible_text(pdf_bytes: bytes, record: InvigilationRecord) -> None:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf_bytes), strict=False).pages
    text = _squash("\n".join(page.extract_text() or "" for page in pages))
    facts = [record.centre_name, record.centre_number, record.date, record.invigilator_pin]
    facts += [c.registration_number for c in record.candidates]
    facts += [record.draft] if record.draft else []
    missing = [fact for fact in facts if fact.strip() and _squash(fact) not in text]
    if missing:
        raise VerificationFailed(MISMATCH)


def attached_record(pdf_bytes: bytes) -> InvigilationRecord:
    """The record data attached to a record PDF (as signed), without checking the
    signature: for a witness, whose checkpoint carries its own signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        with _quiet("pyhanko", "pypdf"):
            reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
            signatures = reader.embedded_signatures
            revision = signatures[0].signed_revision if signatures else reader.xrefs.total_revisions - 1
            return _attached_record(reader, revision)
    except VerificationFailed:
        raise
    except Exception as exc:
        raise VerificationFailed("the file is not a record PDF or is damaged") from exc
