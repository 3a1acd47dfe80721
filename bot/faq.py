"""The FAQ knowledge base: loading ``messages/faq/*.yaml``, retrieval, abstention, safety.

Public API (used by the dialog feature and by the scam check for rumours):

- :func:`knowledge_base` ``(settings) -> KnowledgeBase`` — loaded once per content folder;
- :meth:`KnowledgeBase.search` ``(text, *, prefix=None) -> list[Hit]`` — best first, scores in [0, 1];
- :meth:`KnowledgeBase.answer` ``(topic, settings) -> str`` — the rendered answer;
- :meth:`KnowledgeBase.classify` ``(text) -> Decision`` — what the bot should do with a question:
  answer a topic, ask which of two topics was meant, give the medical safety reply, or abstain.

A YAML file holds ``topics:`` (id, title, related, samples, answer) and, optionally,
``negatives:`` — near-miss questions Loa must NOT answer ("khám xe máy ở đâu"); they are
indexed as a reject class so a near miss does not borrow a real topic's answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from bot import templating
from bot.config import Settings
from bot.errors import DataFileError
from bot.faq_index import Document, LexicalIndex, TopicScore, asking_sentence, split_sentences
from bot.faq_personal import mask_numbers
from bot.faq_safety import medical_reason
from bot.text import fold, nfc, normalize

MEDICAL_TOPIC = "safety.medical"
REJECT_TOPIC = "_out_of_scope"

# Calibrated on tests/data/faq_dev.jsonl (see docs/faq.md): below ABSTAIN_BELOW the best
# topic is not trusted; when the runner-up is within CLOSE_MARGIN the resident chooses.
ABSTAIN_BELOW = 0.45
CLOSE_MARGIN = 0.03
SAMPLE_MIN = 0.30
# The best topic must know at least this share of the question's subject words (not
# fillers, not question words): "mấy giờ rồi" shares only "mấy giờ" with "mấy giờ bắt đầu khám".
# Short questions must be mostly known ("tải ứng dụng momo" is not "tải ứng dụng VNeID");
# long ones naturally carry words about the asker's situation.
SUBJECT_MIN = 0.20
SUBJECT_MIN_SHORT = 0.70
SHORT_SUBJECT_WORDS = 7
# The medical reply by similarity alone (no rule matched) needs a closer match.
MEDICAL_SIMILAR_AT = 0.6

Kind = Literal["answer", "choose", "medical", "abstain"]


@dataclass(frozen=True)
class Topic:
    """One FAQ topic as written in the YAML."""

    id: str
    title: str
    samples: tuple[str, ...]
    answer: str  # Jinja2 template
    related: tuple[str, ...] = ()
    source: str = ""  # file name, for error messages


@dataclass(frozen=True)
class Hit:
    """A topic and how well the question matched it (0..1)."""

    topic: str
    score: float


@dataclass(frozen=True)
class Decision:
    """What to do with one question."""

    kind: Kind
    topic: str | None  # the answered topic, MEDICAL_TOPIC, or None (abstain)
    score: float
    hits: tuple[Hit, ...] = field(default=())  # real topics, best first (for choices)
    reason: str | None = None  # matched medical phrase, for tests and logs (never stored)


class KnowledgeBase:
    """Topics, the lexical index over their samples, and answer rendering."""

    def __init__(self, topics: list[Topic], negatives: list[str] | None = None) -> None:
        self.topics: dict[str, Topic] = {t.id: t for t in topics}
        self.negatives: tuple[str, ...] = tuple(negatives or ())
        docs: list[Document] = []
        for topic in topics:
            docs.append(Document(topic.id, topic.title))
            docs.extend(Document(topic.id, s) for s in topic.samples)
        docs.extend(Document(REJECT_TOPIC, s) for s in self.negatives)
        themes: dict[str, list[str]] = {}
        for topic in topics:
            themes.setdefault(topic.id.split(".")[0], []).append(topic.answer)
        # The reject class keeps its vocabulary score: measured on the dev set, scoring it by
        # its best sample alone lets more near misses through.
        self.index = LexicalIndex(docs, theme_texts=themes)
        self._rendered: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}

    # --- retrieval -------------------------------------------------------------------------
    def _ranked(self, text: str, prefix: str | None = None) -> list[Hit]:
        return [Hit(t.topic, round(t.score, 4)) for t in self.index.rank(text, prefix=prefix)]

    def search(self, text: str, *, prefix: str | None = None, limit: int = 5) -> list[Hit]:
        """Topics matching ``text``, best first (the reject class is never returned)."""
        return [h for h in self._ranked(text, prefix) if h.topic != REJECT_TOPIC][:limit]

    def classify(self, text: str) -> Decision:
        """Decide how to handle one resident question (see :class:`Decision`)."""
        # A phone or ID number is not a measured value ("huyết áp ..., sđt 0912...").
        reason = medical_reason(mask_numbers(text))
        scored = self.index.rank(text)
        ranked = [Hit(t.topic, round(t.score, 4)) for t in scored]
        real = tuple(h for h in ranked if h.topic not in (REJECT_TOPIC, MEDICAL_TOPIC))[:5]
        if reason is not None:
            return Decision("medical", MEDICAL_TOPIC, 1.0, real, reason)
        decision = self._decide(scored)
        if decision.kind in ("answer", "choose"):
            return self._two_questions(text, decision) or decision
        if not real or ranked[0].topic != real[0].topic:
            return decision
        # A long message with context before the question scores low as a whole ("Hôm trước
        # tổ trưởng đến nhà... Giờ em muốn đăng ký thì làm sao ạ?"). The asking sentence alone
        # decides, but only for the topic the whole message ranks first: a question sentence
        # that means something else in its context ("Xe em hỏng. Sửa ở đâu?") still abstains.
        asking = asking_sentence(text)
        if asking is None:
            return decision
        alone = self._decide(self.index.rank(asking))
        if alone.kind in ("answer", "choose") and alone.topic == real[0].topic:
            return alone
        return decision

    def _two_questions(self, text: str, decision: Decision) -> Decision | None:
        """Two questions in one message ("khám ở đâu ạ? với lại mấy giờ khám ạ"): a choice
        between their topics, in the order asked, when the message's own answer is one of them."""
        sentences = split_sentences(text)
        if len(sentences) < 2:
            return None
        asked: list[Hit] = []
        for sentence in sentences:
            if not _is_question(sentence):
                continue  # context ("Em cài VNeID rồi.") is not a second question
            alone = self._decide(self.index.rank(sentence))
            if alone.kind == "answer" and alone.topic not in {h.topic for h in asked}:
                asked.append(Hit(str(alone.topic), alone.score))
        if len(asked) < 2 or decision.topic not in {h.topic for h in asked}:
            return None
        return Decision("choose", asked[0].topic, asked[0].score, tuple(asked[:2]))

    def _decide(self, scored: list[TopicScore]) -> Decision:
        """The decision for ranked topics (no medical rule matched)."""
        ranked = [Hit(t.topic, round(t.score, 4)) for t in scored]
        real = tuple(h for h in ranked if h.topic not in (REJECT_TOPIC, MEDICAL_TOPIC))[:5]
        if not ranked:
            return Decision("abstain", None, 0.0, real)
        top = ranked[0]
        if top.topic == MEDICAL_TOPIC and top.score >= MEDICAL_SIMILAR_AT:
            return Decision("medical", MEDICAL_TOPIC, top.score, real, "similar to medical samples")
        if top.topic in (REJECT_TOPIC, MEDICAL_TOPIC):
            return Decision("abstain", None, 0.0 if top.topic == REJECT_TOPIC else top.score, real)
        # Both the topic as a whole and at least one of its samples must match well, and the
        # topic must know the question's subject words: a question stitched from common words
        # of many samples is not a real match. Among topics tied with the best, the first
        # that passes wins ("kho ứng dụng" ties scam.links and vneid.install).
        floor = top.score - CLOSE_MARGIN
        eligible = [
            t
            for t in scored
            if t.score >= floor
            and t.topic not in (REJECT_TOPIC, MEDICAL_TOPIC)
            and t.score >= ABSTAIN_BELOW
            and t.best_sample >= SAMPLE_MIN
            and t.content >= (SUBJECT_MIN_SHORT if t.subject_words <= SHORT_SUBJECT_WORDS else SUBJECT_MIN)
        ]
        if not eligible:
            return Decision("abstain", None, top.score, real)
        chosen = Hit(eligible[0].topic, round(eligible[0].score, 4))
        if len(eligible) > 1:  # the resident picks between the close, credible topics
            close = tuple(Hit(t.topic, round(t.score, 4)) for t in eligible)
            return Decision("choose", chosen.topic, chosen.score, close)
        hits = (chosen, *[h for h in real if h.topic != chosen.topic])[:5]
        return Decision("answer", chosen.topic, chosen.score, hits)

    # --- answers ---------------------------------------------------------------------------
    def title(self, topic: str) -> str:
        """The short title of a topic (used in choices and suggestions)."""
        return self.topics[topic].title

    def answer(self, topic: str, settings: Settings) -> str:
        """The answer of ``topic`` rendered with the local values from ``settings``."""
        if topic not in self.topics:
            raise DataFileError(f"unknown FAQ topic: {topic}")
        values = template_values(settings)
        key = (topic, tuple(sorted(values.items())))
        cached = self._rendered.get(key)
        if cached is None:
            cached = self.render(self.topics[topic].answer, values)
            self._rendered[key] = cached
        return cached

    def render(self, template: str, values: dict[str, str]) -> str:
        """Render one answer in the officer-text sandbox (only the FAQ variables); template
        errors become a DataFileError."""
        try:
            templating.check(template, templating.FAQ_VARIABLES)
            return templating.render(template, values)
        except templating.TemplateRefused as exc:
            raise DataFileError(f"FAQ template error: {exc}") from exc


_QUESTION = re.compile(
    r"(?<![a-z])(dau|nao|gi|j|sao|khong|chua|bao gio|bao lau|bao nhieu|may|the nao|ntn|co phai|duoc khong)(?![a-z])"
)


def _is_question(sentence: str) -> bool:
    """True when a sentence asks something (ends with "?" or has a question word)."""
    return sentence.rstrip().endswith("?") or _QUESTION.search(fold(normalize(sentence))) is not None


def template_values(settings: Settings) -> dict[str, str]:
    """The local values answers may use: ``{{ province }}``, ``{{ health_hotline }}``, ..."""
    return templating.settings_values(settings, templating.FAQ_VARIABLES)


def abstain_text(settings: Settings) -> str:
    """What Loa says when it does not know (the dialog adds the menu)."""
    return (
        "Xin lỗi, Loa chưa có câu trả lời cho câu hỏi này.\n"
        f"Bạn có thể hỏi {settings.local_contact} hoặc gọi đường dây nóng {settings.health_hotline}."
    )


# --- loading -----------------------------------------------------------------------------
def faq_dir(content_dir: Path) -> Path:
    """The folder holding the FAQ YAML files."""
    return Path(content_dir) / "messages" / "faq"


def _as_list(value: object, what: str, source: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{source}: {what} must be a list of strings")
    return [nfc(v).strip() for v in value if v.strip()]


def load_topics(folder: Path) -> tuple[list[Topic], list[str]]:
    """Read every ``*.yaml`` of ``folder``: (topics in file order, negative samples)."""
    if not folder.is_dir():
        raise DataFileError(f"FAQ folder not found: {folder}")
    topics: list[Topic] = []
    negatives: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise DataFileError(f"{path.name}: expected a mapping with 'topics:'")
        negatives.extend(_as_list(data.get("negatives"), "negatives", path.name))
        for i, raw in enumerate(data.get("topics") or []):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                raise DataFileError(f"{path.name}: topic #{i + 1} needs an 'id'")
            tid = raw["id"].strip()
            answer = raw.get("answer")
            if not isinstance(answer, str) or not answer.strip():
                raise DataFileError(f"{path.name}: topic {tid} needs an 'answer'")
            title = raw.get("title")
            if not isinstance(title, str) or not title.strip():
                raise DataFileError(f"{path.name}: topic {tid} needs a 'title'")
            topics.append(
                Topic(
                    id=tid,
                    title=nfc(title).strip(),
                    samples=tuple(_as_list(raw.get("samples"), f"{tid}: samples", path.name)),
                    answer=nfc(answer),
                    related=tuple(_as_list(raw.get("related"), f"{tid}: related", path.name)),
                    source=path.name,
                )
            )
    ids = [t.id for t in topics]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise DataFileError(f"duplicate FAQ topic ids: {', '.join(dupes)}")
    return topics, negatives


@lru_cache(maxsize=8)
def _load_cached(folder: str) -> KnowledgeBase:
    topics, negatives = load_topics(Path(folder))
    return KnowledgeBase(topics, negatives)


def knowledge_base(settings: Settings) -> KnowledgeBase:
    """The knowledge base of ``settings.content_dir`` (loaded once per folder and process)."""
    return _load_cached(str(faq_dir(settings.content_dir).resolve()))


def reload_knowledge_base() -> None:
    """Forget loaded knowledge bases (after editing the YAML in a running process)."""
    _load_cached.cache_clear()
