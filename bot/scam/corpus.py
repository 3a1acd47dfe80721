"""The labelled scam corpus: ``messages/scam_corpus/*.jsonl``, one file per kind family.

Each line is ``{"text": str, "label": "scam"|"benign", "kind": str}``. Officers add the
scams they receive to the file of their kind (or a new file); the classifier is retrained
from these files, deterministically, whenever their content changes (see ``model``).
Variants without diacritics, in teencode or with typos are made at training time
(``augment``), so the files hold each message once, written properly.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from bot.augment import Augmenter
from bot.config import PROJECT_ROOT
from bot.errors import DataFileError
from bot.text import fold, nfc

CORPUS_DIR = PROJECT_ROOT / "messages" / "scam_corpus"
LABELS = ("scam", "benign")
MAX_TEXT_CHARS = 4000
MAX_LINES = 50_000


@dataclass(frozen=True)
class Sample:
    """One labelled message of the corpus."""

    text: str
    label: str
    kind: str
    source: str = ""  # "file:line", for error messages and audits

    @property
    def is_scam(self) -> bool:
        """True for scam samples."""
        return self.label == "scam"


def _parse_line(line: str, where: str) -> Sample:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{where}: not valid JSON ({exc.msg})") from exc
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or row.get("label") not in LABELS:
        raise DataFileError(f'{where}: expected {{"text": str, "label": "scam"|"benign", "kind": str}}')
    text = nfc(row["text"]).strip()
    if not text or len(text) > MAX_TEXT_CHARS:
        raise DataFileError(f"{where}: text must be 1..{MAX_TEXT_CHARS} characters")
    kind = str(row.get("kind") or "other").strip()[:60] or "other"
    return Sample(text, row["label"], kind, where)


def load_corpus(directory: Path = CORPUS_DIR) -> list[Sample]:
    """Every sample of every ``*.jsonl`` file in ``directory``, in file-name order.

    A malformed line is a :class:`DataFileError` naming the file and line; duplicates
    (same text) keep the first occurrence.
    """
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise DataFileError(f"{directory}: no *.jsonl corpus files")
    samples: list[Sample] = []
    seen: set[str] = set()
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"cannot read {path.name}: {exc}") from exc
        for no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            sample = _parse_line(line, f"{path.name}:{no}")
            if sample.text in seen:
                continue
            seen.add(sample.text)
            samples.append(sample)
            if len(samples) > MAX_LINES:
                raise DataFileError(f"{directory}: more than {MAX_LINES} samples")
    labels = {s.label for s in samples}
    if labels != set(LABELS):
        raise DataFileError(f"{directory}: the corpus needs both scam and benign samples")
    return samples


def author_of(sample: Sample) -> str:
    """The author of a corpus sample: its file name's one-letter suffix (``kind_b.jsonl`` → "b"), else "plain"."""
    m = re.search(r"_([a-z])\.jsonl$", sample.source.split(":")[0])
    return m.group(1) if m else "plain"


def corpus_hash(samples: list[Sample]) -> str:
    """A fingerprint of the samples (text, label, kind): the model cache key."""
    h = hashlib.sha256()
    for s in samples:
        h.update(f"{s.label}\t{s.kind}\t{s.text}\n".encode())
    return h.hexdigest()[:16]


# The shared augmenter (bot/augment.py). Its first variant only drops diacritics, which
# the checker's folding undoes anyway; the later ones add teencode and typos.
_VARIANTS = 3


def augment(text: str, seed: int = 0) -> str:
    """A noisy variant of ``text`` the way residents type: no diacritics, teencode, typos.

    Deterministic: it depends only on the text and ``seed``.
    """
    variants = Augmenter(seed=14 + seed, variants=_VARIANTS, typo_rate=0.1).variants_of(text)
    return variants[-1] if variants else fold(text)
