"""A small Telegram Bot API server for tests and benchmarks (real HTTP on 127.0.0.1).

Usage::

    with FakeTelegramAPI() as tg:
        settings = Settings(telegram_token=tg.token, telegram_base_url=tg.base_url, ...)
        ...
        tg.block(42)            # 403 "bot was blocked by the user"
        tg.not_found(43)        # 400 "chat not found"
        tg.migrate(-5, -1005)   # 400 with parameters.migrate_to_chat_id
        tg.fail_next("429")     # one 429 with retry_after
        tg.failure_rate = 0.1   # random 429 / 5xx / slow replies
        tg.enforce_limits = True  # count violations of 30/s, 1/s per chat, 20/min per group
        tg.push_message(42, "/start")  # an update for getUpdates

Or as a process: ``python3 -m tests.fakes.telegram_api --port 8081`` (control endpoints
under ``/_fake/``: GET sent, stats, requests; POST configure, fail_next, update, block,
not_found, migrate, reset).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from typing import Any

from tests.fakes._server import FakeBotServer, client_gone

DEFAULT_TOKEN = "123456:TEST-fake-telegram-token"
BOT_ID = 123456
BOT_USERNAME = "loa_test_bot"

#: Bot API flood limits (messages): overall per second, per chat per second, per group per minute.
GLOBAL_PER_SECOND = 30
PER_CHAT_PER_SECOND = 1
PER_GROUP_PER_MINUTE = 20
_SLACK = 0.05  # seconds of clock jitter forgiven when counting limit violations


class FakeTelegramAPI(FakeBotServer):
    """A Telegram Bot API server that records sends and fails on request."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, port: int = 0, seed: int = 0) -> None:
        super().__init__(token, port=port, seed=seed)
        self.blocked: set[str] = set()
        self.kicked: set[str] = set()
        self.missing: set[str] = set()
        self.migrated: dict[str, str] = {}
        self.member_counts: dict[str, int] = {}
        self.admins: dict[str, set[str]] = {}  # chat id -> user ids that are administrators
        self.reject_entities = False  # 400 "can't parse entities" whenever parse_mode is set
        self.enforce_limits = False
        self.limits_reply_429 = False  # with enforce_limits: also answer 429 to a violating send
        self.violations: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._global: deque[float] = deque()
        self._per_chat: dict[str, deque[float]] = {}

    # --- knobs --------------------------------------------------------------------------------
    def block(self, chat_id: str | int) -> None:
        """The user blocked the bot: 403 on every send."""
        self.blocked.add(str(chat_id))

    def kick(self, chat_id: str | int) -> None:
        """The bot was removed from the group: 403 on every send."""
        self.kicked.add(str(chat_id))

    def not_found(self, chat_id: str | int) -> None:
        """The chat does not exist: 400 chat not found."""
        self.missing.add(str(chat_id))

    def migrate(self, chat_id: str | int, new_id: str | int) -> None:
        """The group became a supergroup: 400 with migrate_to_chat_id."""
        self.migrated[str(chat_id)] = str(new_id)

    def reset(self) -> None:
        """Forget sends and chat states."""
        super().reset()
        with self._lock:
            self.blocked.clear()
            self.kicked.clear()
            self.missing.clear()
            self.migrated.clear()
            self.violations.clear()
            self._global.clear()
            self._per_chat.clear()
            self._updates.clear()

    def stats(self) -> dict[str, Any]:
        """Counters, including limit violations."""
        return {**super().stats(), "violations": len(self.violations)}

    def known_failures(self) -> tuple[str, ...]:
        """Adds ``403`` and ``400`` to the common kinds."""
        return (*super().known_failures(), "403", "400")

    def failure_response(self, kind: str, method: str) -> tuple[int, dict[str, Any]]:
        """Telegram-shaped bodies for injected failures."""
        if kind == "403":
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        if kind == "400":
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        if kind == "502":
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        return super().failure_response(kind, method)

    # --- updates ------------------------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update for getUpdates (``update_id`` is filled in); return its id."""
        with self._changed:
            update = dict(update)
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
            self._changed.notify_all()
            return int(update["update_id"])

    def make_message(
        self,
        chat_id: str | int,
        text: str | None = None,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        title: str | None = None,
        first_name: str = "Lan",
        reply_to_bot: bool = False,
        forwarded: bool = False,
        location: tuple[float, float] | None = None,
    ) -> dict[str, Any]:
        """A message dict as Telegram sends it (commands and @mentions get entities)."""
        cid = int(chat_id)
        kind = chat_type or ("private" if cid > 0 else ("supergroup" if str(cid).startswith("-100") else "group"))
        chat: dict[str, Any] = {"id": cid, "type": kind}
        if kind == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = title or "Tổ dân phố 3"
        uid = user_id if user_id is not None else (cid if cid > 0 else 777)
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": uid, "is_bot": False, "first_name": first_name},
        }
        if text is not None:
            msg["text"] = text
            entities = []
            if text.startswith("/"):
                entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
            mention = f"@{BOT_USERNAME}"
            if mention in text:
                offset = len(text[: text.index(mention)].encode("utf-16-le")) // 2
                entities.append({"type": "mention", "offset": offset, "length": len(mention)})
            if entities:
                msg["entities"] = entities
        if location is not None:
            msg["location"] = {"latitude": location[0], "longitude": location[1]}
        if reply_to_bot:
            msg["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": chat,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Loa", "username": BOT_USERNAME},
                "text": "…",
            }
        if forwarded:
            msg["forward_origin"] = {"type": "hidden_user", "sender_user_name": "Ai đó", "date": int(time.time())}
        return msg

    def push_message(self, chat_id: str | int, text: str | None = None, **kwargs: Any) -> int:
        """Queue a message update (see ``make_message``); return the update id."""
        return self.push_update({"message": self.make_message(chat_id, text, **kwargs)})

    def pending_updates(self) -> int:
        """Updates not yet fetched."""
        return len(self._updates)

    # --- API ------------------------------------------------------------------------------------
    async def handle(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        """Answer one Bot API method."""
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        return await handler(params)

    @staticmethod
    def _ok(result: Any) -> tuple[int, Any]:
        return 200, {"ok": True, "result": result}

    async def _api_getme(self, params: dict[str, Any]) -> tuple[int, Any]:
        return self._ok(
            {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Loa",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    async def _api_logout(self, params: dict[str, Any]) -> tuple[int, Any]:
        return self._ok(True)

    async def _api_close(self, params: dict[str, Any]) -> tuple[int, Any]:
        return self._ok(True)

    async def _api_setmycommands(self, params: dict[str, Any]) -> tuple[int, Any]:
        return self._ok(True)

    async def _api_deletemycommands(self, params: dict[str, Any]) -> tuple[int, Any]:
        return self._ok(True)

    async def _api_setwebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        url = str(params.get("url", ""))
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: bad webhook: HTTPS url must be provided for webhook"}
        with self._lock:
            self.webhook = {"url": url, "secret_token": params.get("secret_token", "")} if url else {}
        return self._ok(True)

    async def _api_deletewebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        with self._lock:
            self.webhook = {}
            if str(params.get("drop_pending_updates", "")).lower() == "true":
                self._updates.clear()
        return self._ok(True)

    async def _api_getwebhookinfo(self, params: dict[str, Any]) -> tuple[int, Any]:
        with self._lock:
            return self._ok(
                {
                    "url": self.webhook.get("url", ""),
                    "has_custom_certificate": False,
                    "pending_update_count": len(self._updates),
                }
            )

    async def _api_getupdates(self, params: dict[str, Any]) -> tuple[int, Any]:
        if self.webhook:
            return 409, {
                "ok": False,
                "error_code": 409,
                "description": "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            }
        offset = int(params.get("offset", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        timeout = min(float(params.get("timeout", 0) or 0), 30.0)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                while self._updates and offset and int(self._updates[0]["update_id"]) < offset:
                    self._updates.popleft()  # confirmed by the offset
                batch = [u for u in itertools.islice(self._updates, 0, limit)]
            if batch or time.monotonic() >= deadline or self.stopping or client_gone():
                return self._ok(batch)
            await asyncio.sleep(0.01)

    def _chat_error(self, chat_id: str) -> tuple[int, Any] | None:
        if chat_id in self.blocked:
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        if chat_id in self.kicked:
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was kicked from the group chat"}
        if chat_id in self.missing:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        if chat_id in self.migrated:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": int(self.migrated[chat_id])},
            }
        return None

    def _check_limits(self, chat_id: str, now: float) -> list[str]:
        """Record a send and return the limits it breaks."""
        broken = []
        window = self._global
        while window and window[0] <= now - (1.0 - _SLACK):
            window.popleft()
        if len(window) >= GLOBAL_PER_SECOND:
            broken.append("global_per_second")
        window.append(now)
        per_chat = self._per_chat.setdefault(chat_id, deque())
        is_group = chat_id.startswith("-")
        span = 60.0 if is_group else 1.0
        while per_chat and per_chat[0] <= now - (span - _SLACK):
            per_chat.popleft()
        recent_second = sum(1 for t in per_chat if t > now - (1.0 - _SLACK))
        if recent_second >= PER_CHAT_PER_SECOND:
            broken.append("per_chat_per_second")
        if is_group and len(per_chat) >= PER_GROUP_PER_MINUTE:
            broken.append("per_group_per_minute")
        per_chat.append(now)
        return broken

    async def _send(self, method: str, params: dict[str, Any], text_key: str) -> tuple[int, Any]:
        chat_id = str(params.get("chat_id", "")).strip()
        if not chat_id:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"}
        text = str(params.get(text_key, "") or "")
        with self._lock:
            error = self._chat_error(chat_id)
        if error:
            return error
        if method == "sendMessage":
            if not text.strip():
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            if len(text.encode("utf-16-le")) // 2 > 4096:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
        if params.get("parse_mode") and self.reject_entities:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: can't parse entities: can't find end of the entity starting at byte offset 0",
            }
        now = time.time()
        with self._lock:
            if self.enforce_limits:
                broken = self._check_limits(chat_id, time.monotonic())
                if broken:
                    self.violations.append({"chat_id": chat_id, "limits": broken, "at": now})
                    if self.limits_reply_429:
                        return 429, {
                            "ok": False,
                            "error_code": 429,
                            "description": f"Too Many Requests: retry after {self.retry_after}",
                            "parameters": {"retry_after": self.retry_after},
                        }
            message_id = next(self._message_ids)
        reply_to = params.get("reply_to_message_id")
        if reply_to is None and params.get("reply_parameters"):
            rp = params["reply_parameters"]
            if isinstance(rp, str):
                try:
                    rp = json.loads(rp)
                except ValueError:
                    rp = {}
            reply_to = rp.get("message_id") if isinstance(rp, dict) else None
        self._record_sent(
            {
                "chat_id": chat_id,
                "text": text,
                "at": now,
                "method": method,
                "message_id": message_id,
                "reply_to": str(reply_to) if reply_to is not None else None,
                "parse_mode": params.get("parse_mode"),
            }
        )
        cid = int(chat_id) if chat_id.lstrip("-").isdigit() else 0
        chat_type = "private" if cid > 0 else "supergroup" if chat_id.startswith("-100") else "group"
        result = {
            "message_id": message_id,
            "date": int(now),
            "chat": {"id": cid, "type": chat_type, **({"title": "Nhóm"} if chat_type != "private" else {})},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Loa", "username": BOT_USERNAME},
        }
        if method == "sendMessage":
            result["text"] = text
        else:
            result["photo"] = [{"file_id": "p1", "file_unique_id": "u1", "width": 1, "height": 1}]
            if text:
                result["caption"] = text
        return self._ok(result)

    async def _api_sendmessage(self, params: dict[str, Any]) -> tuple[int, Any]:
        return await self._send("sendMessage", params, "text")

    async def _api_sendphoto(self, params: dict[str, Any]) -> tuple[int, Any]:
        return await self._send("sendPhoto", params, "caption")

    async def _api_sendchataction(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = str(params.get("chat_id", ""))
        with self._lock:
            error = self._chat_error(chat_id)
        return error or self._ok(True)

    async def _api_getchatmembercount(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = str(params.get("chat_id", ""))
        with self._lock:
            error = self._chat_error(chat_id)
        return error or self._ok(self.member_counts.get(chat_id, 12))

    async def _api_getchatadministrators(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = str(params.get("chat_id", ""))
        with self._lock:
            error = self._chat_error(chat_id)
            admins = sorted(self.admins.get(chat_id, set()))
        if error:
            return error
        return self._ok(
            [
                {
                    "status": "creator",
                    "user": {"id": int(uid), "is_bot": False, "first_name": "Tổ trưởng"},
                    "is_anonymous": False,
                }
                for uid in admins
            ]
        )

    async def _api_getchatmember(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = str(params.get("chat_id", ""))
        user_id = str(params.get("user_id", ""))
        with self._lock:
            error = self._chat_error(chat_id)
            is_admin = user_id in self.admins.get(chat_id, set())
        if error:
            return error
        user = {"id": int(user_id) if user_id.lstrip("-").isdigit() else 0, "is_bot": False, "first_name": "Lan"}
        if is_admin:
            return self._ok(
                {
                    "status": "administrator",
                    "user": user,
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": False,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            )
        return self._ok({"status": "member", "user": user})

    # --- control ------------------------------------------------------------------------------
    def control(self, name: str, data: dict[str, Any]) -> tuple[int, Any]:
        """block / kick / not_found {chat_id}; migrate {chat_id, new_id}; message {chat_id, text}."""
        if name in ("block", "kick", "not_found"):
            getattr(self, name)(data["chat_id"])
            return 200, {"ok": True}
        if name == "migrate":
            self.migrate(data["chat_id"], data["new_id"])
            return 200, {"ok": True}
        if name == "message":
            return 200, {"update_id": self.push_message(data["chat_id"], data.get("text"))}
        if name == "violations":
            return 200, {"violations": list(self.violations)}
        return super().control(name, data)


def main(argv: list[str] | None = None) -> None:
    """Run the fake server in the foreground."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server for Loa tests and benchmarks.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--failure-rate", type=float, default=0.0)
    parser.add_argument("--enforce-limits", action="store_true")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every reply")
    args = parser.parse_args(argv)
    server = FakeTelegramAPI(args.token, port=args.port)
    server.failure_rate = args.failure_rate
    server.enforce_limits = args.enforce_limits
    server.latency = args.latency
    print(f"fake Telegram Bot API on http://127.0.0.1:{args.port} token {args.token}", flush=True)
    # Ctrl-C / SIGINT is how benchmarks and tests stop it: exit quietly, not with a traceback.
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
