"""Finding sites by a place named in the question ("khám ở nhà văn hóa khu Hiền Hào").

Used only when no commune was recognised. A site matches when the question shares a
*distinctive* word pair with the site's name or address: a pair of generic words ("nhà
văn", "trạm y", "khám ở") never counts, so ordinary questions do not match by accident.
"""

from __future__ import annotations

from typing import Any

# Folded words too common in site names, addresses and questions to identify a place.
_GENERIC_WORDS = """
    nha van hoa tram y te thon khu xa phuong p to dan pho so diem kham doi luu dong co dinh trung tam
    benh vien duong ngo ngach hem xom ap ban o tai dau khi nao bao gio ngay mai hom nay tuan sau thang
    toi minh khong ko k a nhe vay the la di den cho duoc moi nguoi mien phi suc khoe sang loc lich chieu
    thu chu nhat cuoi ai ca em anh chi ban oi hoi muon can gan nhat day voi va hay hoac cua truong uy
    ban nhan dan dac khu thi tran huyen quan xe lam mot hai ba bon nam sau bay tam chin muoi
"""
GENERIC = frozenset(_GENERIC_WORDS.split())


def distinctive_pairs(words: list[str]) -> set[str]:
    """Adjacent word pairs with at least one distinctive word."""
    return {
        f"{a} {b}"
        for a, b in zip(words, words[1:], strict=False)
        if (a not in GENERIC or b not in GENERIC) and a.isalnum() and b.isalnum()
    }


def match_sites(sites: list[dict[str, Any]], folded_words: list[str]) -> list[dict[str, Any]]:
    """The sites sharing the most distinctive word pairs with the question (none if no pair)."""
    wanted = distinctive_pairs(folded_words)
    if not wanted:
        return []
    from bot.sites.validate import plain_key

    scored: list[tuple[int, dict[str, Any]]] = []
    for site in sites:
        text = plain_key(f"{site['name']} {site['address']}")
        score = len(wanted & distinctive_pairs(text.split()))
        if score:
            scored.append((score, site))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [site for score, site in scored if score == best]
