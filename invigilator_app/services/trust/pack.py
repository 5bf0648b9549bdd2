"""What makes an inspection pack checkable on an inspector's laptop with standard tools:
the centre certificate, the certificates of the people who signed in it, a SHA-256
manifest of every file signed by the person exporting, and a README with the centre's
fingerprint and the exact commands (sha256sum, openssl, pdfsig, invigilator-app)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.security import certificates
from invigilator_app.services.station import Station
from invigilator_app.services.trust import keys

CENTRE = "centre.pem"
SIGNER = "signer.pem"
CHECKPOINT_SIGNER = "checkpoint-signer.pem"
MANIFEST = "MANIFEST.sha256"
SIGNATURE = "MANIFEST.sha256.sig"
README = "README.txt"
SIGNER_KEY = "signer-public-key.pem"


def trust_files(
    station: Station, folder: Path, names: list[str], checkpoint_certificate: bytes | None
) -> list[tuple[str, bytes]]:
    """The files to add to a pack whose other files (``names``) are already in ``folder``."""
    signer = station.signer
    if signer is None or signer.certificate is None:
        raise NotPermitted(f"{station.actor.name} has no signing key on this store yet.")
    with station.read() as session:
        centre = keys.centre_certificate(session)
    if centre is None:
        raise NotPermitted("This store has no centre certificate yet.")
    fp = certificates.fingerprint(centre)
    out: list[tuple[str, bytes]] = [
        (CENTRE, certificates.pem(centre).encode("ascii")),
        (SIGNER, certificates.pem(signer.certificate).encode("ascii")),
        (
            SIGNER_KEY,
            signer.certificate.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
        ),
    ]
    if checkpoint_certificate is not None:
        cp_cert = certificates.load(checkpoint_certificate)
        if cp_cert != signer.certificate:
            out.append((CHECKPOINT_SIGNER, certificates.pem(cp_cert).encode("ascii")))
    records = [n for n in names if n.endswith(".pdf") and n.startswith("record-")]
    signer_file = any(n == CHECKPOINT_SIGNER for n, _ in out)
    out.append((README, readme(station, fp, records, signer_file, "stations.txt" in names).encode("utf-8")))
    listed = sorted(names + [n for n, _ in out])
    lines = []
    for name in listed:
        data = dict(out).get(name)
        digest = hashlib.sha256(data if data is not None else (folder / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}\n")
    manifest = "".join(lines).encode("utf-8")
    out.append((MANIFEST, manifest))
    out.append((SIGNATURE, signer.sign(manifest)))
    return out


def readme(station: Station, fp: str, records: list[str], checkpoint_signer: bool, stations: bool = False) -> str:
    example = records[0] if records else "record-N-DATE.pdf"
    role = station.actor.role.value
    lines = [
        "Inspection pack of an invigilation station",
        "",
        "The centre's certificate (centre.pem) is the root of trust: every person who signs at the",
        "centre has a certificate issued by it. Its SHA-256 fingerprint, in groups for reading aloud:",
        "",
        f"    {certificates.grouped(fp)}",
        "",
        "Compare it with the fingerprint the centre gave you (by phone, on paper) and with the one",
        "printed at the foot of every page of its records. Everything below rests on it.",
        "",
        f"This pack was exported and its manifest signed by {station.actor.name} ({role}); their",
        "certificate is signer.pem"
        + (" and the checkpoint's signer's is checkpoint-signer.pem." if checkpoint_signer else "."),
        "",
        "Check it in this folder (Linux or macOS terminal; poppler-utils gives pdfsig):",
        "",
        "1. Every file is as exported:",
        "  $ sha256sum -c MANIFEST.sha256",
        "2. The manifest was signed by the person in signer.pem:",
        "  $ openssl dgst -sha256 -verify signer-public-key.pem -signature MANIFEST.sha256.sig MANIFEST.sha256",
        "  $ openssl x509 -in signer.pem -pubkey -noout | cmp - signer-public-key.pem",
        "3. Their certificate was issued by the centre, and the centre is the one you know:",
        "  $ openssl verify -CAfile centre.pem signer.pem",
    ]
    if checkpoint_signer:
        lines.append("  $ openssl verify -CAfile centre.pem checkpoint-signer.pem")
    lines += [
        "  $ openssl x509 -in centre.pem -noout -fingerprint -sha256",
        "4. Each record PDF is signed and unaltered (pdfsig reports the issuer as not trusted: it",
        "   does not know this centre; step 3 and the fingerprint are what prove the origin):",
        f"  $ pdfsig {example}",
        "5. With the station's program (invigilator-app), the origin and contents of every record:",
        '  $ for f in record-*.pdf; do invigilator-app verify "$f" --trust centre.pem || exit 4; done',
        "6. At the centre, the store still holds everything this pack witnessed (exit 4 if it was",
        "   cut short or rolled back since):",
        "  $ invigilator-app verify --audit --witness .",
        "",
        "The pack also holds register.csv (every allocation in the range), patterns.pdf and",
        "checkpoint.txt (the signed head of the audit chain).",
    ]
    if stations:
        lines.append("stations.txt says, for each room PC of the centre, up to when its records are in.")
    lines.append("")
    return "\n".join(lines)
