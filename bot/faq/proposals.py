"""Samples proposed from the admin ("Thêm làm câu mẫu"), written out for an editor's review.

Proposals never change the running classifier: a question an officer files under a topic
is only text in the database until an editor exports it (``loa faq samples export``),
reads it, moves it into ``messages/faq/samples/<file>.yaml``, runs ``loa faq check`` and
commits. The model retrains by itself on the next start, because its cache key covers the
training texts. Retraining from a web click would let one mistaken click change every
resident's answers with no review, and fitting takes seconds of CPU on the serving process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.faq.kb import OUT_OF_SCOPE_KEY, load_samples, load_topics
from bot.faq.model import REJECT_TOPIC
from bot.text import fold, normalize


@dataclass
class Export:
    """The YAML to review and what was left out of it (and why)."""

    text: str
    exported_ids: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # English lines for the editor


def _key(text: str) -> str:
    return fold(normalize(text))


def sample_file_of(folder: Path) -> dict[str, str]:
    """Topic id → the ``samples/*.yaml`` file that lists the most samples for it (the topic's
    main file, not one of the smaller files a data author added; the first file on a tie)."""
    counts: dict[str, dict[str, int]] = {}
    for path in sorted((folder / "samples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        samples = data.get("samples") if isinstance(data, dict) else None
        for key, values in (samples or {}).items():
            topic = REJECT_TOPIC if key == OUT_OF_SCOPE_KEY else str(key)
            per_file = counts.setdefault(topic, {})
            per_file[path.name] = per_file.get(path.name, 0) + (len(values) if isinstance(values, list) else 0)
    return {topic: max(per_file, key=lambda name: per_file[name]) for topic, per_file in counts.items()}


def target_file(topic: str, files: dict[str, str]) -> str:
    """Where a topic's new samples belong: the file holding it, else one holding its family
    (``screening.*``), else a new ``<family>.yaml``."""
    if topic in files:
        return files[topic]
    family = topic.split(".", 1)[0]
    for tid, name in files.items():
        if tid.split(".", 1)[0] == family:
            return name
    return f"{family}.yaml"


def export_proposals(pending: list[dict[str, Any]], folder: Path) -> Export:
    """YAML in the format of ``messages/faq/samples/*.yaml`` for the ``pending`` proposals.

    Topics are grouped under the file they belong to (as comments, so the whole output
    stays one valid ``samples:`` mapping). A proposal whose topic no longer exists, or whose
    text (folded) is already a sample or title, is skipped and reported.
    """
    topics, _ = load_topics(folder)
    titles = {t.id: t.title for t in topics}
    known = {_key(s) for samples in load_samples(folder, set(titles)).values() for s in samples}
    known |= {_key(s) for t in topics for s in (t.title, *t.samples)}
    files = sample_file_of(folder)
    result = Export(text="")
    by_topic: dict[str, list[str]] = {}
    for row in pending:
        topic, text = str(row["topic"]), str(row["text"])
        if topic not in titles:
            result.skipped.append(f"#{row['id']}: topic {topic} no longer exists: {text}")
            continue
        if _key(text) in known:
            result.skipped.append(f"#{row['id']}: already a sample: {text}")
            continue
        known.add(_key(text))
        by_topic.setdefault(topic, []).append(text)
        result.exported_ids.append(int(row["id"]))
    lines = [
        "# Samples proposed by officers in the admin (Câu hỏi chưa trả lời → Thêm làm câu mẫu).",
        "# Review each line; move the good ones into the file named above each topic, then run",
        "# `loa faq check`, commit, and restart Loa (the classifier retrains on start).",
        "samples:" if by_topic else "samples: {}",
    ]
    for topic in sorted(by_topic, key=lambda t: (target_file(t, files), t)):
        lines.append(f"  # → messages/faq/samples/{target_file(topic, files)} ({titles[topic]})")
        lines.append(f"  {topic}:")
        for text in by_topic[topic]:
            item = yaml.safe_dump([text], allow_unicode=True, width=10_000).rstrip("\n")
            lines.append(f"    {item}")
    result.text = "\n".join(lines) + "\n"
    return result
