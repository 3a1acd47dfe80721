"""Shape checks for the held-out evaluation sets in tests/data/heldout/.

These tests only guard the files' format (so a careless edit cannot silently
break an evaluation); they never look at how Loa answers. The sets must not be
used for tuning: see tests/data/heldout/README.md.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

HELDOUT = Path(__file__).parent / "data" / "heldout"

TOPICS = {
    "screening.about", "screening.eligibility", "screening.cost", "screening.where",
    "screening.when", "screening.bring", "screening.content", "screening.results",
    "screening.register", "screening.students", "screening.workers", "screening.mobile",
    "screening.no_bhyt",
    "vneid.install", "vneid.level2", "vneid.activate", "vneid.password", "vneid.new_phone",
    "vneid.children", "vneid.lost_phone", "vneid.locked",
    "health_book.about", "health_book.integrate", "health_book.bhyt", "health_book.wrong_info",
    "health_book.social_security",
    "scam.calls", "scam.links", "scam.report", "scam.victim",
    "rumour.fee", "rumour.data_sale", "rumour.update_after_merger", "rumour.mandatory_fine",
    "privacy.data", "bot.help", "bot.subscribe", "bot.human", "bot.other_province",
}
FAQ_STYLES = {
    "diacritics", "no_diacritics", "teencode", "typos", "elderly", "long", "relayed",
    "zalo_group", "two_questions",
}


def _rows(name: str, folder: Path = HELDOUT) -> list[dict[str, object]]:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _nfc(text: object) -> bool:
    return isinstance(text, str) and bool(text) and unicodedata.is_normalized("NFC", text)


def test_faq_heldout_shape() -> None:
    """Every FAQ row has a known topic and style; in-scope topics all have 10+ questions."""
    per_topic, _styles = _faq_shape(_rows("faq_heldout.jsonl"), FAQ_STYLES)
    assert min(per_topic.values()) >= 10


def test_scam_heldout_shape() -> None:
    """Every scam-set row is labelled; clear only on scams, hard only on benign rows."""
    rows = _rows("scam_heldout.jsonl")
    assert len({str(r["text"]).lower() for r in rows}) == len(rows)
    kinds: Counter[tuple[object, object]] = Counter()
    for r in rows:
        assert _nfc(r["text"]) and _nfc(r["kind"]), r
        assert r["label"] in ("scam", "benign")
        assert isinstance(r["clear"], bool) and isinstance(r["hard"], bool)
        if r["label"] == "scam":
            assert not r["hard"]
        else:
            assert not r["clear"]
        kinds[(r["label"], r["kind"])] += 1
    assert sum(1 for label, _ in kinds if label == "scam") >= 16
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 250
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 250


# --- Second held-out set (tests/data/heldout2/), written by another helper ----------------

HELDOUT2 = Path(__file__).parent / "data" / "heldout2"
FAQ2_STYLES = FAQ_STYLES | {"formal"}
SCAM2_KINDS = {
    "police_vneid_sync", "level2_support", "code_request", "apk_install", "lookalike_link",
    "qr_code", "fee_free_service", "bhxh_bhyt", "fake_results", "prize", "investment",
    "wrong_transfer", "officer_in_group", "fake_health_app", "delivery_fee",
    "hacked_friend_loan", "miracle_cure", "sick_child_donation", "teacher_doctor_emergency",
    "traffic_fine", "tax_electricity_refund", "social_support_payment", "easy_money_job",
    "update_after_merger",
}
BENIGN2_KINDS = {
    "ward_notice", "official_notice", "warning", "carrier_notice", "resident_story",
    "question", "family", "shop_ad", "chitchat",
}


def _faq_shape(
    rows: list[dict[str, object]],
    styles_allowed: set[str] = FAQ2_STYLES,
    elder_false_ok: bool = False,
) -> tuple[Counter[str], Counter[str]]:
    """Row checks shared by the later FAQ sets; returns (questions per topic, rows per style).

    `elder_false_ok` lets a set mark rows that talk about an elder without being
    written by one (`"elder": false`); otherwise only `"elder": true` may appear.
    """
    assert len({str(r["q"]).strip().lower() for r in rows}) == len(rows)
    per_topic: Counter[str] = Counter()
    styles: Counter[str] = Counter()
    for r in rows:
        assert set(r) <= {"q", "topic", "style", "topics", "elder"}, r
        assert _nfc(r["q"]), r
        style, topic = str(r["style"]), r["topic"]
        styles[style] += 1
        if style == "out_of_scope":
            assert topic is None
        elif style == "medical":
            assert topic == "safety.medical"
        else:
            assert style in styles_allowed and topic in TOPICS, r
            per_topic[str(topic)] += 1
        if style == "two_questions":
            topics = r["topics"]
            assert isinstance(topics, list) and len(topics) == 2 and topics[0] == topic
            assert topics[1] in TOPICS and topics[1] != topic
        else:
            assert "topics" not in r
        elder = r.get("elder", True)
        assert isinstance(elder, bool) and (elder or elder_false_ok), r
    assert set(per_topic) == TOPICS
    return per_topic, styles


def _scam_shape(
    rows: list[dict[str, object]],
    scam_kinds: set[str] = SCAM2_KINDS,
    benign_kinds: set[str] = BENIGN2_KINDS,
) -> Counter[tuple[str, str]]:
    """Row checks shared by the later scam sets; returns rows per (label, kind)."""
    assert len({str(r["text"]).strip().lower() for r in rows}) == len(rows)
    kinds: Counter[tuple[str, str]] = Counter()
    for r in rows:
        assert set(r) == {"text", "label", "kind", "clear", "hard"}, r
        assert _nfc(r["text"]), r
        assert isinstance(r["clear"], bool) and isinstance(r["hard"], bool)
        label, kind = str(r["label"]), str(r["kind"])
        if label == "scam":
            assert kind in scam_kinds and not r["hard"], r
        else:
            assert label == "benign" and kind in benign_kinds and not r["clear"], r
        kinds[(label, kind)] += 1
    assert {k for label, k in kinds if label == "scam"} == scam_kinds
    assert {k for label, k in kinds if label == "benign"} == benign_kinds
    return kinds


def test_faq_heldout2_shape() -> None:
    """Second FAQ set: known ids and styles, NFC, no duplicates, 7+ questions per topic."""
    per_topic, styles = _faq_shape(_rows("faq_heldout2.jsonl", HELDOUT2))
    assert min(per_topic.values()) >= 7
    assert sum(per_topic.values()) >= 300
    assert styles["out_of_scope"] >= 40 and styles["medical"] >= 30
    assert all(styles[s] >= 20 for s in FAQ2_STYLES), styles
    assert styles["elderly"] >= 40


def test_scam_heldout2_shape() -> None:
    """Second scam set: known kinds, NFC, no duplicates; clear only on scams, hard only on benign."""
    rows = _rows("scam_heldout2.jsonl", HELDOUT2)
    kinds = _scam_shape(rows)
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 170
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 150
    assert sum(1 for r in rows if r["clear"]) >= 100
    assert sum(1 for r in rows if r["hard"]) >= 100


# --- Third held-out set (tests/data/heldout3/), written blind by a third helper ----------

HELDOUT3 = Path(__file__).parent / "data" / "heldout3"


def test_faq_heldout3_shape() -> None:
    """Third FAQ set: known ids and styles, NFC, no duplicates, 5+ questions per topic."""
    rows = _rows("faq_heldout3.jsonl", HELDOUT3)
    per_topic, styles = _faq_shape(rows)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    assert min(per_topic.values()) >= 5
    assert sum(per_topic.values()) >= 200
    assert styles["out_of_scope"] >= 20 and styles["medical"] >= 15
    assert styles["two_questions"] >= 15 and styles["elderly"] >= 35
    assert styles["zalo_group"] >= 35 and styles["long"] >= 35


def test_scam_heldout3_shape() -> None:
    """Third scam set: every kind present, NFC, no duplicates; clear only on scams, hard only on benign."""
    rows = _rows("scam_heldout3.jsonl", HELDOUT3)
    kinds = _scam_shape(rows)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 5
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 110
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 95
    assert sum(1 for r in rows if r["clear"]) >= 70
    assert sum(1 for r in rows if r["hard"]) >= 60


# --- Fifth dev sets (tests/data/*_dev_5.jsonl), written blind by helper dev5 -------------
# Dev sets may be tuned against; these tests only guard their shape.

DATA = Path(__file__).parent / "data"
FAQ5_STYLES = FAQ2_STYLES | {"short"}
SCAM5_KINDS = {
    "code_request", "apk_install", "fee_free_service", "lookalike_link", "qr_code",
    "police_sync", "level2_support", "vneid_address", "bhxh_bhyt", "fake_test_result",
    "fake_health_app", "ward_officer_zalo", "prize", "investment", "wrong_transfer",
    "delivery_fee", "hacked_borrow", "miracle_cure", "charity_child", "fake_emergency",
    "traffic_fine", "tax_power_refund", "social_allowance", "easy_money_job", "bank_biometric",
}
BENIGN5_KINDS = BENIGN2_KINDS | {"bank_notice"}


def test_faq_dev5_shape() -> None:
    """Fifth FAQ dev set: known ids and styles, NFC, no duplicates; elder flags where due."""
    rows = _rows("faq_dev_5.jsonl", DATA)
    per_topic, styles = _faq_shape(rows, FAQ5_STYLES, elder_false_ok=True)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    about_elders = [r for r in rows if r.get("elder") is False]
    assert len(about_elders) >= 25
    assert {r["style"] for r in about_elders} <= {"long", "zalo_group"}
    assert styles["two_questions"] >= 75 and styles["elderly"] >= 45
    assert styles["short"] >= 35 and all(len(str(r["q"]).split()) <= 6
                                         for r in rows if r["style"] == "short")
    assert styles["out_of_scope"] >= 20 and styles["medical"] >= 10
    assert sum(1 for r in rows if r["style"] == "two_questions" and r.get("elder")) >= 10


def test_scam_dev5_shape() -> None:
    """Fifth scam dev set: every kind present 5+ times, NFC, no duplicates, flags consistent."""
    rows = _rows("scam_dev_5.jsonl", DATA)
    kinds = _scam_shape(rows, SCAM5_KINDS, BENIGN5_KINDS)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 5
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 125
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 125
    assert sum(1 for r in rows if r["clear"]) >= 80
    assert sum(1 for r in rows if r["hard"]) >= 90
    assert not any(r["hard"] for r in rows if r["kind"] == "chitchat")


# --- Fourth held-out set (tests/data/heldout4/), written blind by a fourth helper ---------

HELDOUT4 = Path(__file__).parent / "data" / "heldout4"
SCAM4_KINDS = SCAM2_KINDS | {"bank_security"}
BENIGN4_KINDS = BENIGN2_KINDS | {"bank_notice"}


def test_faq_heldout4_shape() -> None:
    """Fourth FAQ set: five single voices per topic, 45 two-question rows, elder flags."""
    rows = _rows("faq_heldout4.jsonl", HELDOUT4)
    per_topic, styles = _faq_shape(rows, elder_false_ok=True)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    singles: Counter[str] = Counter(
        str(r["topic"]) for r in rows
        if r["style"] not in ("two_questions", "out_of_scope", "medical")
        and r.get("elder") is not False
    )
    assert all(singles[t] == 5 for t in TOPICS), singles
    assert styles["two_questions"] == 45
    assert sum(1 for r in rows if r["style"] == "two_questions" and r.get("elder")) >= 10
    not_elder = [r for r in rows if r.get("elder") is False]
    assert len(not_elder) >= 12
    assert all(r["style"] in ("long", "zalo_group") for r in not_elder)
    assert styles["out_of_scope"] == 35 and styles["medical"] == 25
    assert styles["elderly"] == 39 and sum(per_topic.values()) >= 250


HELDOUT5 = Path(__file__).parent / "data" / "heldout5"


def test_faq_heldout5_shape() -> None:
    """Fifth FAQ set: three single voices per topic, 20 two-question rows, 45 out of scope."""
    rows = _rows("faq_heldout5.jsonl", HELDOUT5)
    _per_topic, styles = _faq_shape(rows)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    assert all("elder" not in r for r in rows if r["style"] != "elderly")
    singles: Counter[tuple[str, str]] = Counter(
        (str(r["topic"]), str(r["style"])) for r in rows
        if r["style"] not in ("two_questions", "out_of_scope", "medical")
    )
    assert all(n == 1 for n in singles.values()), singles
    per_single: Counter[str] = Counter(t for t, _ in singles)
    assert all(per_single[t] == 3 for t in TOPICS), per_single
    assert styles["two_questions"] == 20
    assert styles["out_of_scope"] == 45 and styles["medical"] == 20
    assert len(rows) >= 200


def test_scam_heldout4_shape() -> None:
    """Fourth scam set: 25 scam kinds with 5+ each, ten benign kinds, clear/hard flags."""
    rows = _rows("scam_heldout4.jsonl", HELDOUT4)
    kinds = _scam_shape(rows, SCAM4_KINDS, BENIGN4_KINDS)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 5
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 125
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 115
    assert kinds[("benign", "chitchat")] >= 12
    assert sum(1 for r in rows if r["clear"]) >= 80
    assert sum(1 for r in rows if r["hard"]) >= 80


# --- Sixth dev sets (tests/data/*_dev_6.jsonl), written blind by helper dev6 -------------
# Dev sets may be tuned against; these tests only guard their shape. Kinds as heldout4.


def test_faq_dev6_shape() -> None:
    """Sixth FAQ dev set: known ids and styles, NFC, no duplicates; relayed and elder rows."""
    rows = _rows("faq_dev_6.jsonl", DATA)
    per_topic, styles = _faq_shape(rows, elder_false_ok=True)
    assert min(per_topic.values()) >= 4
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    about_elders = [r for r in rows if r.get("elder") is False]
    assert len(about_elders) >= 10
    assert {r["style"] for r in about_elders} <= {"long", "zalo_group"}
    assert styles["relayed"] >= 55 and styles["two_questions"] >= 45
    assert styles["elderly"] >= 45
    assert styles["out_of_scope"] >= 20 and styles["medical"] >= 15
    assert sum(1 for r in rows if r["style"] == "two_questions" and r.get("elder")) >= 10


def test_scam_dev6_shape() -> None:
    """Sixth scam dev set: every kind present 5+ times, first contacts, flags consistent."""
    rows = _rows("scam_dev_6.jsonl", DATA)
    kinds = _scam_shape(rows, SCAM4_KINDS, BENIGN4_KINDS)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 5
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 120
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 115
    assert sum(1 for r in rows if r["label"] == "scam" and not r["clear"]) >= 40
    assert sum(1 for r in rows if r["hard"]) >= 90
    assert not any(r["hard"] for r in rows if r["kind"] == "chitchat")


# --- Sixth held-out set (tests/data/heldout6/), written blind by a sixth helper ----------

HELDOUT6 = Path(__file__).parent / "data" / "heldout6"


def test_faq_heldout6_shape() -> None:
    """Sixth FAQ set: five single voices per topic, ~40 two-question rows, elder flags."""
    rows = _rows("faq_heldout6.jsonl", HELDOUT6)
    per_topic, styles = _faq_shape(rows, elder_false_ok=True)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    singles: Counter[tuple[str, str]] = Counter(
        (str(r["topic"]), str(r["style"])) for r in rows
        if r["style"] not in ("two_questions", "out_of_scope", "medical")
        and r.get("elder") is not False
    )
    assert all(n == 1 for n in singles.values()), singles
    for topic in TOPICS:
        voices = {s for t, s in singles if t == topic}
        assert {"elderly", "zalo_group", "long"} <= voices, topic
        assert len(voices & {"teencode", "typos"}) == 1, topic
        assert len(voices & {"formal", "relayed"}) == 1, topic
        assert len(voices) == 5, topic
    assert 38 <= styles["two_questions"] <= 45
    assert sum(1 for r in rows if r["style"] == "two_questions" and r.get("elder")) >= 10
    not_elder = [r for r in rows if r.get("elder") is False]
    assert len(not_elder) >= 10
    assert all(r["style"] in ("long", "zalo_group") for r in not_elder)
    assert styles["out_of_scope"] == 35 and styles["medical"] == 25
    assert sum(per_topic.values()) >= 240 and len(rows) >= 295


def test_scam_heldout6_shape() -> None:
    """Sixth scam set: 25 scam kinds with 5+ each, ten benign kinds, clear/hard flags."""
    rows = _rows("scam_heldout6.jsonl", HELDOUT6)
    kinds = _scam_shape(rows, SCAM4_KINDS, BENIGN4_KINDS)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 5
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 125
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 115
    assert kinds[("benign", "chitchat")] >= 12
    assert not any(r["hard"] for r in rows if r["kind"] == "chitchat")
    assert sum(1 for r in rows if r["clear"]) >= 80
    assert sum(1 for r in rows if r["hard"]) >= 80


# --- Seventh held-out set (tests/data/heldout7/), written blind by a seventh helper --------

HELDOUT7 = Path(__file__).parent / "data" / "heldout7"


def test_faq_heldout7_shape() -> None:
    """Seventh FAQ set: four single voices per topic, 25 two-question rows, elder flags."""
    rows = _rows("faq_heldout7.jsonl", HELDOUT7)
    per_topic, styles = _faq_shape(rows)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    singles: Counter[tuple[str, str]] = Counter(
        (str(r["topic"]), str(r["style"])) for r in rows
        if r["style"] not in ("two_questions", "out_of_scope", "medical")
    )
    assert all(n == 1 for n in singles.values()), singles
    for topic in TOPICS:
        assert len({s for t, s in singles if t == topic}) == 4, topic
    assert styles["two_questions"] == 25
    assert styles["out_of_scope"] == 30 and styles["medical"] == 20
    assert sum(per_topic.values()) >= 180 and len(rows) >= 230


def test_scam_heldout7_shape() -> None:
    """Seventh scam set: 25 scam kinds with 4+ each, ten benign kinds, clear/hard flags."""
    rows = _rows("scam_heldout7.jsonl", HELDOUT7)
    kinds = _scam_shape(rows, SCAM4_KINDS, BENIGN4_KINDS)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 4
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 110
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 105
    assert not any(r["hard"] for r in rows if r["kind"] == "chitchat")
    assert sum(1 for r in rows if r["clear"]) >= 70
    assert sum(1 for r in rows if r["hard"]) >= 80


# --- Eighth held-out set (tests/data/heldout8/), written blind by an eighth helper ---------

HELDOUT8 = Path(__file__).parent / "data" / "heldout8"


def test_faq_heldout8_shape() -> None:
    """Eighth FAQ set: four single voices per topic (one elderly), 40 two-question rows."""
    rows = _rows("faq_heldout8.jsonl", HELDOUT8)
    per_topic, styles = _faq_shape(rows, elder_false_ok=True)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    singles: Counter[tuple[str, str]] = Counter(
        (str(r["topic"]), str(r["style"])) for r in rows
        if r["style"] not in ("two_questions", "out_of_scope", "medical")
    )
    assert all(n == 1 for n in singles.values()), singles
    for topic in TOPICS:
        voices = {s for t, s in singles if t == topic}
        assert len(voices) == 4 and "elderly" in voices, topic
    not_elder = [r for r in rows if r.get("elder") is False]
    assert not_elder and all(r["style"] in ("long", "zalo_group") for r in not_elder)
    assert styles["two_questions"] == 40
    assert sum(1 for r in rows if r["style"] == "two_questions" and r.get("elder")) >= 8
    assert styles["out_of_scope"] == 40 and styles["medical"] == 45
    assert sum(per_topic.values()) == 196 and len(rows) == 281


def test_scam_heldout8_shape() -> None:
    """Eighth scam set: 25 scam kinds with 5+ each, ten benign kinds, clear/hard flags."""
    rows = _rows("scam_heldout8.jsonl", HELDOUT8)
    kinds = _scam_shape(rows, SCAM4_KINDS, BENIGN4_KINDS)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 5
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 125
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 125
    assert min(n for (label, _), n in kinds.items() if label == "benign") >= 12
    assert not any(r["hard"] for r in rows if r["kind"] == "chitchat")
    assert sum(1 for r in rows if r["label"] == "scam" and not r["clear"]) >= 20
    assert sum(1 for r in rows if r["clear"]) >= 90
    assert sum(1 for r in rows if r["hard"]) >= 100

# --- Seventh dev sets (tests/data/*_dev_7.jsonl), written blind by helper dev7 -----------
# Dev sets may be tuned against; these tests only guard their shape. Kinds as heldout7.

MEDICAL_WORDS = ("bệnh", "thuốc", "bác sĩ", "benh", "thuoc", "bac si")


def test_faq_dev7_shape() -> None:
    """Seventh FAQ dev set: many medical and two-question rows, near-miss out-of-scope rows."""
    rows = _rows("faq_dev_7.jsonl", DATA)
    _per_topic, styles = _faq_shape(rows)
    assert all(r.get("elder") is True for r in rows if r["style"] == "elderly")
    assert styles["medical"] >= 70 and styles["two_questions"] >= 60
    assert styles["out_of_scope"] >= 60 and len(rows) >= 250
    medical = [str(r["q"]).lower() for r in rows if r["style"] == "medical"]
    plain = [q for q in medical if not any(w in q for w in MEDICAL_WORDS)]
    assert 2 * len(plain) >= len(medical)
    assert sum(1 for r in rows if r["style"] == "two_questions" and r.get("elder")) >= 10
    singles = sum(1 for r in rows if r["style"] in ("elderly", "relayed", "zalo_group"))
    assert singles >= 70


def test_scam_dev7_shape() -> None:
    """Seventh scam dev set: every kind present 4+ times, first contacts, flags consistent."""
    rows = _rows("scam_dev_7.jsonl", DATA)
    kinds = _scam_shape(rows, SCAM4_KINDS, BENIGN4_KINDS)
    assert min(n for (label, _), n in kinds.items() if label == "scam") >= 4
    assert sum(n for (label, _), n in kinds.items() if label == "scam") >= 120
    assert sum(n for (label, _), n in kinds.items() if label == "benign") >= 125
    assert kinds[("scam", "officer_in_group")] >= 8
    assert sum(1 for r in rows if r["label"] == "scam" and not r["clear"]) >= 30
    assert sum(1 for r in rows if r["hard"]) >= 100
    assert not any(r["hard"] for r in rows if r["kind"] == "chitchat")
