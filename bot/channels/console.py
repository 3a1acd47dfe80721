"""The console channel: talk to Loa in the terminal (``loa chat``)."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Incoming, Reply
from bot.dialog import Dialog


def console_loop(
    dialog: Dialog,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    """Read lines until EOF, Ctrl-C or ``/thoat``; print Loa's replies.

    ``read`` and ``write`` are injectable so tests drive the loop without a terminal.
    """
    write("Loa — gõ câu hỏi rồi nhấn Enter. Gõ /help để xem hướng dẫn, /thoat để thoát.")
    while True:
        try:
            line = read("Bạn: ")
        except (EOFError, KeyboardInterrupt):
            write("")
            break
        if line.strip().lower() in ("/thoat", "/exit", "/quit"):
            break
        for reply in dialog.handle(Incoming(channel="console", chat_id="console", user_id="console", text=line)):
            write(render_console(reply))
    write("Tạm biệt!")


def render_console(reply: Reply) -> str:
    """A reply as terminal text."""
    return "Loa: " + reply.text.replace("\n", "\n     ")
