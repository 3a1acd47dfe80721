"""Property tests for the message splitter (Telegram UTF-16 units, Zalo characters)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.split import measure, split_text, utf16_len

_alphabet = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệ .,!?;:\n\t") + ["😀", "🩺", "\u0301", "\u0323", "\n\n"]
)
_text = st.lists(_alphabet, max_size=400).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_text, limit=st.integers(min_value=2, max_value=120), units=st.sampled_from(["chars", "utf16"]))
def test_parts_fit_and_keep_every_character(text: str, limit: int, units: str) -> None:
    parts = split_text(text, limit, units=units)  # type: ignore[arg-type]
    assert all(p and p == p.strip() for p in parts)
    assert all(measure(p, units) <= limit for p in parts)  # type: ignore[arg-type]
    assert "".join("".join(parts).split()) == "".join(text.split())


@settings(max_examples=100, deadline=None)
@given(paragraphs=st.lists(st.text(st.sampled_from(list("abc đêô")), min_size=1, max_size=30), min_size=1, max_size=12))
def test_short_paragraphs_are_never_cut_inside(paragraphs: list[str]) -> None:
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    text = "\n\n".join(paragraphs)
    parts = split_text(text, 40)
    rebuilt = [q.strip() for p in parts for q in p.split("\n\n")]
    assert rebuilt == paragraphs


def test_short_text_is_one_part() -> None:
    assert split_text("  Xin chào  ", 4096) == ["Xin chào"]
    assert split_text(" \n ", 10) == []


def test_prefers_paragraph_then_line_then_space() -> None:
    assert split_text("aaaa bbbb\n\ncccc", 12) == ["aaaa bbbb", "cccc"]
    assert split_text("aaaa bbbb\ncccc", 12) == ["aaaa bbbb", "cccc"]
    assert split_text("aaaa bbbb cccc", 12) == ["aaaa bbbb", "cccc"]
    assert split_text("Câu một. Câu hai dài", 12) == ["Câu một.", "Câu hai dài"]


def test_utf16_counts_emoji_twice() -> None:
    assert utf16_len("😀a") == 3
    parts = split_text("😀" * 5, 4, units="utf16")
    assert parts == ["😀😀", "😀😀", "😀"]


def test_hard_cut_keeps_tone_marks_with_their_letter() -> None:
    text = unicodedata.normalize("NFD", "Người") * 3
    parts = split_text(text, 5)
    assert all(not unicodedata.combining(p[0]) for p in parts)


def test_limit_must_be_sane() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 1)
