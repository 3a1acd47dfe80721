"""A strict look at a Telegram update's shape before python-telegram-bot parses it.

``Update.de_json`` is lenient: a chat id of ``"abc"``, ``5.5`` or ``true`` comes through, and
the reply then goes to ``sendMessage(chat_id="abc")``; a message without a chat crashes the
handler in the background. With the right secret, such bodies can only come from someone
holding the secret or a broken proxy, so they are refused (400) with a short reason and
never reach the handlers. Only the kinds Loa subscribes to (``message``, ``my_chat_member``)
are looked at; an update of any other kind is acknowledged and dropped.
"""

from __future__ import annotations

import json
from typing import Any

from bot.channels.webhook import MAX_WEBHOOK_BODY, WebhookRejected

HANDLED = ("message", "my_chat_member")
CHAT_TYPES = ("private", "group", "supergroup", "channel")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _user_problem(user: Any, where: str) -> str | None:
    if not isinstance(user, dict) or not _is_int(user.get("id")):
        return f"{where} must be a user with an integer id"
    return None


def _chat_problem(chat: Any) -> str | None:
    if not isinstance(chat, dict) or not _is_int(chat.get("id")):
        return "chat must be an object with an integer id"
    if chat.get("type") not in CHAT_TYPES:
        return "chat.type is not a Telegram chat type"
    return None


def _message_problem(message: Any) -> str | None:
    if not isinstance(message, dict):
        return "message must be an object"
    if not _is_int(message.get("message_id")) or not _is_int(message.get("date")):
        return "message_id and date must be integers"
    problem = _chat_problem(message.get("chat"))
    if problem:
        return problem
    if "from" in message and (problem := _user_problem(message["from"], "message.from")):
        return problem
    for key in ("text", "caption"):
        if key in message and not isinstance(message[key], str):
            return f"message.{key} must be a string"
    for key in ("migrate_to_chat_id", "migrate_from_chat_id"):
        if key in message and not _is_int(message[key]):
            return f"message.{key} must be an integer"
    location = message.get("location")
    if location is not None and not (
        isinstance(location, dict) and _is_number(location.get("latitude")) and _is_number(location.get("longitude"))
    ):
        return "message.location must have numeric latitude and longitude"
    for key in ("entities", "caption_entities"):
        if key in message and not (
            isinstance(message[key], list) and all(isinstance(e, dict) for e in message[key])
        ):
            return f"message.{key} must be a list of objects"
    return None


def _member_problem(change: Any) -> str | None:
    if not isinstance(change, dict) or not _is_int(change.get("date")):
        return "my_chat_member must be an object with an integer date"
    problem = _chat_problem(change.get("chat")) or _user_problem(change.get("from"), "my_chat_member.from")
    if problem:
        return problem
    for key in ("old_chat_member", "new_chat_member"):
        member = change.get(key)
        if not isinstance(member, dict) or not isinstance(member.get("status"), str):
            return f"my_chat_member.{key} must be an object with a status"
        if problem := _user_problem(member.get("user"), f"my_chat_member.{key}.user"):
            return problem
    return None


def update_problem(data: dict[str, Any]) -> str | None:
    """Why ``data`` (a decoded update with an integer update_id) is malformed, or None."""
    if "message" in data:
        return _message_problem(data["message"])
    if "my_chat_member" in data:
        return _member_problem(data["my_chat_member"])
    return None


def is_handled(data: dict[str, Any]) -> bool:
    """True when the update is of a kind Loa acts on (others are acknowledged and dropped)."""
    return any(key in data for key in HANDLED)


def parse_webhook_body(body: bytes) -> dict[str, Any] | None:
    """The decoded update of a webhook body; None for a kind Loa does not handle.

    Raises ``WebhookRejected`` (4xx) for a body that cannot be a well-formed update.
    """
    if len(body) > MAX_WEBHOOK_BODY:
        raise WebhookRejected(413, "body too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WebhookRejected(400, "body is not JSON") from None
    if not isinstance(data, dict):
        raise WebhookRejected(400, "update must be a JSON object")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise WebhookRejected(400, "update_id missing or not an integer")
    problem = update_problem(data)
    if problem:
        raise WebhookRejected(400, problem)
    if not is_handled(data):
        return None
    return data
