"""Redaction of residents' identifiers (issue 12, finding 8), as property tests.

Phone numbers, CCCD/CMND, BHYT cards, BHXH codes and bank account numbers are generated in
the shapes residents type (spaces, dots, dashes, +84 / 84 / 0, brackets, letters glued on)
inside Vietnamese sentences. Whatever the shape, no run of 6 digits of the identifier may
survive in the redacted text, in ``faq_unanswered``, on the admin page or in a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.reports.model import build_report
from bot.reports.output import render
from bot.reports.periods import parse_quarter
from bot.store import Store
from bot.store.faq import list_unanswered, record_unanswered
from bot.text import redact
from tests.conftest import FIXED_NOW
from tests.test_admin import Admin, open_admin

SEPARATORS = ["", "", " ", ".", "-", " - ", "\u00a0", "  ", " . "]
BEFORE = [
    "số điện thoại của tôi là",
    "sđt",
    "gọi giúp mình",
    "cccd của mẹ em",
    "số căn cước",
    "thẻ bhyt",
    "mã số bhxh",
    "stk",
    "số tài khoản",
    "chuyển vào tk vietcombank",
    "ngân hàng BIDV",
    "em tên Lan",
    "",
]
AFTER = ["", "có được khám miễn phí không", "ạ", "?", "nhé", "k", "được không", "giúp em với", "vậy"]
BANKS = ["", "vietcombank", "techcombank", "agribank", "mb"]


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


@st.composite
def grouped(draw: st.DrawFn, digits: str) -> str:
    """``digits`` split into random groups joined by the separators residents use."""
    out, i = [], 0
    while i < len(digits):
        size = draw(st.integers(min_value=1, max_value=5))
        out.append(digits[i : i + size])
        i += size
    sep = draw(st.sampled_from(SEPARATORS))
    mixed = draw(st.booleans())
    text = out[0]
    for group in out[1:]:
        text += (draw(st.sampled_from(SEPARATORS)) if mixed else sep) + group
    return text


def digit_string(n: int, first: str = "0123456789") -> st.SearchStrategy[str]:
    return st.tuples(
        st.sampled_from(first), st.text(alphabet="0123456789", min_size=n - 1, max_size=n - 1)
    ).map("".join)


@st.composite
def phone(draw: st.DrawFn) -> tuple[str, str]:
    subscriber = draw(digit_string(9, "35789"))
    prefix = draw(st.sampled_from(["0", "+84", "84", "+84 ", "(+84) ", "(+84)", "84 ", "+84-", "0084 "]))
    body = draw(st.one_of(grouped(subscriber), st.sampled_from([subscriber])))
    if draw(st.booleans()):  # the usual 4-3-3 / 3-3-3 shapes too
        sep = draw(st.sampled_from([" ", ".", "-"]))
        body = sep.join([subscriber[:3], subscriber[3:6], subscriber[6:]])
    return prefix + body, digits_of(prefix) + subscriber


@st.composite
def landline(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(digit_string(10, "2"))
    prefix = draw(st.sampled_from(["0", "+84 ", "84"]))
    return prefix + draw(grouped(number)), digits_of(prefix) + number


@st.composite
def cccd(draw: st.DrawFn) -> tuple[str, str]:
    number = "0" + draw(digit_string(11))
    sep = draw(st.sampled_from([" ", ".", "-", "", " . "]))
    text = draw(st.one_of(st.just(sep.join(number[i : i + 3] for i in range(0, 12, 3))), grouped(number)))
    return text, number


@st.composite
def cmnd(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(digit_string(9, "123456789"))
    return draw(grouped(number)), number


@st.composite
def bhyt(draw: st.DrawFn) -> tuple[str, str]:
    letters = draw(st.sampled_from(["GD", "DN", "HT", "CH", "TE", "gd", "Hn", "BT"]))
    number = draw(digit_string(13, "123456789"))
    if draw(st.booleans()):
        # As printed on the card: GD 4 79 79 321 45678
        text = " ".join([letters, number[0], number[1:3], number[3:5], number[5:8], number[8:]])
    else:
        text = letters + draw(st.sampled_from(["", " ", "-"])) + draw(grouped(number))
    return text, number


@st.composite
def bhxh(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(digit_string(10))
    return draw(grouped(number)), number


@st.composite
def bank(draw: st.DrawFn) -> tuple[str, str]:
    n = draw(st.integers(min_value=8, max_value=19))
    number = draw(digit_string(n))
    fours = " ".join(number[i : i + 4] for i in range(0, n, 4))
    text = fours if draw(st.booleans()) else draw(grouped(number))
    return text + (" " + draw(st.sampled_from(BANKS)) if draw(st.booleans()) else ""), number


IDENTIFIERS = st.one_of(phone(), landline(), cccd(), cmnd(), bhyt(), bhxh(), bank())


@st.composite
def sentence(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A resident's message holding 1-3 identifiers; returns (text, their digit strings)."""
    parts, secrets = [], []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        text, digits = draw(IDENTIFIERS)
        before = draw(st.sampled_from(BEFORE))
        glue = draw(st.sampled_from([" ", ": ", " là ", ":"])) if before else ""
        parts.append(f"{before}{glue}{text} {draw(st.sampled_from(AFTER))}".strip())
        secrets.append(digits)
    return draw(st.sampled_from([", ", ". ", " và ", "\n"])).join(parts), secrets


def leaked(output: str, secrets: list[str], window: int = 6) -> list[str]:
    """Runs of ``window`` digits of any identifier still present in ``output``'s digits."""
    kept = digits_of(output)
    return [s[i : i + window] for s in secrets for i in range(len(s) - window + 1) if s[i : i + window] in kept]


@settings(max_examples=600, deadline=None)
@given(sentence())
def test_no_six_digits_of_any_identifier_survive(case: tuple[str, list[str]]) -> None:
    text, secrets = case
    out = redact(text)
    assert not leaked(out, secrets), (text, out)
    assert redact(out) == out  # stable: redacting twice changes nothing


@pytest.mark.parametrize(
    ("raw", "secret", "label"),
    [
        ("thẻ BHYT GD4797932145678 còn hạn không", "4797932145678", "[số thẻ BHYT]"),
        ("thẻ GD 4 79 79 321 45678", "4797932145678", "[số thẻ BHYT]"),
        ("mã bhxh 7932145678", "7932145678", "[mã BHXH]"),
        ("cccd 079 123 456 791 nhé", "079123456791", "[số giấy tờ]"),
        ("cccd 079.123.456.791", "079123456791", "[số giấy tờ]"),
        ("cccd 079-123-456-791", "079123456791", "[số giấy tờ]"),
        ("stk 0071000312345 vietcombank", "0071000312345", "[số tài khoản]"),
        ("chuyển khoản 1903 5678 9012 34 techcombank", "19035678901234", "[số tài khoản]"),
        ("gọi (+84) 912-345-678", "84912345678", "[sđt]"),
    ],
)
def test_each_kind_gets_its_label(raw: str, secret: str, label: str) -> None:
    out = redact(raw)
    assert label in out and not leaked(out, [secret]), out


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    yield from open_admin(settings)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sentence())
def test_identifiers_never_reach_the_unanswered_table(store: Store, case: tuple[str, list[str]]) -> None:
    text, secrets = case
    record_unanswered(store, text, at=FIXED_NOW)
    for (question,) in store.conn.execute("SELECT question || ' ' || normalized FROM faq_unanswered"):
        assert not leaked(question, secrets), question


def test_identifiers_never_reach_the_admin_page_or_the_report(admin: Admin) -> None:
    from tests.test_admin_pages import as_

    readable = "khám từ 01.12.2026 đến 20-12-2026, năm 2026, lệ phí 500.000 đồng hay 2,000,000đ, lúc 7.30"
    assert redact(readable) == readable  # dates, years and amounts stay for the editors
    raw = (
        "thẻ GD4797932145678, cccd 079 123 456 791, bhxh 7932145678, stk 1903 5678 9012 34, "
        "gọi +84 912.345.678 giúp em, " + readable
    )
    secrets = ["4797932145678", "079123456791", "7932145678", "19035678901234", "84912345678"]
    # A row as an older, weaker redaction stored it: the page and the report redact on output too.
    admin.store.conn.execute(
        "INSERT INTO faq_unanswered (question, normalized, count, best_topic, best_score, first_at, last_at)"
        " VALUES (?, ?, 3, '', 0, ?, ?)",
        (raw, raw, "2026-11-20T03:00:00", "2026-11-20T03:00:00"),
    )
    record_unanswered(admin.store, raw + " ạ", at=FIXED_NOW)
    assert all(not leaked(r["question"], secrets) for r in list_unanswered(admin.store))
    admin.add("lan", "editor")
    as_(admin, "lan")
    page = admin.client.get("/admin/unanswered")
    assert page.status_code == 200 and "[số thẻ BHYT]" in page.text and "500.000 đồng" in page.text
    assert not leaked(page.text, secrets)
    report = build_report(admin.store, admin.settings, parse_quarter("2026-Q4"), now=datetime(2027, 1, 2))
    markdown = render(report, "md").decode("utf-8")
    assert "[số thẻ BHYT]" in markdown and not leaked(markdown, secrets)
