"""The product's features, in one explicit ordered list, and how free text is routed.

- :func:`all_features` is the list. Its order is the order of ``/help``'s commands, of the
  ``loa`` sub-commands, of the web routes, of the demo banner and of start-up (stop runs in
  reverse). Adding a feature means writing a :class:`~bot.features.base.Feature` subclass
  and adding it here; nothing is discovered by name.
- :data:`TEXT_ROUTES` is the routing of free text: every handler a feature offers runs in
  this table's order, the first one that answers wins.
- :data:`MAIN_MENU` is the numbered main menu.
- :func:`build_dialog` wires a :class:`~bot.dialog.Dialog` from them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.dialog import Dialog, TextHandler
from bot.features.admin import Admin
from bot.features.base import Feature
from bot.features.broadcast import Broadcast
from bot.features.faq import Faq
from bot.features.ops import Ops
from bot.features.reach import Reach
from bot.features.reports import Reports
from bot.features.scam import Scam
from bot.features.sites import Sites
from bot.features.subscriptions import Subscriptions
from bot.features.telegram import Telegram
from bot.features.zalo import Zalo
from bot.store import Store

__all__ = ["MAIN_MENU", "TEXT_ROUTES", "Feature", "TextRoute", "all_features", "build_dialog"]


def all_features() -> list[Feature]:
    """A fresh instance of every feature, in product order (each owns its state)."""
    return [Subscriptions(), Telegram(), Zalo(), Sites(), Faq(), Broadcast(), Scam(), Reports(), Reach(), Admin(), Ops()]


@dataclass(frozen=True)
class TextRoute:
    """One row of the free-text routing table."""

    name: str
    priority: int
    #: Also offered group messages not addressed to the bot (must stay silent unless sure).
    hears_group_chatter: bool = False


#: Free text, after commands, numbered choices and menu words: tried top to bottom.
TEXT_ROUTES: tuple[TextRoute, ...] = (
    TextRoute("scam", 10, hears_group_chatter=True),  # forwarded / link / money words; the group guard
    TextRoute("verification", 15),  # a message that is nothing but a verification code
    TextRoute("sites", 20),  # where / when questions, shared locations, bare commune names
    TextRoute("faq", 30),  # everything else: answer, two choices, or "I don't know" + menu
)

#: The numbered main menu: (label, what choosing it sends).
MAIN_MENU: tuple[tuple[str, str], ...] = (
    ("Khám sức khỏe miễn phí: ai, ở đâu, khi nào", "khám sức khỏe miễn phí là gì"),
    ("Tìm điểm khám gần bạn", "/diemkham"),
    ("Cài VNeID, tài khoản định danh mức 2", "cách cài vneid"),
    ("Sổ sức khỏe điện tử trên VNeID", "tích hợp sổ sức khỏe điện tử"),
    ("Kiểm tra tin nhắn, cuộc gọi đáng ngờ", "/kiemtra"),
    ("Nhận tin chiến dịch", "/dangky"),
)


def build_dialog(
    store: Store,
    settings: Settings,
    *,
    features: Sequence[Feature] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Dialog:
    """A dialog with the main menu, every feature's commands and the text routes.

    ``features`` defaults to :func:`all_features` (pass the runtime's list so the dialog
    and the lifespan share the features' state).
    """
    dialog = Dialog(store, settings, clock=clock)
    for label, payload in MAIN_MENU:
        dialog.menu.add(label, payload)
    handlers: dict[str, TextHandler] = {}
    for feature in all_features() if features is None else features:
        for command in feature.commands():
            dialog.add_command(
                command.names, command.handler, command.help, in_menu=command.in_menu, private_only=command.private_only
            )
        handlers.update(feature.text_handlers())
    unknown = set(handlers) - {route.name for route in TEXT_ROUTES}
    if unknown:
        raise ValueError(f"text handlers missing from TEXT_ROUTES: {', '.join(sorted(unknown))}")
    for route in TEXT_ROUTES:
        if route.name in handlers:
            dialog.add_text_handler(
                route.name, handlers[route.name], priority=route.priority, hears_group_chatter=route.hears_group_chatter
            )
    return dialog
