"""FAQ: knowledge base loading, retrieval, abstention, medical safety, dialog integration."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.conversation import Incoming
from bot.dialog import Dialog
from bot.errors import DataFileError
from bot.faq import MEDICAL_TOPIC, KnowledgeBase, knowledge_base, load_topics
from bot.faq.check import REQUIRED_TOPICS, check_knowledge_base
from bot.store import Store
from bot.store.events import recent_events
from bot.store.faq import list_unanswered
from tests.conftest import FIXED_NOW


def _msg(text: str, **kw: object) -> Incoming:
    base: dict[str, object] = {"channel": "telegram", "chat_id": "42", "user_id": "7", "text": text}
    base.update(kw)
    return Incoming(**base)  # type: ignore[arg-type]


@pytest.fixture
def kb(settings: Settings) -> KnowledgeBase:
    return knowledge_base(settings)


def test_kb_has_every_required_topic_and_passes_check(settings: Settings, kb: KnowledgeBase) -> None:
    for topic in REQUIRED_TOPICS:
        assert topic in kb.topics
    report = check_knowledge_base(settings)
    assert report.ok, report.problems
    assert report.samples >= 8 * len(REQUIRED_TOPICS)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("kham suc khoe mien phi o dau", "screening.where"),
        ("cài vneid ntn", "vneid.install"),
        ("mẹ em 70t có đc khám ko", "screening.eligibility"),
        ("sổ sức khỏe điện tử tích hợp thế nào", "health_book.integrate"),
    ],
)
def test_issue_examples(kb: KnowledgeBase, question: str, topic: str) -> None:
    assert kb.classify(question).topic == topic


@pytest.mark.parametrize(
    "question", ["thời tiết hôm nay thế nào", "giá vàng hôm nay bao nhiêu", "khám xe máy ở đâu", "đổi CCCD ở đâu"]
)
def test_out_of_scope_abstains(kb: KnowledgeBase, question: str) -> None:
    decision = kb.classify(question)
    assert decision.topic is None and decision.kind == "abstain"


@pytest.mark.parametrize("question", ["tôi bị đau ngực uống thuốc gì", "huyết áp 160 có sao không"])
def test_medical_questions_get_safety(kb: KnowledgeBase, settings: Settings, question: str) -> None:
    decision = kb.classify(question)
    assert decision.topic == MEDICAL_TOPIC
    answer = kb.answer(MEDICAL_TOPIC, settings)
    assert settings.emergency_number in answer and "bác sĩ" in answer


def test_search_prefix_and_scores_in_range(kb: KnowledgeBase) -> None:
    hits = kb.search("khám miễn phí mà phải nộp phí đăng ký", prefix="rumour.")
    assert hits and hits[0].topic == "rumour.fee"
    assert all(h.topic.startswith("rumour.") and 0.0 <= h.score <= 1.0 for h in hits)
    assert kb.search("") == []


def test_answers_use_configured_values(tmp_path: Path) -> None:
    s = Settings(db=tmp_path / "x.db", province="Lạng Sơn", vneid_hotline="1900 1234", _env_file=None)  # type: ignore[call-arg]
    kb = knowledge_base(s)
    assert "1900 1234" in kb.answer("vneid.install", s)
    assert "Lạng Sơn" in kb.answer("bot.help", s)
    with pytest.raises(DataFileError):
        kb.answer("no.such.topic", s)


def test_dialog_answers_and_logs(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_msg("cài vneid ntn"))
    assert "App Store" in reply.text and "Bạn cũng có thể hỏi" in reply.text
    assert reply.choices
    events = recent_events(store, type="faq_answered")
    assert events and events[0]["topic"] == "vneid.install"
    (reply,) = dialog.handle(_msg("1"))  # pick the first related topic
    assert recent_events(store, type="faq_answered")[0]["topic"] != "vneid.install"


def test_dialog_abstains_and_stores_redacted_question(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_msg("giá vàng hôm nay thế nào, gọi tôi 0912345678"))
    assert "chưa có câu trả lời" in reply.text and reply.kind == "menu"
    dialog.handle(_msg("giá vàng hôm nay thế nào, gọi tôi 0912 345 679"))
    rows = list_unanswered(store)
    assert len(rows) == 1 and rows[0]["count"] == 2
    assert "0912" not in rows[0]["question"] and "[sđt]" in rows[0]["question"]
    assert recent_events(store, type="faq_abstained")


def test_dialog_medical_reply_logs_event(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_msg("tôi bị đau ngực uống thuốc gì"))
    assert "115" in reply.text
    assert recent_events(store, type="faq_medical")


def test_loader_rejects_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("topics:\n  - id: x\n    title: X\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="answer"):
        load_topics(tmp_path)
    (tmp_path / "a.yaml").write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="YAML"):
        load_topics(tmp_path)
    with pytest.raises(DataFileError, match="not found"):
        load_topics(tmp_path / "missing")


@pytest.fixture
def faq_dialog(store: Store, settings: Settings) -> Dialog:
    """A dialog with only the FAQ feature (other features' handlers run before it)."""
    from bot.features import build_dialog
    from bot.features.faq import Faq
    from bot.features.subscriptions import Subscriptions

    return build_dialog(store, settings, features=[Subscriptions(), Faq()], clock=lambda: FIXED_NOW)


def test_close_call_offers_two_numbered_choices(faq_dialog: Dialog, store: Store, kb: KnowledgeBase) -> None:
    import json

    dialog = faq_dialog
    data = Path(__file__).parent / "data"
    lines = [line for path in sorted(data.glob("faq_dev*.jsonl")) for line in path.read_text(encoding="utf-8").splitlines()]
    close = [q for q in (json.loads(line)["q"] for line in lines) if kb.classify(q).kind == "choose"]
    assert close, "the dev set should contain at least one close call"
    question = close[0]
    decision = kb.classify(question)
    (reply,) = dialog.handle(_msg(question))
    assert reply.kind == "choice" and len(reply.choices) == 2
    assert "1. " in reply.text and "2. " in reply.text
    second = decision.hits[1].topic
    dialog.handle(_msg("2"))
    assert recent_events(store, type="faq_answered")[0]["topic"] == second


def test_hoi_command_topic_and_free_text(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_msg("/hoi screening.cost"))
    assert "MIỄN PHÍ" in reply.text
    (reply,) = dialog.handle(_msg("/hoi quên mật khẩu vneid"))
    assert "Quên mật khẩu" in reply.text
    (reply,) = dialog.handle(_msg("/hoi"))
    assert "/hoi" in reply.text


def test_group_answer_has_no_suggestions_and_thanks_is_polite(dialog: Dialog, store: Store) -> None:
    group = {"chat_id": "-9", "chat_kind": "group", "message_id": "5"}
    (reply,) = dialog.handle(_msg("cài vneid ntn", **group))
    assert "Bạn cũng có thể hỏi" not in reply.text and not reply.choices
    (reply,) = dialog.handle(_msg("cảm ơn nhé"))
    assert "Rất vui" in reply.text
    assert list_unanswered(store) == []


def test_unanswered_store_counts_and_purges(store: Store) -> None:
    from datetime import UTC, datetime

    from bot.store.faq import purge_unanswered, record_unanswered

    old = datetime(2025, 1, 1, tzinfo=UTC)
    new = datetime(2026, 11, 1, tzinfo=UTC)
    text = record_unanswered(store, "Mã OTP 483920 là gì", at=old, best_topic="scam.calls", best_score=0.2)
    assert "483920" not in text and "[mã số]" in text
    record_unanswered(store, "mã otp 483921 là gì?", at=new)  # same after redaction and folding
    record_unanswered(store, "xem bói", at=old)
    rows = list_unanswered(store)
    assert rows[0]["count"] == 2 and rows[0]["last_at"].startswith("2026-11-01")
    assert purge_unanswered(store, before=datetime(2026, 1, 1, tzinfo=UTC)) == 1
    assert [r["question"] for r in list_unanswered(store)] == [text]


def test_classify_never_raises_and_scores_stay_in_range(kb: KnowledgeBase) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=300))
    def check(text: str) -> None:
        decision = kb.classify(text)
        assert 0.0 <= decision.score <= 1.0
        assert decision.topic is None or decision.topic in kb.topics
        assert all(0.0 <= h.score <= 1.0 for h in kb.search(text))

    check()
    long_text = "khám sức khỏe miễn phí ở đâu " * 500  # a 15,000-character message
    assert kb.classify(long_text).topic == "screening.where"
