"""Templates written by officers (message bodies, FAQ answers): one sandbox, one list of variables.

An officer's text may only insert named values (``{{ hotline }}``) and give a fallback
(``{{ place | default("trạm y tế") }}``). Everything else Jinja2 can do — attribute access,
calls, loops, ``{% ... %}`` statements, arithmetic — is refused when the text is saved, with
a Vietnamese message, and refused again when it is rendered. Rendering happens only in an
``ImmutableSandboxedEnvironment`` that also refuses every attribute and every call, has no
globals (no ``cycler``, ``range``, ``namespace``) and only the filters listed here; values are
plain strings. So a body such as ``{{ cycler.__init__.__globals__.os.popen("id").read() }}``
is an error message, never code that runs.

(The admin's own page templates on disk are a different thing: ``bot/web/templating.py``.
Officer text reaches them only as data, autoescaped.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.errors import LoaError
from bot.text import nfc

if TYPE_CHECKING:
    from bot.config import Settings

#: Every variable an officer's text may use, with what it holds (shown in errors and on forms).
#: The first group comes from the settings; the second is filled when a broadcast is made.
VARIABLES: dict[str, str] = {
    "province": "tên tỉnh/thành phố",
    "hotline": "đường dây nóng y tế",
    "health_hotline": "đường dây nóng y tế",
    "vneid_hotline": "tổng đài VNeID",
    "bhxh_hotline": "tổng đài BHXH",
    "emergency_number": "số cấp cứu",
    "spam_report_number": "số báo tin nhắn rác",
    "local_contact": "nơi liên hệ tại địa phương",
    "commune": "xã/phường (điền khi gửi cho một xã/phường)",
    "dates": "thời gian khám (điền khi tạo đợt gửi)",
    "place": "địa điểm khám (điền khi tạo đợt gửi)",
}
#: FAQ answers use the settings' values and the retention period, nothing filled per broadcast.
FAQ_VARIABLES: dict[str, str] = {
    **{k: v for k, v in VARIABLES.items() if k not in ("hotline", "commune", "dates", "place")},
    "retention_days": "số ngày lưu dữ liệu",
    "example_unit": "một xã/phường của tỉnh, làm ví dụ",
}
#: Placeholders shown in previews for values filled at sending time.
PLACEHOLDERS: dict[str, str] = {"commune": "[xã/phường]", "dates": "[thời gian khám]", "place": "[địa điểm khám]"}

#: The only filters: a fallback and letter case. ``d`` is Jinja2's short name for ``default``.
FILTERS: frozenset[str] = frozenset({"default", "d", "upper", "lower", "capitalize", "title", "trim"})
_DEFAULTS = frozenset({"default", "d"})
#: The only syntax: literal text, ``{{ name }}``, constants and filters.
_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.Filter,
)
#: How a refused construct is named to the officer.
_CONSTRUCTS: dict[type[nodes.Node], str] = {
    nodes.Getattr: "dấu chấm sau tên biến",
    nodes.Getitem: "dấu [ ] sau tên biến",
    nodes.Call: "gọi hàm ( )",
    nodes.For: "vòng lặp {% for %}",
    nodes.If: "lệnh {% if %}",
    nodes.Assign: "lệnh {% set %}",
}


class TemplateRefused(LoaError):
    """An officer's template was refused; the message is Vietnamese and names the problem."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with nothing reachable: no attribute, no call, no global."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Refuse every attribute (officer text has no use for one)."""
        return False

    def is_safe_callable(self, obj: Any) -> bool:
        """Refuse every call."""
        return False


class _Placeholder(Undefined):
    """A missing value in a preview: shows ``[thời gian khám]``, yet ``default(...)`` still applies."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = kwargs.get("name", args[2] if len(args) > 2 else None)
        self.placeholder = PLACEHOLDERS.get(str(name), f"[{name}]")

    def __str__(self) -> str:
        return self.placeholder


def settings_values(settings: Settings, names: Iterable[str]) -> dict[str, str]:
    """The values of ``names`` that come from the settings (hotlines, province, ...)."""
    every = {
        "province": settings.province,
        "hotline": settings.health_hotline,
        "health_hotline": settings.health_hotline,
        "vneid_hotline": settings.vneid_hotline,
        "bhxh_hotline": settings.bhxh_hotline,
        "emergency_number": settings.emergency_number,
        "spam_report_number": settings.spam_report_number,
        "local_contact": settings.local_contact,
        "retention_days": str(settings.retention_days),
    }
    return {name: every[name] for name in names if name in every}


def _sandbox(undefined: type[Undefined]) -> _Sandbox:
    env = _Sandbox(undefined=undefined, autoescape=False, keep_trailing_newline=False)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.tests = {}
    return env


_STRICT = _sandbox(StrictUndefined)
_PREVIEW = _sandbox(_Placeholder)


def _names(variables: Iterable[str]) -> str:
    return ", ".join("{{ " + v + " }}" for v in sorted(variables))


def _parse(source: str) -> nodes.Template:
    try:
        return _STRICT.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(
            f"Mẫu tin có lỗi ở dòng {exc.lineno}: kiểm tra các cặp {{{{ }}}} (biến phải viết dạng {{{{ ten_bien }}}})."
        ) from exc


def _check_constructs(tree: nodes.Template) -> None:
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES) or (isinstance(node, nodes.Name) and node.ctx != "load"):
            what = next((label for cls, label in _CONSTRUCTS.items() if isinstance(node, cls)), "cú pháp này")
            raise TemplateRefused(
                f"Mẫu tin không được dùng {what}. Chỉ chèn biến dạng {{{{ ten_bien }}}}"
                f" hoặc {{{{ ten_bien | default(\"chữ thay thế\") }}}}."
            )
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise TemplateRefused(
                f"Mẫu tin không dùng được bộ lọc «{node.name}». Dùng được: {', '.join(sorted(FILTERS))}."
            )


def check(source: str, allowed: Iterable[str]) -> frozenset[str]:
    """Validate an officer's template; return the variables it uses.

    Raises :class:`TemplateRefused` (Vietnamese, naming the problem) on a syntax error, a
    construct other than ``{{ name }}`` with filters, or a variable not in ``allowed``.
    """
    tree = _parse(source)
    _check_constructs(tree)
    used = frozenset(meta.find_undeclared_variables(tree))
    allowed = frozenset(allowed)
    unknown = sorted(used - allowed)
    if unknown:
        which = _names(unknown)
        verb = "Biến" if len(unknown) == 1 else "Các biến"
        raise TemplateRefused(f"{verb} {which} không có. Các biến dùng được: {_names(allowed)}.")
    return used


def required(source: str) -> frozenset[str]:
    """Variables the template needs a value for (those not always behind ``default(...)``)."""
    return _required(_parse(source))


def _required(tree: nodes.Template) -> frozenset[str]:
    covered = {id(f.node) for f in tree.find_all(nodes.Filter) if f.name in _DEFAULTS and f.node is not None}
    return frozenset(n.name for n in tree.find_all(nodes.Name) if id(n) not in covered)


def _strings(values: Mapping[str, Any]) -> dict[str, str]:
    # Plain strings only: no object with attributes or methods ever enters the sandbox.
    return {str(k): str(v) for k, v in values.items() if v is not None}


def render(source: str, values: Mapping[str, Any], *, preview: bool = False) -> str:
    """Render an officer's template with ``values`` (NFC, stripped).

    The constructs are checked again (text stored before these checks existed is refused
    here too). A needed variable without a value raises :class:`TemplateRefused`; with
    ``preview`` it shows as a placeholder such as ``[thời gian khám]`` instead.
    """
    tree = _parse(source)
    _check_constructs(tree)
    strings = _strings(values)
    missing = sorted(_required(tree) - strings.keys())
    if missing and not preview:
        raise TemplateRefused(f"Chưa có giá trị cho {_names(missing)}: điền khi tạo đợt gửi.")
    env = _PREVIEW if preview else _STRICT
    return nfc(env.from_string(tree).render(strings)).strip()


def text_hash(text: str) -> str:
    """SHA-256 (hex) of a rendered text: what an approver saw, pinned in the approval."""
    return hashlib.sha256(nfc(text).encode("utf-8")).hexdigest()


#: How many hex digits of a text hash officers see and type (the full hash is in the audit log).
SHORT_HASH = 12
#: The fewest hex digits accepted when an officer names a hash.
MIN_HASH_PREFIX = 8


def short_hash(digest: str) -> str:
    """The prefix of a text hash shown to officers."""
    return digest[:SHORT_HASH]
