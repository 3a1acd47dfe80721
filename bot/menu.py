"""The main menu and the fixed replies built from it: menu, fallback, /help.

Features add numbered menu lines (``add``); a line's payload is handled as if typed.
Greetings and words like "menu", "trợ giúp", "xin chào" ask for the menu.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.conversation import Choice, Reply
from bot.text import fold

if TYPE_CHECKING:
    from bot.dialog import Command

_MENU_WORDS = {"menu", "help", "tro giup", "huong dan", "bat dau", "xin chao", "chao", "hello", "hi", "alo"}


def is_menu_request(text: str) -> bool:
    """True when the text only asks for the menu ("menu", "xin chào", "trợ giúp!")."""
    folded = fold(text.lower()).strip(" !.?")
    return folded in _MENU_WORDS


@dataclass
class MenuItem:
    """A line of the main menu: a label and what selecting it does."""

    label: str
    payload: str


class Menu:
    """The numbered main menu and the command list shown with it."""

    def __init__(self, settings: Settings, commands: Sequence[Command]) -> None:
        self.settings = settings
        self.items: list[MenuItem] = []
        self._commands = commands  # the dialog's list, in registration order (read live)

    def add(self, label: str, payload: str) -> None:
        """Add a numbered line (``payload`` is handled as if typed)."""
        self.items.append(MenuItem(label, payload))

    def choices(self) -> tuple[Choice, ...]:
        """The menu lines as numbered choices."""
        return tuple(Choice(item.label, item.payload) for item in self.items)

    def text(self, *, command_line: bool = True) -> str:
        """The menu as text, with a one-line command summary unless ``command_line`` is off."""
        lines = ["Loa có thể giúp bạn:"]
        lines += [f"{i}. {item.label}" for i, item in enumerate(self.items, start=1)]
        lines.append("")
        lines.append("Gõ số để chọn, hoặc hỏi trực tiếp, ví dụ: “khám sức khỏe miễn phí ở đâu?”.")
        visible = [c for c in self._commands if c.in_menu]
        if visible and command_line:
            lines.append("")
            lines.append("Lệnh: " + ", ".join(f"/{c.names[0]}" for c in visible))
        return "\n".join(lines)

    def reply(self, greeting: str | None = None) -> Reply:
        """The main menu as a reply."""
        text = self.text()
        if greeting:
            text = f"{greeting}\n\n{text}"
        return Reply(text, self.choices(), kind="menu")

    def fallback_reply(self) -> Reply:
        """What Loa says when nothing matched: honest, with the menu and a human contact."""
        s = self.settings
        text = (
            "Xin lỗi, Loa chưa có câu trả lời cho câu hỏi này.\n"
            f"Bạn có thể hỏi {s.local_contact} hoặc gọi đường dây nóng {s.health_hotline}.\n\n" + self.text()
        )
        return Reply(text, self.choices(), kind="menu")

    def unknown_command_reply(self, name: str) -> Reply:
        """The answer to a command nobody registered."""
        return Reply(f"Loa chưa hiểu lệnh /{name}.\n\n" + self.text(), self.choices(), kind="menu")

    def help_text(self) -> str:
        """The /help text: the menu and every command with its help line."""
        # The full list follows, so the one-line "Lệnh:" summary would say everything twice.
        lines = [self.text(command_line=False), "", "Các lệnh:"]
        for cmd in self._commands:
            if cmd.in_menu:
                aliases = " ".join(f"/{n}" for n in cmd.names)
                lines.append(f"{aliases} — {cmd.help}")
        return "\n".join(lines)

    def help_reply(self) -> Reply:
        """The /help reply: the menu, then every command with its help line."""
        return Reply(self.help_text(), self.choices(), kind="menu")
