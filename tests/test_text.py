"""Vietnamese normalisation: examples and properties."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import bigrams, fold, normalize, redact, syllables, terms, unify_tones


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Khám Sức Khỏe Miễn Phí ở đâu?", "khám sức khỏe miễn phí ở đâu"),
        ("Sổ sức khoẻ điện tử", "sổ sức khỏe điện tử"),  # old tone placement unified
        ("hoà bình, thuỷ nguyên", "hòa bình thủy nguyên"),
        ("cài vneid ntn", "cài vneid như thế nào"),
        ("mẹ em 70t có đc khám ko", "mẹ em 70t có được khám không"),
        ("khams benh dduwowcj khoong", "khám benh được không"),  # telex leftovers
        ("quên mk  vneid", "quên mật khẩu vneid"),
        ("tk mức 2 có cần cccd k", "tài khoản mức 2 có cần căn cước công dân không"),
        ("  \t\n ", ""),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_urls_codes_and_dates() -> None:
    assert normalize("Vào vneid.gov.vn, mã HP-7K3Q9X, ngày 12/12/2026!") == "vào vneid.gov.vn mã hp-7k3q9x ngày 12/12/2026"


def test_decomposed_input_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Khám sức khỏe")
    assert normalize(decomposed) == "khám sức khỏe"


def test_fold_removes_tones_and_d_bar() -> None:
    assert fold("Được Đăng ký ở Kẻ Sặt") == "Duoc Dang ky o Ke Sat"
    assert fold(normalize("ĐĂNG KÝ KHÁM")) == "dang ky kham"


@pytest.mark.parametrize("pair", [("hoà", "hòa"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"), ("ngoài", "ngoài"), ("hoàng", "hoàng")])
def test_tone_placement_unified(pair: tuple[str, str]) -> None:
    assert unify_tones(pair[0]) == pair[1]


def test_tokens_and_terms() -> None:
    toks = syllables("Khám sức khỏe")
    assert toks == ["khám", "sức", "khỏe"]
    assert bigrams(toks) == ["khám_sức", "sức_khỏe"]
    t = terms("khám sức khỏe")
    assert {"khám", "kham", "sức_khỏe", "suc_khoe"} <= set(t)
    assert len(t) == len(set(t))


def test_redact_phone_ids_codes_keeps_years() -> None:
    text = "Gọi 0912 345 678 hoặc +84 912345678, OTP 482913, CCCD 001203004567, CMND 123456789, năm 2026"
    out = redact(text)
    for secret in ("0912", "912345678", "482913", "001203004567", "123456789"):
        assert secret not in out
    assert "[sđt]" in out and "[mã số]" in out and "[số giấy tờ]" in out
    assert "2026" in out


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_idempotent_and_total(s: str) -> None:
    once = normalize(s)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_stable(s: str) -> None:
    once = fold(s)
    assert fold(once) == once
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", fold(normalize(s))))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_redact_never_raises(s: str) -> None:
    assert isinstance(redact(s), str)


def test_surrogates_and_controls_are_cleaned() -> None:
    out = normalize("a\ud800b\x00c\u200bd")
    assert out == "a bcd"  # the surrogate became "?", punctuation, hence a space
    out.encode("utf-8")  # no lone surrogate survives


def test_collation_key_sorts_the_vietnamese_way() -> None:
    from bot.text import collation_key

    names = ["Chấn Hưng", "Cát Hải", "Đông Hải", "Dương Kinh", "Ân Thi", "An Lão", "Ăn Lạc", "Bạch Đằng"]
    assert sorted(names, key=collation_key) == [
        "An Lão", "Ăn Lạc", "Ân Thi", "Bạch Đằng", "Cát Hải", "Chấn Hưng", "Dương Kinh", "Đông Hải"
    ]
    tones = ["Cạ", "Cá", "Ca", "Cả", "Cà", "Cã"]
    assert sorted(tones, key=collation_key) == ["Ca", "Cà", "Cả", "Cã", "Cá", "Cạ"]
    assert sorted(["Cát Hải", "Cát"], key=collation_key) == ["Cát", "Cát Hải"]


def test_ask_unit_lists_communes_sorted_and_says_how_many_more() -> None:
    from bot.config import Settings
    from bot.sites.format import MAX_UNITS_LISTED, format_ask_unit

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    units = ["Chấn Hưng", "Cát Hải"] + [f"Xã {i}" for i in range(MAX_UNITS_LISTED + 1)]
    text = format_ask_unit(settings, [], units)
    # The example line may name a commune too ("điểm khám ở Chấn Hưng"); the order is checked in the list.
    assert text.index("Cát Hải") < text.rindex("Chấn Hưng")
    assert "và 3 xã/phường khác" in text and "Nhắn tên xã/phường" in text and "…" not in text
