"""Which reasons a resident reads: at most three, the most specific first, none repeating another.

Every signal belongs to a *family* of things it can say ("the link is not .gov.vn", "asks
for a code", "asks for money"); only the strongest, most specific signal of a family is
shown. Specificity comes first (a code request says more than "hurries you"), then weight.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.scam.verdict import Signal

MAX_REASONS = 3
_SHOWN_FROM = 0.1  # weaker signals (damped mentions) are not shown

# Lower rank = more specific. Unlisted ids rank last.
_RANK: dict[str, int] = {}
for _rank, _ids in enumerate(
    (
        ("fake_code", "code_other_text"),
        ("otp_request", "secret_request", "otp_enter", "secret_enter", "apk", "apk_link", "ignore_warning", "remote_app", "fee_for_free",
         "level2_remote", "safe_account", "mistransfer", "task_scam", "recovery", "emergency_money", "result_upsell",
         "secret_urgent", "mdm_profile", "fixer", "cutoff_pay", "cod_prepay", "fixed_return"),
        ("link_official_inside", "link_lookalike", "link_homoglyph", "link_brand_in_host", "link_ip_host", "link_shortener",
         "bank_details", "bank_enter", "account_via_link", "cure_claim", "no_call_borrow", "slim_claim", "favour_opener",
         "home_alone", "new_contact"),
        ("impersonation", "impersonation_call", "authority_request", "crime_link", "secrecy", "classifier"),
        ("fee", "docs_to_chat", "card_photo", "data_request", "data_enter", "vneid_sync", "qr", "install_app", "prize",
         "threat", "account_problem", "account_number", "gov_bad_link"),
        ("money_transfer", "call_back", "open_link", "urgency", "unknown_link", "link_cheap_tld", "schemeless"),
    )
):
    for _id in _ids:
        _RANK[_id] = _rank

# Signals that say the same thing to a resident.
_FAMILY: dict[str, str] = {}
for _family, _ids in {
    "not_gov": ("link_official_inside", "link_lookalike", "link_homoglyph", "link_brand_in_host", "link_ip_host",
                "link_shortener", "unknown_link", "gov_bad_link", "account_via_link"),
    "app": ("apk", "apk_link", "install_app", "remote_app", "mdm_profile"),
    "code": ("otp_request", "otp_enter"),
    "secret": ("secret_request", "secret_enter"),
    "money": ("fee_for_free", "fee", "money_transfer", "account_number", "safe_account", "mistransfer", "task_scam",
              "emergency_money", "no_call_borrow", "result_upsell", "cutoff_pay", "cod_prepay", "fixed_return"),
    "hidden": ("secrecy", "secret_urgent"),
    "cure": ("cure_claim", "slim_claim"),
    "bank": ("bank_details", "bank_enter"),
    "who": ("impersonation", "impersonation_call", "authority_request"),
    "data": ("docs_to_chat", "card_photo", "data_request", "data_enter"),
    "sync": ("vneid_sync", "level2_remote", "account_problem"),
}.items():
    for _id in _ids:
        _FAMILY[_id] = _family


def rank(signal_id: str) -> int:
    """How specific a signal is (0 = most)."""
    return _RANK.get(signal_id, len(_RANK))


def family(signal_id: str) -> str:
    """What a signal says, as a family name (itself when it shares with no other)."""
    return _FAMILY.get(signal_id, signal_id)


def pick(signals: Iterable[Signal], limit: int = MAX_REASONS) -> list[Signal]:
    """The signals to show: most specific first, one per family, at most ``limit``."""
    chosen: list[Signal] = []
    seen: set[str] = set()
    for sig in sorted((s for s in signals if s.weight >= _SHOWN_FROM), key=lambda s: (rank(s.id), -s.weight, s.id)):
        fam = family(sig.id)
        if fam in seen:
            continue
        seen.add(fam)
        chosen.append(sig)
        if len(chosen) == limit:
            break
    return chosen
