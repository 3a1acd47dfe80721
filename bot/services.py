"""Wiring: build the dialog with every feature's commands and handlers.

Each feature module in ``bot.features`` may expose ``register(dialog)``; see that package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.config import Settings
from bot.dialog import Dialog
from bot.features import hooks
from bot.store import Store


def _main_menu(dialog: Dialog) -> None:
    dialog.add_menu_item("Khám sức khỏe miễn phí: ai, ở đâu, khi nào", "khám sức khỏe miễn phí là gì")
    dialog.add_menu_item("Tìm điểm khám gần bạn", "/diemkham")
    dialog.add_menu_item("Cài VNeID, tài khoản định danh mức 2", "cách cài vneid")
    dialog.add_menu_item("Sổ sức khỏe điện tử trên VNeID", "tích hợp sổ sức khỏe điện tử")
    dialog.add_menu_item("Kiểm tra tin nhắn, cuộc gọi đáng ngờ", "/kiemtra")
    dialog.add_menu_item("Nhận tin chiến dịch", "/dangky")


def build_dialog(store: Store, settings: Settings, *, clock: Callable[[], datetime] | None = None) -> Dialog:
    """A dialog with the main menu and every registered feature."""
    dialog = Dialog(store, settings, clock=clock)
    _main_menu(dialog)
    for register in hooks("register"):
        register(dialog)
    return dialog
