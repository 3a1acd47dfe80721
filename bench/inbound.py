"""Inbound throughput: Telegram webhook → dialog → reply, beside a bare PTB echo bot.

Three processes per side: the fake Bot API server (``tests.fakes.telegram_api``), the bot
(``loa run`` in webhook mode, or a bare python-telegram-bot echo bot behind the same kind of
uvicorn webhook), and this script posting updates to the webhook with N concurrent
connections. The clock stops when the fake server has received every reply.

Both bots run at once and get the updates in alternating rounds, so a change in machine
load affects both alike; each side's median round is reported.

Run: ``python3 bench/inbound.py [--updates 2000] [--rounds 4] [--concurrency 16] [--questions]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-fake-telegram-token"
SECRET = "bench-secret"
#: Cheap dialog turns (commands, menu): measures the channel path itself.
COMMANDS = ["/help", "menu", "xin chào", "/start"]
#: Residents' questions: adds the FAQ / site look-up / scam check cost.
QUESTIONS = ["khám sức khỏe miễn phí ở đâu", "cách cài vneid", "tích hợp sổ sức khỏe điện tử", "menu"]
TEXTS = COMMANDS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


# --- the bare echo bot (run in a subprocess with --echo PORT API) -------------------------------
def echo_main(port: int, api: str) -> None:
    """A minimal PTB echo bot served by uvicorn: the baseline."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters
    from telegram.request import HTTPXRequest

    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{api}/bot")
        .request(HTTPXRequest(connection_pool_size=8))  # as Loa's adapter
        .updater(None)
        .concurrent_updates(64)
        .build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def webhook(request: Request) -> Response:
        data = await request.json()
        await application.update_queue.put(Update.de_json(data, application.bot))
        return Response()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):  # type: ignore[no-untyped-def]
        async with application:
            await application.start()
            yield
            await application.stop()

    app = Starlette(routes=[Route("/webhook/telegram", webhook, methods=["POST"])], lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# --- load ---------------------------------------------------------------------------------------------
def make_update(i: int) -> dict:
    """Update ``i`` (the bot ignores a repeated update_id, so runs use disjoint ranges)."""
    chat = 10_000 + i % 500
    text = TEXTS[i % len(TEXTS)]
    message = {
        "message_id": i + 1,
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private", "first_name": "Lan"},
        "from": {"id": chat, "is_bot": False, "first_name": "Lan"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": i + 1, "message": message}


async def drive(webhook: str, api: str, n: int, concurrency: int, first: int = 0) -> tuple[float, int]:
    """Post ``n`` updates; return (seconds from the first post to the last reply, replies)."""
    bodies = [json.dumps(make_update(first + i)).encode() for i in range(n)]
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        start_sent = (await http.get(f"{api}/_fake/stats")).json()["sent"]
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        for body in bodies:
            queue.put_nowait(body)
        errors = 0

        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                body = queue.get_nowait()
                r = await http.post(webhook, content=body, headers=headers)
                if r.status_code != 200:
                    errors += 1

        started = time.time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        # Replies per update vary by text; wait until no new reply came for a second.
        sent, last_change = start_sent, time.monotonic()
        while time.monotonic() - last_change < 1.0:
            now_sent = (await http.get(f"{api}/_fake/stats")).json()["sent"]
            if now_sent != sent:
                sent, last_change = now_sent, time.monotonic()
            await asyncio.sleep(0.05)
        records = (await http.get(f"{api}/_fake/sent")).json()["sent"][start_sent:]
        elapsed = max(r["at"] for r in records) - started if records else float("inf")
        if errors:
            print(f"  warning: {errors} webhook posts failed", file=sys.stderr)
        return elapsed, sent - start_sent


def start_bot(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, env=env, cwd=env.get("BENCH_CWD", str(ROOT)), stdout=subprocess.DEVNULL)
    wait_port(port)
    return proc


def stop_bot(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def compare(sides: dict[str, int], api: str, args: argparse.Namespace) -> dict[str, float]:
    """Alternate rounds between the bots (both running) so load changes hit both alike;
    return each side's median rate."""
    rates: dict[str, list[float]] = {name: [] for name in sides}
    per_round = max(1, args.updates // args.rounds)
    first = 0
    for port in sides.values():  # warm up: imports, caches, FAQ index
        asyncio.run(drive(f"http://127.0.0.1:{port}/webhook/telegram", api, 50, 4, first=10_000_000 + first))
        first += 50
    first = 0
    for _ in range(args.rounds):
        for name, port in sides.items():
            webhook = f"http://127.0.0.1:{port}/webhook/telegram"
            elapsed, _replies = asyncio.run(drive(webhook, api, per_round, args.concurrency, first=first))
            first += per_round
            rates[name].append(per_round / elapsed)
    out = {}
    for name, values in rates.items():
        out[name] = statistics.median(values)
        spread = ", ".join(f"{v:.0f}" for v in values)
        print(f"{name:<28} median {out[name]:7.1f} updates/s  (rounds of {per_round}: {spread})")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per bot")
    parser.add_argument("--questions", action="store_true", help="send residents' questions instead of commands")
    parser.add_argument("--echo", nargs=2, metavar=("PORT", "API"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo:
        echo_main(int(args.echo[0]), args.echo[1])
        return
    global TEXTS
    TEXTS = QUESTIONS if args.questions else COMMANDS

    api_port = free_port()
    api = f"http://127.0.0.1:{api_port}"
    fake = subprocess.Popen(
        [sys.executable, "-W", "ignore::RuntimeWarning", "-m", "tests.fakes.telegram_api", "--port", str(api_port), "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_port(api_port)
        mix = "questions" if args.questions else "commands/menu"
        print(
            f"inbound benchmark: {args.updates} updates per bot ({mix}), {args.concurrency} concurrent posts,"
            f" {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        with tempfile.TemporaryDirectory() as tmp:
            loa_port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
            env.update(
                {
                    "LOA_DB": str(Path(tmp) / "bench.db"),
                    "LOA_SECRET_KEY": "bench",
                    "LOA_PORT": str(loa_port),
                    "LOA_PUBLIC_URL": f"http://127.0.0.1:{loa_port}",
                    "LOA_TELEGRAM_TOKEN": TOKEN,
                    "LOA_TELEGRAM_BASE_URL": api,
                    "LOA_TELEGRAM_MODE": "webhook",
                    "LOA_TELEGRAM_WEBHOOK_SECRET": SECRET,
                    "LOA_LOG_LEVEL": "WARNING",
                    "LOA_CONTENT_DIR": str(ROOT),
                    "BENCH_CWD": tmp,
                }
            )
            loa_cmd = [sys.executable, "-m", "bot", "run"]
            echo_port = free_port()
            echo_cmd = [sys.executable, str(Path(__file__).resolve()), "--echo", str(echo_port), api]
            loa = start_bot(loa_cmd, env, loa_port)
            echo = start_bot(echo_cmd, dict(env, BENCH_CWD=str(ROOT)), echo_port)
            try:
                rates = compare({"Loa (webhook→dialog→reply)": loa_port, "bare PTB echo bot": echo_port}, api, args)
            finally:
                stop_bot(loa)
                stop_bot(echo)
        ours, bare = rates.values()
        print(f"ratio Loa / bare echo: {ours / bare:.2f}   (load average now {os.getloadavg()[0]:.1f})")
    finally:
        fake.send_signal(signal.SIGINT)
        try:
            fake.wait(timeout=10)
        except subprocess.TimeoutExpired:
            fake.kill()


if __name__ == "__main__":
    main()
