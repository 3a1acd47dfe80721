"""A small Zalo Bot API server for tests and benchmarks (real HTTP on 127.0.0.1).

Shape of the real platform (bot-api.zaloplatforms.com): ``POST /bot<TOKEN>/<method>`` with
a JSON body; answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N,
"description": "..."}``. getUpdates long-polls and answers 408 when nothing arrived; one
update per call (``updates_as_list`` returns a list instead, as some deployments do).
Knobs as in ``FakeTelegramAPI``; ``errors_as_http_200`` answers errors with HTTP 200 and
``ok: false`` (the platform does both).

Run as a process: ``python3 -m tests.fakes.zalo_api --port 8082``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import time
from collections import deque
from typing import Any

from tests.fakes._server import FakeBotServer, client_gone

DEFAULT_TOKEN = "1234567890:fake-zalo-token"
BOT_ID = "5391847293"


class FakeZaloAPI(FakeBotServer):
    """A Zalo Bot API server that records sends and fails on request."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, port: int = 0, seed: int = 0) -> None:
        super().__init__(token, port=port, seed=seed)
        self.blocked: set[str] = set()
        self.missing: set[str] = set()
        self.errors_as_http_200 = False
        self.updates_as_list = False
        self.webhook: dict[str, Any] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._message_ids = itertools.count(1)

    # --- knobs --------------------------------------------------------------------------------
    def block(self, chat_id: str | int) -> None:
        """The user blocked the bot / the bot left the group: 403 on every send."""
        self.blocked.add(str(chat_id))

    def not_found(self, chat_id: str | int) -> None:
        """Unknown chat: 404."""
        self.missing.add(str(chat_id))

    def reset(self) -> None:
        """Forget sends and chat states."""
        super().reset()
        with self._lock:
            self.blocked.clear()
            self.missing.clear()
            self._updates.clear()

    def _error(self, code: int, description: str, **extra: Any) -> tuple[int, Any]:
        body = {"ok": False, "error_code": code, "description": description, **extra}
        return (200 if self.errors_as_http_200 else code), body

    def failure_response(self, kind: str, method: str) -> tuple[int, dict[str, Any]]:
        """Zalo-shaped bodies for injected failures."""
        if kind == "429":
            return self._error(429, "Too many requests", parameters={"retry_after": self.retry_after})
        return self._error(int(kind), "Internal server error")

    # --- updates ------------------------------------------------------------------------------
    def make_update(
        self,
        chat_id: str | int,
        text: str | None = None,
        *,
        user_id: str | None = None,
        chat_type: str = "PRIVATE",
        event_name: str | None = None,
        photo_url: str | None = None,
        name: str = "Lan",
    ) -> dict[str, Any]:
        """A bare update ``{event_name, message}`` as the platform sends it."""
        message: dict[str, Any] = {
            "from": {"id": str(user_id or chat_id), "display_name": name, "is_bot": False},
            "chat": {"id": str(chat_id), "chat_type": chat_type},
            "message_id": f"m{next(self._message_ids)}",
            "date": int(time.time() * 1000),
        }
        if text is not None:
            message["text"] = text
        if photo_url is not None:
            message["photo_url"] = photo_url
        if event_name is None:
            event_name = "message.image.received" if photo_url else "message.text.received"
        return {"event_name": event_name, "message": message}

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue a (bare) update for getUpdates."""
        with self._changed:
            self._updates.append(dict(update))
            self._changed.notify_all()

    def push_message(self, chat_id: str | int, text: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """Queue a message update (see ``make_update``) and return it."""
        update = self.make_update(chat_id, text, **kwargs)
        self.push_update(update)
        return update

    # --- API ------------------------------------------------------------------------------------
    async def handle(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        """Answer one Zalo Bot API method."""
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return self._error(404, "Method not found")
        return await handler(params)

    @staticmethod
    def _ok(result: Any) -> tuple[int, Any]:
        return 200, {"ok": True, "result": result}

    async def _api_getme(self, params: dict[str, Any]) -> tuple[int, Any]:
        return self._ok({"id": BOT_ID, "account_name": "bot.loa", "account_type": "BASIC", "can_join_groups": True})

    async def _api_setwebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        url, secret = str(params.get("url", "")), str(params.get("secret_token", ""))
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            return self._error(400, "Webhook url must be https")
        if not 8 <= len(secret) <= 256:
            return self._error(400, "secret_token must be 8-256 characters")
        with self._lock:
            self.webhook = {"url": url, "secret_token": secret, "updated_at": int(time.time() * 1000)}
        return self._ok({"url": url, "updated_at": self.webhook["updated_at"]})

    async def _api_deletewebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        with self._lock:
            self.webhook = {}
        return self._ok({"url": "", "updated_at": int(time.time() * 1000)})

    async def _api_getwebhookinfo(self, params: dict[str, Any]) -> tuple[int, Any]:
        with self._lock:
            return self._ok({"url": self.webhook.get("url", ""), "updated_at": self.webhook.get("updated_at", 0)})

    async def _api_getupdates(self, params: dict[str, Any]) -> tuple[int, Any]:
        if self.webhook:
            return self._error(409, "Webhook is active; delete it before calling getUpdates")
        timeout = min(float(params.get("timeout", 0) or 0), 30.0)
        deadline = time.monotonic() + timeout
        while True:
            if client_gone():
                return self._error(408, "Request timeout")
            with self._lock:
                if self._updates:
                    if self.updates_as_list:
                        batch = list(self._updates)
                        self._updates.clear()
                        return self._ok(batch)
                    return self._ok(self._updates.popleft())
            if time.monotonic() >= deadline or self.stopping:
                return self._error(408, "Request timeout")
            await asyncio.sleep(0.01)

    def _chat_error(self, chat_id: str) -> tuple[int, Any] | None:
        if not chat_id:
            return self._error(400, "chat_id is required")
        if chat_id in self.blocked:
            return self._error(403, "User has blocked the bot or the bot is not in the chat")
        if chat_id in self.missing:
            return self._error(404, "Chat not found")
        return None

    async def _send(self, method: str, params: dict[str, Any], text: str) -> tuple[int, Any]:
        chat_id = str(params.get("chat_id", "")).strip()
        error = self._chat_error(chat_id)
        if error:
            return error
        if method == "sendMessage":
            if not text.strip():
                return self._error(400, "text is required")
            if len(text) > 2000:
                return self._error(400, "text is too long (max 2000 characters)")
        now = time.time()
        message_id = f"s{next(self._message_ids)}"
        entry = {"chat_id": chat_id, "text": text, "at": now, "method": method, "message_id": message_id}
        if method == "sendPhoto":
            entry["photo"] = str(params.get("photo", ""))
        self._record_sent(entry)
        return self._ok({"message_id": message_id, "date": int(now * 1000)})

    async def _api_sendmessage(self, params: dict[str, Any]) -> tuple[int, Any]:
        return await self._send("sendMessage", params, str(params.get("text", "") or ""))

    async def _api_sendphoto(self, params: dict[str, Any]) -> tuple[int, Any]:
        if not params.get("photo"):
            return self._error(400, "photo is required")
        return await self._send("sendPhoto", params, str(params.get("caption", "") or ""))

    async def _api_sendchataction(self, params: dict[str, Any]) -> tuple[int, Any]:
        error = self._chat_error(str(params.get("chat_id", "")))
        return error or self._ok(True)

    # --- control ------------------------------------------------------------------------------
    def control(self, name: str, data: dict[str, Any]) -> tuple[int, Any]:
        """block / not_found {chat_id}; message {chat_id, text}."""
        if name in ("block", "not_found"):
            getattr(self, name)(data["chat_id"])
            return 200, {"ok": True}
        if name == "message":
            return 200, self.push_message(data["chat_id"], data.get("text"))
        return super().control(name, data)


def main(argv: list[str] | None = None) -> None:
    """Run the fake server in the foreground."""
    parser = argparse.ArgumentParser(description="Fake Zalo Bot API server for Loa tests and benchmarks.")
    parser.add_argument("--port", type=int, default=8082)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--failure-rate", type=float, default=0.0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every reply")
    args = parser.parse_args(argv)
    server = FakeZaloAPI(args.token, port=args.port)
    server.failure_rate = args.failure_rate
    server.latency = args.latency
    print(f"fake Zalo Bot API on http://127.0.0.1:{args.port} token {args.token}", flush=True)
    # Ctrl-C / SIGINT is how benchmarks and tests stop it: exit quietly, not with a traceback.
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
