"""Links inside a message and what their hosts say about it.

A genuine government site ends in ``.gov.vn``; ``.vn`` alone proves nothing. Scammers use
hosts that *look* official: ``vneid-gov.com``, ``dichvucong-govvn.top``, official names as
sub-domains of their own domain (``vneid.gov.vn.app-update.top``), letters swapped for
look-alikes (Cyrillic ``а``, ``0`` for ``o``, ``rn`` for ``m``), punycode, shorteners and
``.apk`` downloads. They also write links without ``http://`` so that chat apps do not
preview them. Everything here is pure and fast (precompiled patterns, no I/O).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

# Official hosts known by name (any host ending in .gov.vn is government; these are the
# names scammers imitate, so look-alikes of them are caught even outside .gov.vn).
OFFICIAL_NAMES: tuple[str, ...] = (
    "vneid.gov.vn",
    "dichvucong.gov.vn",
    "baohiemxahoi.gov.vn",
    "vss.gov.vn",
    "moh.gov.vn",
    "kcb.vn",
    "bocongan.gov.vn",
    "chinhphu.vn",
    "haiphong.gov.vn",
    "langson.gov.vn",
    "csdl.dancuquocgia.gov.vn",
)

# Hosts that are safe to link to although they are not .gov.vn: the scam-check site the
# campaign itself recommends, the app stores, the official news portals and big newspapers.
SAFE_HOSTS: frozenset[str] = frozenset(
    {
        "tinnhiemmang.vn",
        "chinhphu.vn",
        "baochinhphu.vn",
        "kcb.vn",
        "csgt.vn",  # the traffic police's own look-up site for fines
        "apps.apple.com",
        "play.google.com",
        "vtv.vn",
        "vnexpress.net",
        "tuoitre.vn",
        "thanhnien.vn",
        "dantri.com.vn",
        "vietnamnet.vn",
        "nhandan.vn",
        "suckhoedoisong.vn",
        "baohaiphong.vn",
        "baohaiphong.com.vn",
        "baolangson.vn",
        "vov.vn",
        "laodong.vn",
        "znews.vn",
        "cand.com.vn",
        "qdnd.vn",
        "vtc.vn",
        "tienphong.vn",
        "youtube.com",
        "youtu.be",
        "wikipedia.org",
    }
)

SHORTENERS: frozenset[str] = frozenset(
    {
        "bit.ly", "tinyurl.com", "t.ly", "cutt.ly", "rebrand.ly", "shorturl.at", "is.gd", "goo.gl",
        "ow.ly", "tiny.cc", "rb.gy", "s.id", "v.gd", "bom.so", "t.co", "short.link", "shorten.asia",
        "urlz.fr", "2.gp", "link.gg", "gg.gg", "bitly.com", "tinyurl.vn", "u.to", "clck.ru",
    }
)

# Top-level domains that are cheap, throwaway and common in phishing (not proof alone).
CHEAP_TLDS: frozenset[str] = frozenset(
    {
        "top", "xyz", "click", "online", "site", "info", "cc", "vip", "shop", "live", "icu", "buzz",
        "tk", "ml", "ga", "cf", "gq", "pw", "club", "life", "work", "link", "app", "cfd", "sbs",
        "monster", "rest", "fun", "store", "space", "website", "today", "support", "help", "asia",
    }
)

# Words of official bodies that have no business inside a non-government host name.
_BRAND_TOKENS: tuple[str, ...] = (
    "vneid", "dichvucong", "baohiemxahoi", "bhxh", "vssid", "boyte", "bocongan", "congan",
    "dancu", "dinhdanh", "chinhphu", "govvn", "gov-vn", "gov.vn", "moh", "sokhoe", "sosuckhoe",
    "suckhoedientu", "c06",
)

# Latin look-alikes of characters from other scripts (Cyrillic, Greek) and fullwidth forms.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ո": "n", "ν": "v", "ο": "o", "α": "a", "ε": "e",
        "ι": "i", "κ": "k", "τ": "t", "υ": "u", "ѵ": "v", "ԛ": "q", "ɑ": "a", "ı": "i", "ℓ": "l",
    }
)

_TLD = r"(?:com|net|org|info|top|xyz|click|online|site|cc|vip|shop|live|icu|buzz|tk|ml|ga|cf|gq|pw|club|life|work|link|app|cfd|sbs|monster|rest|fun|store|space|website|today|support|help|asia|io|me|co|ly|gd|at|id|gl|vn|ru|cn|us|biz|pro|tv|to|so|gp|fr|gg|in|eu|uk|de|vm|vnn|cm|om|ws|cx|su|pk)"

# With a scheme, or starting with www., or a bare domain ending in a known TLD. Hosts may
# hold non-ASCII letters (homoglyph attacks), so \w is used, not [a-z].
_URL = re.compile(
    r"(?P<scheme>https?://|hxxps?://)?"
    r"(?P<host>(?:[\w-]+\.)+(?:[\w-]+))"
    r"(?P<port>:\d{2,5})?"
    r"(?P<path>/[^\s<>\"'()\[\]{}]*)?",
    re.IGNORECASE | re.UNICODE,
)
_BARE_TLD = re.compile(rf"\.{_TLD}$", re.IGNORECASE)
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_NUMERIC = re.compile(r"^[\d.]+$")


@dataclass(frozen=True)
class Link:
    """A link found in a message: where it points and how it was written."""

    raw: str
    host: str  # lowercase, IDNA-decoded when it was punycode
    path: str
    has_scheme: bool
    start: int
    end: int

    @property
    def is_apk(self) -> bool:
        """True when the link downloads an Android package."""
        return self.path.lower().split("?")[0].endswith(".apk") or self.host.endswith(".apk")


@dataclass(frozen=True)
class HostFinding:
    """One observation about a host: an id, a weight in [0, 1] and a short reason."""

    id: str
    weight: float
    reason: str


def extract_links(text: str) -> list[Link]:
    """Every link in ``text``, with or without a scheme (``vneid-gov.com/x`` counts)."""
    links: list[Link] = []
    for m in _URL.finditer(text):
        host = m.group("host").lower().rstrip(".-")
        scheme = m.group("scheme")
        path = m.group("path") or ""
        if _NUMERIC.match(host) and not _IP.match(host):
            continue  # "1.500.000" is money, "06.5.2026" a date
        if not scheme and not host.startswith("www.") and not _IP.match(host):
            # A bare word.word only counts as a link when it ends in a real TLD.
            # Also shorteners ("rb.gy/x") and any two-letter country TLD followed by a path.
            if not (_BARE_TLD.search(host) or host in SHORTENERS or (re.search(r"\.[a-z]{2}$", host) and len(path) > 1)):
                continue
            # "ngày 06/5" or "v.v" are not links: require a letter before the TLD part.
            if not re.search(r"[^\W\d_]", host.rsplit(".", 1)[0]):
                continue
        # Trailing punctuation belongs to the sentence, not the link.
        path = path.rstrip(".,;:!?")
        links.append(
            Link(raw=m.group(0).rstrip(".,;:!?"), host=_decode_host(host), path=path, has_scheme=bool(scheme),
                 start=m.start(), end=m.end())
        )
    return links


def _decode_host(host: str) -> str:
    if "xn--" not in host:
        return host
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


def is_official_host(host: str, extra: frozenset[str] = frozenset()) -> bool:
    """True for government hosts (``*.gov.vn``) and configured extra official domains."""
    host = host.lower().removeprefix("www.")
    if not host.isascii():
        return False
    if host == "gov.vn" or host.endswith(".gov.vn"):
        return True
    return any(host == d or host.endswith("." + d) for d in extra)


def is_safe_host(host: str) -> bool:
    """Well-known non-government hosts that are fine to link to (app stores, news)."""
    host = host.lower().removeprefix("www.").removeprefix("m.")
    return any(host == d or host.endswith("." + d) for d in SAFE_HOSTS)


def skeleton(host: str) -> str:
    """The host as it *looks*: look-alike letters mapped to Latin, accents dropped."""
    host = host.lower().translate(_CONFUSABLES)
    host = "".join(c for c in unicodedata.normalize("NFD", host) if not unicodedata.combining(c))
    return host.replace("đ", "d").replace("rn", "m").replace("vv", "w")


@lru_cache(maxsize=4096)
def analyse_host(host: str, extra: frozenset[str] = frozenset()) -> tuple[HostFinding, ...]:
    """What is wrong with ``host`` (nothing for official and well-known safe hosts)."""
    host = host.lower().removeprefix("www.")
    if is_official_host(host, extra):
        return ()
    findings: list[HostFinding] = []
    non_ascii = not host.isascii()
    look = skeleton(host)
    ascii_look = look.replace("0", "o").replace("1", "l")
    if non_ascii:
        findings.append(HostFinding("homoglyph", 0.85, f"Tên miền “{host}” dùng chữ giả dạng (ký tự lạ/punycode)."))
    if ".gov.vn." in host + "." and not host.endswith(".gov.vn"):
        findings.append(
            HostFinding("official_inside", 0.92, f"“{host}” chỉ mượn tên trang chính phủ; trang thật phải kết thúc bằng .gov.vn.")
        )
    elif _IP.match(host):
        findings.append(HostFinding("ip_host", 0.6, f"Đường link dẫn tới địa chỉ số “{host}”, không phải trang chính thức."))
    elif is_safe_host(host):
        return tuple(findings)
    elif host in SHORTENERS:
        findings.append(HostFinding("shortener", 0.5, f"Link rút gọn ({host}) che giấu trang thật."))
    else:
        near = _near_official(ascii_look)
        if near and not non_ascii:
            findings.append(
                HostFinding("lookalike", 0.88, f"“{host}” nhái tên trang chính thức {near} (trang thật kết thúc bằng .gov.vn).")
            )
        elif any(b in ascii_look.replace(".", "").replace("-", "") for b in _BRAND_TOKENS) or "gov" in ascii_look:
            findings.append(
                HostFinding("brand_in_host", 0.85, f"“{host}” mang tên cơ quan nhà nước nhưng không phải tên miền .gov.vn.")
            )
    tld = host.rsplit(".", 1)[-1]
    if tld in CHEAP_TLDS and not any(f.id in ("official_inside",) for f in findings):
        findings.append(HostFinding("cheap_tld", 0.35, f"Tên miền đuôi .{tld} hay bị dùng để lừa đảo."))
    return tuple(findings)


def _near_official(look: str) -> str | None:
    """The official name ``look`` imitates by a small edit (``vneid.gov.vm``, ``vneld.gov.vn``)."""
    for name in OFFICIAL_NAMES:
        if look == name:
            return name
        # Allow more edits for longer names: one for "kcb.vn", up to three for long ones.
        cutoff = 1 if len(name) < 9 else 2 if len(name) < 14 else 3
        if abs(len(look) - len(name)) <= cutoff and Levenshtein.distance(look, name, score_cutoff=cutoff) <= cutoff:
            return name
        # Same letters with the dots moved or dropped: "vneidgov.vn", "vneid-gov-vn.com".
        flat = re.sub(r"[.\-]", "", look)
        if flat.startswith(re.sub(r"[.\-]", "", name)):
            return name
    return None
