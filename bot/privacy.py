"""Residents' privacy: keyed hashes for counting without keeping platform ids, and the
redaction of identifiers from any resident text that is stored or shown."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata


def keyed_hash(secret: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts (joined by NUL), hex, 32 characters.

    Without the server secret the hash cannot be linked back to a platform id, and the
    same resident on the same channel always gets the same value.
    """
    msg = "\x00".join(parts).encode("utf-8", "replace")
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()[:32]


# --- redaction ------------------------------------------------------------------------------
# Residents paste identifiers in every shape: "0912 345 678", "+84-912.345.678", a CCCD as
# "079 123 456 791" or "079.123.456.791", a BHYT card "GD4797932145678" (2 letters + 13
# digits, often spaced), a 10-digit BHXH code, an account number after "stk" or a bank name.
# Rather than one pattern per format (each one a way to miss the next), every run of digits
# joined by spaces, dots, dashes or brackets is measured as a whole: 6 digits or more is an
# identifier and goes, whatever its shape. The label only tells editors what kind it was.

# The look-behind makes a match start only at the beginning of a word: without it a long
# run of letters and digits is rescanned from every position (quadratic, 0.2 s at 4,000).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
_BHYT = re.compile(r"(?<![^\W\d_])[A-Za-z]{2}(?:[ \t\u00a0.\-]{0,3}\d){13}(?!\d)")
_SEP = r"(?:[ \t\u00a0]*[.\-–—][ \t\u00a0]*|[ \t\u00a0]{1,3})"
_GROUP = r"\(?\+?\d+\)?"
_RUN = re.compile(rf"(?<!\d)\+?{_GROUP}(?:{_SEP}{_GROUP})*")
_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})")
# Amounts stay readable only when written as money: "500.000 đồng", "2,000,000đ" ("k" is
# teencode for "không", so "0912345678 k" is not an amount).
_MONEY_AFTER = re.compile(r"\s?(?:đ(?!\w)|đồng|vnđ|vnd|nghìn|ngàn|triệu|tỷ)", re.IGNORECASE)
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_BANK_BEFORE = re.compile(
    r"(?:\bstk|\btk|tài khoản|tai khoan|ngân hàng|ngan hang|\bbank|vietcombank|\bvcb|techcombank|\btcb|bidv|"
    r"agribank|vietinbank|\bmb\b|mbbank|\bacb|sacombank|vpbank|tpbank|\bshb|hdbank|\bocb|\bmsb|\bvib|seabank)"
    r"[^\d]{0,25}$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdigit())


def _is_date(run: str) -> bool:
    m = _DATE.fullmatch(run)
    if m is None:
        return False
    return 1 <= int(_digits(m.group(1))) <= 31 and 1 <= int(_digits(m.group(3))) <= 12


def _label(digits: str, before: str) -> str:
    if _BANK_BEFORE.search(before) and len(digits) >= 8:
        return "[số tài khoản]"
    if (digits.startswith("0") and len(digits) in (10, 11)) or (
        digits.startswith("84") and len(digits) in (11, 12)
    ):
        return "[sđt]"
    if len(digits) in (9, 12):
        return "[số giấy tờ]"
    if len(digits) == 10:
        return "[mã BHXH]"
    if len(digits) >= 13:
        return "[số tài khoản]"
    return "[mã số]"


def _redact_run(text: str, m: re.Match[str]) -> str:
    run = m.group(0)
    digits = _digits(run)
    if len(digits) < 4:
        return run
    money = _THOUSANDS.fullmatch(run) and _MONEY_AFTER.match(text, m.end())
    if _is_date(run) or money:
        return run
    if len(digits) < 6:
        # Short numbers: a lone 4-5 digit group is an OTP-like code (years stay readable);
        # short spaced numbers ("10 12", "7.30") are ordinary text.
        if run != digits or _YEAR.fullmatch(run):
            return run
        return "[mã số]"
    return _label(digits, text[max(0, m.start() - 40) : m.start()])


def redact(text: str) -> str:
    """Replace e-mails, phone numbers, CCCD/CMND, BHYT cards, BHXH codes, bank account numbers
    and OTP-like codes with short Vietnamese placeholders.

    Used before any resident text is stored or shown (unanswered questions, reports).
    Every digit run of 6 or more digits goes, whatever spaces, dots or dashes split it;
    years (19xx, 20xx), dates and amounts of money stay readable.
    """
    text = unicodedata.normalize("NFC", text)
    text = _EMAIL.sub("[email]", text)
    text = _BHYT.sub("[số thẻ BHYT]", text)
    return _RUN.sub(lambda m: _redact_run(text, m), text)
