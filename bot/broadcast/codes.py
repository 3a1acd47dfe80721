"""Verification codes: HMAC(secret, broadcast id + content hash) as a short readable code.

A code looks like ``HP-7K3Q9X``: the configured prefix, a hyphen and six characters of
Crockford base32 (no I, L, O, U), so it reads well aloud and survives retyping.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from bot.text import nfc

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6

#: A code inside free text (case-insensitive); tolerant forms are handled by ``normalize_code``.
CODE_RE = re.compile(r"\b[A-Z]{2,4}-[0-9A-Z]{6}\b", re.IGNORECASE)

_LOOSE_RE = re.compile(r"^([A-Z]{2,4})[\s\-_.:]*([0-9A-Z]{6})$")
# Characters residents confuse when retyping a code.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the NFC text as sent, without the footer."""
    return hashlib.sha256(nfc(text).encode("utf-8")).hexdigest()


def make_code(secret: bytes, prefix: str, broadcast_id: int, digest: str, *, salt: int = 0) -> str:
    """The code of broadcast ``broadcast_id`` with content hash ``digest``.

    ``salt`` only changes the code after a (very unlikely) collision with an existing one.
    """
    msg = f"broadcast:{int(broadcast_id)}:{digest}" + (f":{salt}" if salt else "")
    mac = hmac.new(secret, msg.encode("utf-8"), hashlib.sha256).digest()
    number = int.from_bytes(mac[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, rem = divmod(number, 32)
        chars.append(ALPHABET[rem])
    return f"{clean_prefix(prefix)}-{''.join(chars)}"


def clean_prefix(prefix: str) -> str:
    """The configured prefix as used in codes: 2–4 ASCII letters, upper case."""
    letters = re.sub(r"[^A-Za-z]", "", prefix or "").upper()[:4]
    return letters if len(letters) >= 2 else "LOA"


def normalize_code(text: str) -> str | None:
    """Canonical ``PP-XXXXXX`` from what a resident typed (case, spaces, O/0 and I/1 tolerant)."""
    raw = nfc(text or "").strip().upper()
    m = _LOOSE_RE.match(raw)
    if not m:
        return None
    prefix, body = m.group(1), m.group(2).translate(_CONFUSABLE)
    if any(c not in ALPHABET for c in body):
        return None
    return f"{prefix}-{body}"


def find_codes(text: str) -> list[str]:
    """Every code-shaped token in ``text``, normalised, in order of appearance."""
    out = []
    for m in CODE_RE.finditer(text or ""):
        code = normalize_code(m.group(0))
        if code and code not in out:
            out.append(code)
    return out


def footer(code: str, issuer: str) -> str:
    """The verification footer appended to every copy of a broadcast."""
    return f"\n\n—\nTin chính thức của {issuer}. Mã xác thực: {code}\nKiểm tra: gửi “/xacthuc {code}” cho Loa."


def with_footer(text: str, code: str, issuer: str) -> str:
    """The text as delivered: body plus footer."""
    return nfc(text).rstrip() + footer(code, issuer)
