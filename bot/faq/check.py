"""``loa faq check``: validate the knowledge base before it reaches residents."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.errors import DataFileError
from bot.faq import MEDICAL_TOPIC, KnowledgeBase, faq_dir, load_samples, load_topics, template_values
from bot.faq.kb import model_cache_dir
from bot.text import fold, normalize

#: Every topic id of shared/spec/faq-topics.md, plus the medical safety topic.
REQUIRED_TOPICS: tuple[str, ...] = (
    "screening.about", "screening.eligibility", "screening.cost", "screening.where", "screening.when",
    "screening.bring", "screening.content", "screening.results", "screening.register", "screening.students",
    "screening.workers", "screening.mobile", "screening.no_bhyt",
    "vneid.install", "vneid.level2", "vneid.activate", "vneid.password", "vneid.new_phone", "vneid.children", "vneid.lost_phone", "vneid.locked",
    "health_book.about", "health_book.integrate", "health_book.bhyt", "health_book.wrong_info",
    "health_book.social_security",
    "scam.calls", "scam.links", "scam.report", "scam.victim",
    "rumour.fee", "rumour.data_sale", "rumour.update_after_merger", "rumour.mandatory_fine",
    "privacy.data", "bot.help", "bot.subscribe", "bot.human", "bot.other_province",
    MEDICAL_TOPIC,
)
MIN_SAMPLES = 8
MAX_ANSWER_CHARS = 2000  # Zalo's message limit
#: Non-government hosts answers may name (the national anti-scam portal of NCSC).
ALLOWED_HOSTS = ("tinnhiemmang.vn",)

_HOST = re.compile(r"(?<![\w@.-])(?:https?://)?((?:[a-z0-9-]+\.)+(?:vn|com|net|org|info|io|app|xyz|top))\b", re.I)


@dataclass
class CheckReport:
    """Problems (the KB must not ship) and warnings (worth a look)."""

    topics: int = 0
    samples: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is no problem."""
        return not self.problems


def _allowed_host(host: str, extra: tuple[str, ...]) -> bool:
    host = host.lower()
    if host.endswith(".gov.vn"):
        return True
    return any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS + extra)


def check_knowledge_base(settings: Settings, folder: Path | None = None) -> CheckReport:
    """Validate the FAQ folder (default: the configured one) and return a report."""
    folder = folder or faq_dir(settings.content_dir)
    report = CheckReport()
    try:
        topics, negatives = load_topics(folder)
        extra = load_samples(folder, {t.id for t in topics})
    except DataFileError as exc:
        report.problems.append(str(exc))
        return report
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("samples/*.yaml")]):
        raw = path.read_text(encoding="utf-8")
        if unicodedata.normalize("NFC", raw) != raw:
            report.problems.append(f"{path.relative_to(folder)}: text is not in Unicode NFC (re-save it normalised)")
    kb = KnowledgeBase(topics, negatives, extra, cache_dir=model_cache_dir(settings))
    report.topics = len(topics)
    ids = set(kb.topics)
    for missing in (t for t in REQUIRED_TOPICS if t not in ids):
        report.problems.append(f"missing required topic {missing}")
    domains = tuple(d.strip().lower() for d in settings.official_domains.split(",") if d.strip())
    values = template_values(settings)
    seen: dict[str, str] = {}
    for topic in topics:
        samples = kb.samples[topic.id]
        report.samples += len(samples)
        if len(samples) < MIN_SAMPLES:
            report.problems.append(f"{topic.id}: {len(samples)} samples, at least {MIN_SAMPLES} needed")
        for related in topic.related:
            if related not in ids:
                report.problems.append(f"{topic.id}: related topic {related} does not exist")
        for sample in samples:
            key = fold(normalize(sample))
            if key in seen and seen[key] != topic.id:
                report.problems.append(f"sample {sample!r} is in both {seen[key]} and {topic.id}")
            seen.setdefault(key, topic.id)
        try:
            text = kb.render(topic.answer, values)
        except DataFileError as exc:
            report.problems.append(f"{topic.id}: {exc}")
            continue
        if len(text) > MAX_ANSWER_CHARS:
            report.problems.append(f"{topic.id}: answer has {len(text)} characters (max {MAX_ANSWER_CHARS})")
        for m in _HOST.finditer(text):
            if not _allowed_host(m.group(1), domains):
                report.problems.append(f"{topic.id}: link to non-official domain {m.group(1)}")
        # Self-consistency: every sample should get its own topic back (warn, not fail).
        for sample in samples:
            decision = kb.classify(sample)
            if decision.topic != topic.id and topic.id not in decision.topics:
                report.warnings.append(f"{topic.id}: sample {sample!r} → {decision.topic} ({decision.score:.2f})")
    for neg in kb.out_of_scope:
        key = fold(normalize(neg))
        if key in seen:
            report.problems.append(f"out-of-scope example {neg!r} is also a sample of {seen[key]}")
    return report
