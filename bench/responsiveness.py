"""Residents' reply latency while other work runs: the event loop must stay free.

``loa run`` (webhook mode) runs in its own process against the fake Telegram Bot API
(``tests.fakes.telegram_api``, in this process). A probe sends a resident's message every
``--interval`` seconds, alternating the web chat (``POST /api/chat``, time to the HTTP
answer) and the Telegram webhook (time from the POST to the fake server receiving the
reply). p50/p99/max are measured idle, then while:

  (a) a 10,000-chat broadcast runs at Telegram's limit (30/s),
  (b) the yearly report of a heavy year is downloaded from the admin (.docx),
  (c) a 5,000-row XLSX schedule is imported from the admin,
  (d) 20 officers log in at once (real argon2 parameters),
  (e) another process holds SQLite's write lock for 10 s (Telegram probes send /start:
      every one must be answered and, after the lock, subscribed).

Each p99 is compared with ``1.5 × idle p99 + 20 ms`` (the target); under (e) no reply may
come later than 1 s. ``--scale`` shrinks the heavy year (1.0 = 2,000,000 events and
500,000 deliveries, as ``bench/report.py``; default 0.1 for a quick run).

    python3 bench/responsiveness.py [--scale 0.1] [--seconds 15] [--interval 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402

TOKEN = "123456:TEST-fake-telegram-token"
SECRET = "bench-secret"
PASSWORD = "mat-khau-bench-2026"
QUESTIONS = ["khám sức khỏe miễn phí ở đâu", "cách cài vneid", "tích hợp sổ sức khỏe điện tử", "/help"]
LOCK_SECONDS = 10.0


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ArrivalAPI(FakeTelegramAPI):
    """The fake Bot API, noting when the first reply to each chat arrives."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrivals: dict[str, float] = {}

    def _record_sent(self, entry: dict[str, Any]) -> None:
        self.arrivals.setdefault(str(entry["chat_id"]), time.perf_counter())
        super()._record_sent(entry)


# --- preparation ----------------------------------------------------------------------------------
def prepare(db: Path, scale: float, chats: int) -> int:
    """The heavy year, 10,000 chats, an approved message, 21 officers; return the message id."""
    from bot.broadcast import messages
    from bot.config import Settings
    from bot.reference import ensure_reference_data
    from bot.store import Store
    from bot.users import add_user

    settings = Settings(db=db, secret_key="bench", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(db)
    if store.get_meta("bench_responsiveness_message"):  # --db reused: prepared already
        mid = int(store.get_meta("bench_responsiveness_message") or 0)
        store.close()
        return mid
    ensure_reference_data(store, settings)
    t0 = time.perf_counter()
    _load("report").generate(store, settings, int(2_000_000 * scale), int(500_000 * scale), 2_000)
    print(f"heavy year ({scale:g} of bench/report.py's) generated in {time.perf_counter() - t0:.0f} s")
    add_user(store, "bt", ["editor"])
    add_user(store, "ld", ["approver"])
    for i in range(21):
        add_user(store, f"canbo{i}", ["admin"], PASSWORD)
    mid, _ = messages.create_message(
        store, kind="campaign", theme="screening", title="Bench", body="Khám sức khỏe miễn phí năm 2026.", author="bt"
    )
    messages.submit(store, mid)
    seen = messages.review(store, settings, mid)
    messages.approve(store, settings, mid, "ld", version_id=seen.version_id, text_hash=seen.text_hash)
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO chats (channel, chat_id, kind, title, unit, tags, status, opted_out, created_at, updated_at)"
            " VALUES ('telegram', ?, 'private', '', '', '[\"bench\"]', 'active', 0, '2026-01-01T00:00:00',"
            " '2026-01-01T00:00:00')",
            [(str(700000 + i),) for i in range(chats)],
        )
    store.set_meta("bench_responsiveness_message", str(mid))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return int(mid)


def write_xlsx(path: Path, db: Path, rows: int) -> None:
    import openpyxl

    from bot.store import Store
    from bot.store.units import list_units

    store = Store.open(db, migrate=False)
    units = [u["name"] for u in list_units(store, "Hải Phòng")]
    store.close()
    sites = _load("sites_import")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(sites.HEADER)
    for row in sites.make_rows(rows, units):
        ws.append(row)
    wb.save(path)


# --- the probe -------------------------------------------------------------------------------------
class Probe:
    """Residents' messages at a steady pace; latencies per channel."""

    def __init__(self, base: str, tg: ArrivalAPI, interval: float) -> None:
        self.base, self.tg, self.interval = base, tg, interval
        self.next_chat = 900_000
        self.update_id = 1
        self.start_chats: list[str] = []
        self.lost = 0

    async def run(
        self, seconds: float, *, start_command: bool = False, load: asyncio.Future[str] | None = None
    ) -> dict[str, list[float]]:
        """Probe for ``seconds`` (and until ``load`` is done); return latencies (s) per channel."""
        out: dict[str, list[float]] = {"web": [], "telegram": []}
        pending: set[asyncio.Task[None]] = set()
        async with httpx.AsyncClient(timeout=30, verify=False) as http:
            end = time.perf_counter() + seconds
            i = 0
            while time.perf_counter() < end or (load is not None and not load.done()):
                coro = self._web(http, i, out) if i % 2 == 0 else self._telegram(http, i, out, start_command)
                task = asyncio.ensure_future(coro)
                pending.add(task)
                task.add_done_callback(pending.discard)
                i += 1
                await asyncio.sleep(self.interval)
            if pending:
                await asyncio.gather(*pending)
        return out

    async def _web(self, http: httpx.AsyncClient, i: int, out: dict[str, list[float]]) -> None:
        t0 = time.perf_counter()
        r = await http.post(f"{self.base}/api/chat", json={"text": QUESTIONS[i // 2 % len(QUESTIONS)], "session": f"p{i}"})
        if r.status_code == 200 and r.json().get("replies"):
            out["web"].append(time.perf_counter() - t0)
        else:
            self.lost += 1

    async def _telegram(self, http: httpx.AsyncClient, i: int, out: dict[str, list[float]], start: bool) -> None:
        chat = str(self.next_chat)
        self.next_chat += 1
        text = "/start" if start else QUESTIONS[i // 2 % len(QUESTIONS)]
        if start:
            self.start_chats.append(chat)
        self.update_id += 1
        message: dict[str, Any] = {
            "message_id": i + 1, "date": int(time.time()), "text": text,
            "chat": {"id": int(chat), "type": "private", "first_name": "Lan"},
            "from": {"id": int(chat), "is_bot": False, "first_name": "Lan"},
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        t0 = time.perf_counter()
        await http.post(
            f"{self.base}/webhook/telegram", json={"update_id": self.update_id, "message": message},
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        while chat not in self.tg.arrivals:
            if time.perf_counter() - t0 > 20:
                self.lost += 1
                return
            await asyncio.sleep(0.002)
        out["telegram"].append(self.tg.arrivals[chat] - t0)


# --- the loads -------------------------------------------------------------------------------------
async def admin_client(base: str, name: str) -> httpx.AsyncClient:
    """A logged-in officer's client."""
    # verify=False: no TLS here, and loading the CA bundle costs ~50 ms of this loop per client.
    http = httpx.AsyncClient(base_url=base, timeout=600, verify=False)
    page = await http.get("/admin/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    r = await http.post("/admin/login", data={"name": name, "password": PASSWORD, "csrf": csrf})
    if r.status_code != 303 or "login" in r.headers.get("location", ""):
        raise RuntimeError(f"login failed: {r.status_code}")
    return http


async def load_report(base: str) -> str:
    http = await admin_client(base, "canbo20")
    try:
        t0 = time.perf_counter()
        r = await http.get("/admin/reports/download", params={"period": "year", "year": "2026", "format": "docx"})
        return f"yearly .docx {len(r.content) / 1e3:.0f} kB in {time.perf_counter() - t0:.1f} s (HTTP {r.status_code})"
    finally:
        await http.aclose()


async def load_import(base: str, xlsx: Path) -> str:
    http = await admin_client(base, "canbo20")
    try:
        csrf = (await http.get("/admin/sites")).text.split('name="csrf" value="')[1].split('"')[0]
        t0 = time.perf_counter()
        r = await http.post(
            "/admin/sites/upload", data={"csrf": csrf}, files={"file": ("lich.xlsx", xlsx.read_bytes())}
        )
        return f"5,000-row XLSX imported in {time.perf_counter() - t0:.1f} s (HTTP {r.status_code})"
    finally:
        await http.aclose()


async def load_logins(base: str) -> str:
    t0 = time.perf_counter()
    clients = await asyncio.gather(*(admin_client(base, f"canbo{i}") for i in range(20)))
    for c in clients:
        await c.aclose()
    return f"20 logins done in {time.perf_counter() - t0:.1f} s"


async def load_lock(db: Path) -> str:
    code = (
        "import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(float(sys.argv[2]))\n"
        "c.execute('ROLLBACK')\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, str(db), str(LOCK_SECONDS), stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    await proc.stdout.readline()
    await proc.wait()
    return f"write lock held {LOCK_SECONDS:.0f} s by another process"


def start_broadcast(db: Path, message_id: int) -> int:
    from bot.broadcast import broadcasts
    from bot.config import Settings
    from bot.store import Store

    settings = Settings(db=db, secret_key="bench", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(db, migrate=False)
    try:
        now = datetime.now(UTC)
        # Only the bench's 10,000 chats (bench/report.py's chats have made-up ids).
        return broadcasts.create_broadcast(
            store, settings, message_id=message_id, selectors=["tag:bench"], created_by="bt", at=now, now=now
        )
    finally:
        store.close()


def stop_broadcast(db: Path, broadcast_id: int) -> int:
    from bot.broadcast import broadcasts
    from bot.store import Store, outbox

    store = Store.open(db, migrate=False)
    try:
        broadcasts.cancel(store, broadcast_id)
        return int(outbox.status_counts(store, broadcast_id).get("sent") or 0)
    finally:
        store.close()


def subscribed(db: Path, chats: list[str]) -> int:
    from bot.store import Store
    from bot.store import chats as chat_store

    store = Store.open(db, migrate=False)
    try:
        return sum(
            1 for c in chats if (row := chat_store.get_chat(store, "telegram", c)) and not row["opted_out"]
        )
    finally:
        store.close()


# --- reporting -------------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def line(name: str, lat: dict[str, list[float]], idle: dict[str, float] | None) -> dict[str, float]:
    out = {}
    parts = []
    for channel in ("web", "telegram"):
        values = lat[channel]
        p50, p99 = pct(values, 0.5) * 1000, pct(values, 0.99) * 1000
        out[channel] = p99
        text = f"{channel} p50 {p50:6.1f} p99 {p99:6.1f} max {max(values, default=0) * 1000:6.0f} ms"
        if idle:
            limit = 1.5 * idle[channel] + 20
            text += f" ×{p99 / idle[channel]:4.2f} {'ok ' if p99 <= limit else 'OVER'}"
        parts.append(text)
    print(f"{name:<26} n={sum(len(v) for v in lat.values()):4d} | " + " | ".join(parts))
    return out


async def scenario(
    name: str, probe: Probe, seconds: float, load: Awaitable[str] | None, idle: dict[str, float] | None, **kw: Any
) -> tuple[dict[str, float], dict[str, list[float]]]:
    task = asyncio.ensure_future(load) if load is not None else None
    lat = await probe.run(seconds, load=task, **kw)
    note = await task if task is not None else ""
    p99 = line(name, lat, idle)
    if note:
        print(f"{'':<26}   ({note})")
    return p99, lat


async def run_all(args: argparse.Namespace, base: str, tg: ArrivalAPI, db: Path, mid: int, xlsx: Path) -> None:
    probe = Probe(base, tg, args.interval)
    await probe.run(3)  # warm-up: imports, FAQ index, connections
    idle, _ = await scenario("idle", probe, args.seconds, None, None)
    if "a" in args.only:
        await _broadcast(args, probe, db, mid, idle)
    if "b" in args.only:
        await scenario("(b) yearly report", probe, args.seconds, load_report(base), idle)
    if "c" in args.only:
        await scenario("(c) XLSX import", probe, args.seconds, load_import(base, xlsx), idle)
    if "d" in args.only:
        await scenario("(d) 20 officer logins", probe, args.seconds, load_logins(base), idle)
    if "e" in args.only:
        await _lock(probe, db, idle)


async def _broadcast(args: argparse.Namespace, probe: Probe, db: Path, mid: int, idle: dict[str, float]) -> None:
    bid = start_broadcast(db, mid)
    await asyncio.sleep(1.5)
    began = time.perf_counter()
    await scenario("(a) 10k-chat broadcast", probe, args.seconds, None, idle)
    sent = stop_broadcast(db, bid)
    rate = sent / (time.perf_counter() - began + 1.5)
    print(f"{'':<26}   (broadcast: {sent} messages at {rate:.1f}/s, then cancelled)")


async def _lock(probe: Probe, db: Path, idle: dict[str, float]) -> None:
    lost_before = probe.lost
    _, lat = await scenario("(e) write lock 10 s", probe, LOCK_SECONDS + 2, load_lock(db), idle, start_command=True)
    worst = max(lat["web"] + lat["telegram"], default=0.0)
    await asyncio.sleep(1.5)
    ok = subscribed(db, probe.start_chats)
    print(
        f"{'':<26}   (slowest reply {worst * 1000:.0f} ms (limit 1000); /start answered and subscribed after the lock:"
        f" {ok}/{len(probe.start_chats)}; lost replies {probe.lost - lost_before})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="size of the heavy year (1.0 = bench/report.py's)")
    parser.add_argument("--seconds", type=float, default=15.0, help="probing time per scenario")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between probe messages")
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--only", default="abcde", help="scenarios to run after idle, e.g. 'be'")
    parser.add_argument("--db", type=Path, help="database file to create, or reuse when prepared already")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ArrivalAPI(TOKEN) as tg:
        tg.enforce_limits = True
        db = args.db or Path(tmp) / "bench.db"
        mid = prepare(db, args.scale, args.chats)
        xlsx = Path(tmp) / "lich.xlsx"
        write_xlsx(xlsx, db, 5000)
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        env.update({
            "LOA_DB": str(db), "LOA_SECRET_KEY": "bench", "LOA_PORT": str(port),
            "LOA_PUBLIC_URL": f"http://127.0.0.1:{port}", "LOA_TELEGRAM_TOKEN": TOKEN,
            "LOA_TELEGRAM_BASE_URL": tg.base_url, "LOA_TELEGRAM_MODE": "webhook",
            "LOA_TELEGRAM_WEBHOOK_SECRET": SECRET, "LOA_LOG_LEVEL": "WARNING", "LOA_CONTENT_DIR": str(ROOT),
            "PYTHONPATH": str(ROOT),
        })
        log = open(Path(tmp) / "loa.log", "wb")  # noqa: SIM115 - closed below
        loa = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp, stdout=log, stderr=log)
        try:
            _wait_http(f"http://127.0.0.1:{port}/healthz")
            print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; probe every {args.interval * 1000:.0f} ms,"
                  f" {args.seconds:.0f} s per scenario; target p99 <= 1.5 x idle + 20 ms")
            asyncio.run(run_all(args, f"http://127.0.0.1:{port}", tg, db, mid, xlsx))
        finally:
            loa.send_signal(signal.SIGINT)
            try:
                loa.wait(timeout=20)
            except subprocess.TimeoutExpired:
                loa.kill()
            log.close()
            warnings = [ln for ln in (Path(tmp) / "loa.log").read_text(errors="replace").splitlines()
                        if "WARNING" in ln or "ERROR" in ln]
            print(f"loa log: {len(warnings)} warning/error line(s)")
            for ln in warnings[:12]:
                print("   ", ln[:200])


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


if __name__ == "__main__":
    main()
