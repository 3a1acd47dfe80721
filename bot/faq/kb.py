"""The FAQ knowledge base: loading ``messages/faq``, the classifier behind it, answers.

A topic file (``messages/faq/*.yaml``) holds ``topics:`` (id, title, related, samples,
answer) and, in ``_out_of_scope.yaml``, ``negatives:`` — questions Loa must NOT answer
("khám xe máy ở đâu"). Training samples may also live in ``messages/faq/samples/*.yaml``
as ``samples: {<topic id>: [...], out_of_scope: [...], safety.medical: [...]}``.

:func:`knowledge_base` loads a folder once per process; the classifier is fitted (or read
from its cache) the first time a question is classified.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot import templating
from bot.config import Settings
from bot.errors import DataFileError
from bot.faq.decide import Decision, Hit, classify, search
from bot.faq.frames import strip_formal
from bot.faq.model import MEDICAL_TOPIC, REJECT_TOPIC, TopicModel, TrainingSet, load_or_fit
from bot.text import nfc

__all__ = ["MEDICAL_TOPIC", "REJECT_TOPIC", "Decision", "Hit", "KnowledgeBase", "Topic"]
#: The key of out-of-scope questions in ``samples/*.yaml``.
OUT_OF_SCOPE_KEY = "out_of_scope"


@dataclass(frozen=True)
class Topic:
    """One FAQ topic as written in the YAML."""

    id: str
    title: str
    samples: tuple[str, ...]
    answer: str  # Jinja2 template
    related: tuple[str, ...] = ()
    source: str = ""  # file name, for error messages


class KnowledgeBase:
    """Topics, their training samples, the classifier, and answer rendering."""

    def __init__(
        self,
        topics: list[Topic],
        negatives: list[str] | None = None,
        extra: dict[str, list[str]] | None = None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self.topics: dict[str, Topic] = {t.id: t for t in topics}
        self.negatives: tuple[str, ...] = tuple(negatives or ())
        extra = extra or {}
        #: Every training sample per topic: the topic file's, then the samples files'.
        self.samples: dict[str, tuple[str, ...]] = {
            t.id: tuple(dict.fromkeys([*t.samples, *extra.get(t.id, [])])) for t in topics
        }
        self.out_of_scope: tuple[str, ...] = tuple(dict.fromkeys([*self.negatives, *extra.get(REJECT_TOPIC, [])]))
        self.cache_dir = cache_dir
        self._model: TopicModel | None = None
        self._lock = threading.Lock()
        self._rendered: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}

    # --- classification --------------------------------------------------------------------
    def training_set(self) -> TrainingSet:
        """Titles and samples of every topic, and the out-of-scope questions.

        Administrative wording is reduced as in residents' messages (:func:`strip_formal`),
        so a formal sample and a formal question meet in the same words."""
        texts: list[str] = []
        labels: list[str] = []
        for tid, topic in self.topics.items():
            for text in (topic.title, *self.samples[tid]):
                texts.append(strip_formal(text))
                labels.append(tid)
        texts.extend(strip_formal(t) for t in self.out_of_scope)
        labels.extend([REJECT_TOPIC] * len(self.out_of_scope))
        return TrainingSet(tuple(texts), tuple(labels))

    @property
    def model(self) -> TopicModel:
        """The fitted classifier (fitted or loaded from the cache on first use; thread-safe)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_or_fit(self.training_set(), self.cache_dir)
        return self._model

    def classify(self, text: str) -> Decision:
        """Decide how to handle one resident message (see :class:`bot.faq.decide.Decision`)."""
        return classify(self, text)

    def search(self, text: str, *, prefix: str | None = None, limit: int = 5) -> list[Hit]:
        """Topics by probability for ``text``, best first (never the reject class)."""
        return search(self, text, prefix=prefix, limit=limit)

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


def template_values(settings: Settings) -> dict[str, str]:
    """The local values answers may use: ``{{ province }}``, ``{{ example_unit }}``, ..."""
    values = templating.settings_values(settings, templating.FAQ_VARIABLES)
    values["example_unit"] = example_unit(str(settings.content_dir), settings.province)
    return values


@lru_cache(maxsize=8)
def example_unit(content_dir: str, province: str) -> str:
    """A commune of the configured province for examples ("phường Lê Chân" only in Hải Phòng).

    Read from ``data/admin_units.csv``; "xã/phường của bạn" when the province is not listed.
    """
    path = Path(content_dir) / "data" / "admin_units.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if nfc(row.get("province") or "").strip() == nfc(province).strip() and row.get("name"):
                    return f"{nfc(row.get('unit_type') or 'xã').strip()} {nfc(row['name']).strip()}"
    except (OSError, csv.Error, UnicodeDecodeError):
        pass
    return "xã/phường của bạn"


def abstain_text(settings: Settings) -> str:
    """What Loa says when it does not know (the dialog adds the menu)."""
    return (
        "Xin lỗi, Loa chưa có câu trả lời cho câu hỏi này.\n"
        f"Bạn có thể hỏi {settings.local_contact} hoặc gọi đường dây nóng {settings.health_hotline}."
    )


def medical_line(settings: Settings) -> str:
    """The one line every medical-looking message gets, even when Loa abstains."""
    return (
        "Nếu bạn đang hỏi về bệnh, triệu chứng hay thuốc: hãy đến trạm y tế hoặc gặp bác sĩ; "
        f"khẩn cấp gọi ngay {settings.emergency_number}."
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


#: libyaml's safe loader when PyYAML was built with it: the same safe constructors as
#: yaml.safe_load, ~15x faster on the ~20 FAQ files every ``loa`` process reads at start.
_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(text: str) -> object:
    """``yaml.safe_load(text)``, parsed by libyaml when it can be; a file libyaml refuses is
    parsed again by PyYAML's own loader, so errors read exactly as yaml.safe_load's."""
    try:
        return yaml.load(text, Loader=_FAST_SAFE_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def _read_yaml(path: Path) -> dict[str, object]:
    try:
        data = _safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(f"{path.name}: expected a mapping")
    return data


def _topic(raw: object, i: int, source: str) -> Topic:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise DataFileError(f"{source}: topic #{i + 1} needs an 'id'")
    tid = raw["id"].strip()
    answer = raw.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        raise DataFileError(f"{source}: topic {tid} needs an 'answer'")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise DataFileError(f"{source}: topic {tid} needs a 'title'")
    return Topic(
        id=tid,
        title=nfc(title).strip(),
        samples=tuple(_as_list(raw.get("samples"), f"{tid}: samples", source)),
        answer=nfc(answer),
        related=tuple(_as_list(raw.get("related"), f"{tid}: related", source)),
        source=source,
    )


def load_topics(folder: Path) -> tuple[list[Topic], list[str]]:
    """Read every ``*.yaml`` of ``folder``: (topics in file order, out-of-scope questions)."""
    if not folder.is_dir():
        raise DataFileError(f"FAQ folder not found: {folder}")
    topics: list[Topic] = []
    negatives: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        data = _read_yaml(path)
        negatives.extend(_as_list(data.get("negatives"), "negatives", path.name))
        raw_topics = data.get("topics") or []
        if not isinstance(raw_topics, list):
            raise DataFileError(f"{path.name}: 'topics' must be a list")
        topics.extend(_topic(raw, i, path.name) for i, raw in enumerate(raw_topics))
    ids = [t.id for t in topics]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise DataFileError(f"duplicate FAQ topic ids: {', '.join(dupes)}")
    return topics, negatives


def load_samples(folder: Path, topic_ids: set[str]) -> dict[str, list[str]]:
    """Training samples of ``folder/samples/*.yaml`` per topic id (out-of-scope under REJECT_TOPIC)."""
    out: dict[str, list[str]] = {}
    for path in sorted((folder / "samples").glob("*.yaml")):
        samples = _read_yaml(path).get("samples") or {}
        if not isinstance(samples, dict):
            raise DataFileError(f"samples/{path.name}: 'samples' must map topic ids to lists")
        for key, values in samples.items():
            tid = REJECT_TOPIC if key == OUT_OF_SCOPE_KEY else str(key)
            if tid != REJECT_TOPIC and tid not in topic_ids:
                raise DataFileError(f"samples/{path.name}: unknown topic {key}")
            out.setdefault(tid, []).extend(_as_list(values, f"{key}", f"samples/{path.name}"))
    return out


@lru_cache(maxsize=8)
def _load_cached(folder: str) -> KnowledgeBase:
    topics, negatives = load_topics(Path(folder))
    extra = load_samples(Path(folder), {t.id for t in topics})
    return KnowledgeBase(topics, negatives, extra)


def model_cache_dir(settings: Settings) -> Path:
    """Where fitted models are cached: a ``cache`` folder next to the database."""
    return Path(settings.db).resolve().parent / "cache"


def knowledge_base(settings: Settings) -> KnowledgeBase:
    """The knowledge base of ``settings.content_dir`` (loaded once per folder and process)."""
    kb = _load_cached(str(faq_dir(settings.content_dir).resolve()))
    if kb.cache_dir is None:  # the first caller's database folder holds the model cache
        kb.cache_dir = model_cache_dir(settings)
    return kb
