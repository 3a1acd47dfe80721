"""The FAQ: knowledge base (``messages/faq``), trained classifier, medical safety rule,
long-message handling, register of address, evaluation and its CLI (``loa faq``).

Public API (used by the FAQ feature, the scam check's rumour rebuttals and reports):

- :func:`knowledge_base` ``(settings) -> KnowledgeBase`` — loaded once per content folder;
- :meth:`KnowledgeBase.classify` ``(text) -> Decision`` — answer topic(s), choose between
  two, the medical reply, or abstain;
- :meth:`KnowledgeBase.search` ``(text, *, prefix=None) -> list[Hit]`` — topics by probability;
- :meth:`KnowledgeBase.answer` ``(topic, settings) -> str`` — the rendered answer.
"""

from bot.faq.decide import Decision, Hit
from bot.faq.kb import (
    MEDICAL_TOPIC,
    REJECT_TOPIC,
    KnowledgeBase,
    Topic,
    abstain_text,
    faq_dir,
    knowledge_base,
    load_samples,
    load_topics,
    medical_line,
    template_values,
)

__all__ = [
    "MEDICAL_TOPIC",
    "REJECT_TOPIC",
    "Decision",
    "Hit",
    "KnowledgeBase",
    "Topic",
    "abstain_text",
    "faq_dir",
    "knowledge_base",
    "load_samples",
    "load_topics",
    "medical_line",
    "template_values",
]
