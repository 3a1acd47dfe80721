"""The FAQ: knowledge base (``messages/faq``), trained classifier, medical safety rule,
long-message handling, register of address, evaluation and its CLI (``loa faq``).

Public API (used by the FAQ feature, the scam check's rumour rebuttals and reports):

- :func:`knowledge_base` ``(settings) -> KnowledgeBase`` — loaded once per content folder;
- :meth:`KnowledgeBase.classify` ``(text) -> Decision`` — answer topic(s), choose between
  two, the medical reply, or abstain;
- :meth:`KnowledgeBase.search` ``(text, *, prefix=None) -> list[Hit]`` — topics by probability;
- :meth:`KnowledgeBase.answer` ``(topic, settings) -> str`` — the rendered answer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# The classifier pulls in scikit-learn and SciPy (~1.2 s). Every ``loa`` command imports
# this package for its CLI group, so the public names load on first use (PEP 562) and
# ``loa db migrate`` or ``loa --help`` do not pay for a model they never touch.
_HOME = {"Decision": "bot.faq.decide", "Hit": "bot.faq.decide"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'bot.faq' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME.get(name, "bot.faq.kb")), name)
    globals()[name] = value
    return value


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
