"""A :class:`Checker` wired to the real world: settings, sent broadcasts and FAQ rumours.

``bot.broadcast.verify`` and ``bot.faq`` are imported lazily: the checker works (without
official matching or rumours) even where those features are absent, and ``loa --help``
stays fast. ``CheckerCache`` rebuilds the checker only when the set of sent broadcasts
changes, which a cheap fingerprint query tells.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from bot.broadcast import verify
from bot.config import Settings
from bot.errors import LoaError
from bot.scam.checker import Checker
from bot.scam.hybrid import train
from bot.scam.model import ScamModel, load_model
from bot.scam.phrases import negated
from bot.store import Store
from bot.store import scam as scam_store

logger = logging.getLogger(__name__)

#: FAQ rumour hits at or above this score get the rebuttal attached.
RUMOUR_MIN_SCORE = 0.5
RUMOUR_WINDOW_CHARS = 120
# Claims of the rumour.* topics, on the checker's folded text. The FAQ search is costly on
# long texts (typo correction of every unknown word), so it only confirms a claim found
# here, on the few clauses around it: the check stays within its latency budget.
_CLAIMS = re.compile(
    r"(?<!mien )\b(?:phi dang ky|le phi|dat coc|tien coc|phi ho so|phi giu cho|thu tien|nop tien|dong tien|nop phi|dong phi|mat phi|ton phi)\b"
    r"|\b(?:du lieu|thong tin|benh an)\b.{0,40}?\b(?:bi ban|ban cho|ban ra|dem ban|nuoc ngoai|bi lo|lo lot)\b"
    r"|\b(?:sap nhap|gop tinh|hop nhat|dia gioi|dia chi moi)\b"
    r"|\b(?:phat|bi phat|bat buoc)\b"
)


def hotlines(settings: Settings) -> list[str]:
    """Numbers that are fine to call: the configured hotlines plus national service numbers."""
    numbers = [settings.health_hotline, settings.vneid_hotline, settings.bhxh_hotline, settings.emergency_number]
    numbers += settings.spam_report_number.replace("/", ",").split(",")
    numbers += ["113", "114", "115", "111", "156", "5656", "1900 9095", "1900 0368", "1900 9068"]
    return [n.strip() for n in numbers if n.strip()]


def official_domains(settings: Settings) -> list[str]:
    """The configured extra official domains (``LOA_OFFICIAL_DOMAINS``, comma-separated)."""
    return [d.strip() for d in settings.official_domains.split(",") if d.strip()]


def rumour_lookup(settings: Settings) -> Callable[[str, str], tuple[str, float, str] | None] | None:
    """A function (text, folded clauses) → (topic, score, rebuttal) from the FAQ's ``rumour.*`` topics."""
    try:
        from bot.faq import knowledge_base

        kb = knowledge_base(settings)
    except Exception as exc:  # the FAQ is optional for the scam check: a broken KB must not stop it
        logger.warning("scam check runs without rumours: %s", exc)
        return None

    def lookup(text: str, folded: str) -> tuple[str, float, str] | None:
        m = _CLAIMS.search(folded)
        if m is None:
            return None
        # Only the sentence holding the claim (cut to a few words each side of it).
        start = folded.rfind(" . ", 0, m.start())
        start = max(start + 3 if start >= 0 else 0, m.start() - RUMOUR_WINDOW_CHARS // 2)
        end = folded.find(" . ", m.end())
        end = min(end if end >= 0 else len(folded), m.end() + RUMOUR_WINDOW_CHARS // 2)
        window = folded[start:end]
        # "không thu phí đăng ký" denies the claim: that is a warning, not the rumour.
        if negated(folded, m.start()):
            return None
        hits = kb.search(window, prefix="rumour.")
        if not hits or hits[0].score < RUMOUR_MIN_SCORE:
            return None
        return hits[0].topic, hits[0].score, kb.answer(hits[0].topic, settings)

    return lookup


def scam_model() -> ScamModel | None:
    """The trained model for the corpus in messages/scam_corpus (cached), or None if it cannot be built.

    Without it the checker falls back to the rules alone, which is logged: a broken
    corpus file must not stop the scam check.
    """
    try:
        return load_model(train)
    except (LoaError, ValueError, OSError) as exc:
        logger.warning("scam check runs on rules only: %s", exc)
        return None


def build_checker(settings: Settings, store: Store | None = None, *, rumours: bool = True) -> Checker:
    """A checker for ``settings``; with ``store``, it knows the sent broadcasts and their codes."""
    sent: list = []
    code_lookup = None
    code_is_genuine = None
    if store is not None and scam_store.has_broadcasts(store):
        sent = verify.sent_messages(store)

        def code_lookup(code: str):  # noqa: ANN202 - returns verify.SentMessage | None
            return verify.find_by_code(store, code)

        def code_is_genuine(code: str) -> bool:
            return verify.is_genuine(settings, code, store=store)

    return Checker(
        model=scam_model(),
        official_domains=official_domains(settings),
        sent=sent,
        code_re=verify.CODE_RE,
        code_prefix=settings.code_prefix,
        code_lookup=code_lookup,
        code_is_genuine=code_is_genuine,
        rumours=rumour_lookup(settings) if rumours else None,
        hotlines=hotlines(settings),
        timezone=settings.timezone,
    )


class CheckerCache:
    """One checker per process, rebuilt when a broadcast is created or changes state."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._checker: Checker | None = None
        self._fingerprint: tuple | None = None

    def get(self) -> Checker:
        """The current checker (one cheap query per call tells whether broadcasts changed)."""
        fingerprint = scam_store.broadcasts_fingerprint(self.store)
        if self._checker is None or fingerprint != self._fingerprint:
            self._checker = build_checker(self.settings, self.store)
            self._fingerprint = fingerprint
        return self._checker
