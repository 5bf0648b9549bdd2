"""Recovery keys: 160 random bits, written as Crockford base32 in groups of four that
can be read aloud over the phone (no I, L, O or U)."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
RECOVERY_BITS = 160


def new_recovery_key() -> str:
    value = secrets.randbits(RECOVERY_BITS)
    chars = []
    for _ in range(RECOVERY_BITS // 5):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    text = "".join(reversed(chars))
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise(text: str) -> bytes:
    """What the user typed, as the secret the recovery slot was made with."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    return cleaned.encode("ascii", errors="replace")
