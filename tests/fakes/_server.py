"""The common part of the fake Bot API servers: uvicorn + a raw ASGI app in a thread.

A raw ASGI callable (no framework routing) keeps a request well under a millisecond, so a
10,000-message broadcast benchmark measures the bot, not the fake. The server binds its own
socket on 127.0.0.1 (port 0 = random) before the thread starts, so ``base_url`` is known at
once. Control endpoints under ``/_fake/`` let a test in another process read what was sent
and turn the failure knobs (for benchmarks and SIGKILL tests).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Self
from urllib.parse import parse_qsl

import uvicorn

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

#: Failure kinds understood by every fake: HTTP 429, 500, 502, a slow reply, a malformed body.
FAILURE_KINDS = ("429", "500", "502", "slow", "malformed")

#: Knobs a separate process may set through ``POST /_fake/configure``.
CONFIG_KNOBS = (
    "failure_rate",
    "failure_kinds",
    "retry_after",
    "slow_seconds",
    "enforce_limits",
    "limits_reply_429",
    "reject_entities",
    "errors_as_http_200",
    "updates_as_list",
    "latency",
)


_disconnected: contextvars.ContextVar[asyncio.Event | None] = contextvars.ContextVar("disconnected", default=None)


def client_gone() -> bool:
    """True when the client of the request being handled has hung up (long polls check it)."""
    event = _disconnected.get()
    return event is not None and event.is_set()


async def _watch_disconnect(receive: Receive, event: asyncio.Event) -> None:
    while True:
        message = await receive()
        if message.get("type") == "http.disconnect":
            event.set()
            return


class FakeBotServer:
    """Base class: lifecycle, request parsing, failure injection, control endpoints."""

    #: Path prefix before the token, e.g. ``/bot`` → ``/bot<token>/<method>``.
    token_prefix = "/bot"

    def __init__(self, token: str, *, port: int = 0, seed: int = 0) -> None:
        self.token = token
        self._port = port
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._rng = random.Random(seed)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.stopping = False
        # Knobs.
        self.failure_rate = 0.0
        self.failure_kinds: tuple[str, ...] = ("429", "500", "slow")
        self.retry_after = 1
        self.slow_seconds = 2.0
        self.latency = 0.0  # added to every API reply (seconds), like a far-away server
        self._fail_next: deque[tuple[str, str | None]] = deque()
        # Records.
        self.sent: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.failures_injected = 0

    # --- lifecycle --------------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._sock is None:
            raise RuntimeError("server not started")
        return int(self._sock.getsockname()[1])

    @property
    def base_url(self) -> str:
        """The server root, e.g. ``http://127.0.0.1:40123`` (LOA_*_BASE_URL)."""
        return f"http://127.0.0.1:{self.port}"

    def _config(self) -> uvicorn.Config:
        return uvicorn.Config(
            self,
            lifespan="off",
            log_level="warning",
            access_log=False,
            http="h11",
            loop="asyncio",
            timeout_keep_alive=60,
            timeout_graceful_shutdown=1,
            backlog=4096,
        )

    def _bind(self) -> socket.socket:
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
        # proto is TCP; with proto 0 every reply waits ~40 ms for a delayed ACK (Nagle).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        sock.set_inheritable(True)
        self._sock = sock
        return sock

    def start(self) -> Self:
        """Start serving in a daemon thread; returns when the server accepts connections."""
        sock = self._bind()
        self._server = uvicorn.Server(self._config())
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake Bot API server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        self.stopping = True
        with self._changed:
            self._changed.notify_all()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()

    def serve_forever(self) -> None:
        """Serve in the current thread until interrupted (command-line use)."""
        sock = self._bind()
        self._server = uvicorn.Server(self._config())
        self._server.run(sockets=[sock])

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    # --- knobs ------------------------------------------------------------------------------
    def fail_next(self, kind: str, times: int = 1, *, method: str | None = None) -> None:
        """Make the next ``times`` calls (of ``method``, or any) fail with ``kind``."""
        if kind not in self.known_failures():
            raise ValueError(f"unknown failure kind {kind!r}")
        with self._lock:
            for _ in range(times):
                self._fail_next.append((kind, method))

    def known_failures(self) -> tuple[str, ...]:
        """Failure kinds this fake can produce."""
        return FAILURE_KINDS

    def configure(self, **knobs: Any) -> None:
        """Set knobs by name (also reachable as ``POST /_fake/configure``)."""
        for name, value in knobs.items():
            if name not in CONFIG_KNOBS or not hasattr(self, name):
                raise ValueError(f"unknown knob {name!r}")
            if name == "failure_kinds":
                value = tuple(value)
            setattr(self, name, value)

    def _pick_failure(self, method: str) -> str | None:
        with self._lock:
            for i, (kind, only) in enumerate(self._fail_next):
                if only is None or only == method:
                    del self._fail_next[i]
                    self.failures_injected += 1
                    return kind
            if self.failure_rate and self._rng.random() < self.failure_rate:
                self.failures_injected += 1
                return self._rng.choice(self.failure_kinds)
        return None

    # --- waiting ------------------------------------------------------------------------------
    def wait_for_sent(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until at least ``count`` messages were sent; return them (or raise)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.sent) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"expected {count} sent message(s), got {len(self.sent)}: {self.sent!r}")
                self._changed.wait(left)
            return list(self.sent)

    async def async_wait_for_sent(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """``wait_for_sent`` without blocking the event loop."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} sent message(s), got {len(self.sent)}: {self.sent!r}")
            await asyncio.sleep(0.005)
        return list(self.sent)

    def texts(self, chat_id: str | int | None = None) -> list[str]:
        """Texts sent (to one chat, or all), in order."""
        with self._lock:
            return [s["text"] for s in self.sent if chat_id is None or s["chat_id"] == str(chat_id)]

    def calls(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every request to ``method``."""
        with self._lock:
            return [r["params"] for r in self.requests if r["method"] == method]

    def _record_sent(self, entry: dict[str, Any]) -> None:
        with self._changed:
            self.sent.append(entry)
            self._changed.notify_all()

    # --- ASGI -------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if path.startswith("/_fake/"):
            status, payload = self._control(path[len("/_fake/") :], scope["method"], bytes(body))
            await _respond(send, status, json.dumps(payload).encode())
            return
        params, error = _parse_params(scope.get("query_string", b""), headers.get("content-type", ""), bytes(body))
        prefix = self.token_prefix
        if not path.startswith(prefix) or "/" not in path[len(prefix) :]:
            await _respond(send, 404, self.error_body(404, "Not Found"))
            return
        token, _, method = path[len(prefix) :].partition("/")
        if token != self.token:
            await _respond(send, 401, self.error_body(401, "Unauthorized"))
            return
        if error:
            await _respond(send, 400, self.error_body(400, f"Bad Request: {error}"))
            return
        with self._lock:
            self.requests.append({"method": method, "params": params, "at": time.time()})
        if self.latency:
            await asyncio.sleep(self.latency)
        failure = self._pick_failure(method)
        if failure == "slow":
            await asyncio.sleep(self.slow_seconds)
            failure = None
        if failure == "malformed":
            await _respond(send, 200, b'{"ok": true, "result": {"message_id": ')
            return
        if failure is not None:
            status, payload = self.failure_response(failure, method)
        elif method.lower() == "getupdates":
            # Watch for a client that gives up, so an abandoned long poll takes no update.
            gone = asyncio.Event()
            watcher = asyncio.create_task(_watch_disconnect(receive, gone))
            token_ = _disconnected.set(gone)
            try:
                status, payload = await self.handle(method, params, headers)
            finally:
                _disconnected.reset(token_)
                watcher.cancel()
        else:
            status, payload = await self.handle(method, params, headers)
        await _respond(send, status, payload if isinstance(payload, bytes) else json.dumps(payload).encode())

    # --- to implement -------------------------------------------------------------------------
    def error_body(self, code: int, description: str, **extra: Any) -> bytes:
        """A platform-shaped error body."""
        return json.dumps({"ok": False, "error_code": code, "description": description, **extra}).encode()

    def failure_response(self, kind: str, method: str) -> tuple[int, dict[str, Any]]:
        """The reply for an injected failure ``kind``."""
        if kind == "429":
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {self.retry_after}",
                "parameters": {"retry_after": self.retry_after},
            }
        code = int(kind)
        return code, {"ok": False, "error_code": code, "description": "Internal Server Error"}

    async def handle(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        """Answer one API call: (HTTP status, JSON-able body or bytes)."""
        raise NotImplementedError

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget what was sent and every knob set since start."""
        with self._lock:
            self.sent.clear()
            self.requests.clear()
            self._fail_next.clear()
            self.failure_rate = 0.0
            self.failures_injected = 0

    def stats(self) -> dict[str, Any]:
        """Counters for the control endpoint."""
        return {"sent": len(self.sent), "requests": len(self.requests), "failures_injected": self.failures_injected}

    # --- control endpoints --------------------------------------------------------------------
    def _control(self, name: str, http_method: str, body: bytes) -> tuple[int, Any]:
        try:
            data = json.loads(body) if body else {}
        except ValueError:
            return 400, {"error": "body must be JSON"}
        try:
            if name == "sent":
                with self._lock:
                    return 200, {"sent": list(self.sent)}
            if name == "requests":
                with self._lock:
                    return 200, {"requests": list(self.requests)}
            if name == "stats":
                return 200, self.stats()
            if http_method != "POST":
                return 405, {"error": "use POST"}
            if name == "configure":
                self.configure(**data)
                return 200, {"ok": True}
            if name == "fail_next":
                self.fail_next(data["kind"], int(data.get("times", 1)), method=data.get("method"))
                return 200, {"ok": True}
            if name == "update":
                self.push_update(data)
                return 200, {"ok": True}
            if name == "reset":
                self.reset()
                return 200, {"ok": True}
            return self.control(name, data)
        except (ValueError, KeyError, TypeError) as exc:
            return 400, {"error": str(exc)}

    def control(self, name: str, data: dict[str, Any]) -> tuple[int, Any]:
        """Platform-specific control endpoints (block, migrate, ...)."""
        return 404, {"error": f"unknown control {name!r}"}


async def _respond(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _parse_params(query: bytes, content_type: str, body: bytes) -> tuple[dict[str, Any], str | None]:
    """Request parameters from the query string and a JSON, form or multipart body."""
    params: dict[str, Any] = dict(parse_qsl(query.decode("latin-1"), keep_blank_values=True))
    if not body:
        return params, None
    ctype = content_type.split(";")[0].strip().lower()
    try:
        if ctype == "application/json":
            data = json.loads(body)
            if not isinstance(data, dict):
                return params, "body must be a JSON object"
            params.update(data)
        elif ctype == "application/x-www-form-urlencoded":
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        elif ctype == "multipart/form-data":
            params.update(_parse_multipart(content_type, body))
        else:
            return params, f"unsupported content type {ctype!r}"
    except (ValueError, UnicodeDecodeError) as exc:
        return params, f"cannot parse body: {exc}"
    return params, None


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Text fields of a multipart body; file parts become ``<file NAME, N bytes>``."""
    boundary = ""
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        raise ValueError("multipart without boundary")
    out: dict[str, Any] = {}
    for chunk in body.split(b"--" + boundary.encode()):
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        data = data.removesuffix(b"\r\n")
        disposition = head.decode("utf-8", "replace")
        name = _header_param(disposition, "name")
        if name is None:
            continue
        filename = _header_param(disposition, "filename")
        out[name] = f"<file {filename}, {len(data)} bytes>" if filename is not None else data.decode("utf-8")
    return out


def _header_param(header: str, key: str) -> str | None:
    marker = f'{key}="'
    for piece in header.replace("\r\n", ";").split(";"):
        piece = piece.strip()
        if piece.startswith(marker):
            return piece[len(marker) : -1]
    return None
