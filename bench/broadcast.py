"""Broadcast sender benchmark: 10,000 chats against a local fake Bot API server (separate process).

    python3 bench/broadcast.py [--chats 10000] [--limit 300] [--real-seconds 10]

(a) With Telegram's limits: the fake server runs in "enforce limits" mode and answers 429
    to any violation. Sending 10,000 messages at Telegram's real 30/s takes 5.5 minutes, so
    the 10,000-chat run uses a scaled test limit (``--limit``, default 100/s, set both in the
    sender and in the server's checker); a short run at the real 30/s (``--real-seconds``)
    shows the same fraction at the true limit. Reported: achieved rate / limit, 429s.
(b) Limits off: messages/s of the sender beside a bare httpx loop to the same server (one
    keep-alive client, as many workers as the sender's connections; run before and after the
    sender, the mean is the baseline), plus the sender's CPU time and peak memory (RSS) and the
    fake server's CPU per message (it must not be the bottleneck). A third bare loop over the
    sender's own lean transport shows what the sender's loop itself adds per message.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456:TEST-fake-telegram-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(limit: int | None) -> tuple[subprocess.Popen[bytes], str]:
    """The fake Telegram server in its own process; ``limit`` patches its global per-second check."""
    import httpx

    port = _free_port()
    code = (
        "import tests.fakes.telegram_api as t\n"
        + (f"t.GLOBAL_PER_SECOND = {limit}\n" if limit else "")
        + f"t.main(['--port', '{port}'])\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/_fake/stats", timeout=0.5)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("fake server did not start")


def control(base: str, name: str, data: dict | None = None) -> dict:
    import httpx

    if data is None:
        return httpx.get(f"{base}/_fake/{name}", timeout=30).json()
    return httpx.post(f"{base}/_fake/{name}", json=data, timeout=30).json()


def prepare(db: Path, base: str, chats: int, rate: float) -> tuple[object, object, int]:
    from bot.broadcast import broadcasts, messages
    from bot.config import Settings
    from bot.store import Store
    from bot.users import add_user

    settings = Settings(
        db=db, secret_key="bench", telegram_token=TOKEN, telegram_base_url=base, telegram_rate_per_second=rate,
        _env_file=None,  # type: ignore[call-arg]
    )
    store = Store.open(db)
    add_user(store, "bt", ["editor"])
    add_user(store, "ld", ["approver"])
    mid, _ = messages.create_message(
        store, kind="campaign", theme="screening", title="Bench",
        body="Khám sức khỏe miễn phí năm 2026. Hỏi thêm: {{ hotline }}.", author="bt",
    )
    messages.submit(store, mid)
    seen = messages.review(store, settings, mid)
    messages.approve(store, settings, mid, "ld", version_id=seen.version_id, text_hash=seen.text_hash)
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO chats (channel, chat_id, kind, title, unit, tags, status, opted_out, created_at, updated_at)"
            " VALUES ('telegram', ?, 'private', '', '', '[]', 'active', 0, '2026-01-01T00:00:00', '2026-01-01T00:00:00')",
            [(str(700000 + i),) for i in range(chats)],
        )
    bid = broadcasts.create_broadcast(store, settings, message_id=mid, selectors=["all"], created_by="bt")
    return store, settings, bid


def run_sender(store: object, settings: object, *, limits: object, window: int) -> tuple[float, float, object]:
    from bot.broadcast.sender import run_sender as run

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    stats = asyncio.run(run(store, settings, until_done=True, limits=limits, window=window))  # type: ignore[arg-type]
    return time.perf_counter() - t0, time.process_time() - cpu0, stats


def server_rate(base: str) -> tuple[int, float]:
    sent = control(base, "sent")["sent"]
    times = sorted(s["at"] for s in sent)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    return len(sent), (len(times) - 1) / span if span else 0.0


def limited_run(chats: int, limit: int, window: int) -> dict:
    from bot.broadcast.limits import default_limits

    proc, base = start_server(limit)
    try:
        control(base, "configure", {"enforce_limits": True, "limits_reply_429": True})
        with tempfile.TemporaryDirectory() as tmp:
            store, settings, _ = prepare(Path(tmp) / "a.db", base, chats, float(limit))
            wall, cpu, stats = run_sender(store, settings, limits=default_limits(settings), window=window)  # type: ignore[arg-type]
        n, rate = server_rate(base)
        violations = control(base, "stats")["violations"]
    finally:
        proc.kill()
        proc.wait()
    return {"chats": chats, "limit": limit, "sent": n, "rate": rate, "fraction": rate / limit, "wall": wall,
            "cpu": cpu, "violations": violations, "429s": stats.rate_limited}  # type: ignore[attr-defined]


async def bare_loop(base: str, chats: int, concurrency: int, *, lean: bool = False) -> float:
    """A bare httpx send loop: ``concurrency`` workers over one keep-alive client, no store.

    As many connections as workers, so every request has its own connection (the fastest
    httpx gets; more workers than connections makes httpcore queue, which costs CPU).
    ``lean``: over the sender's own transport (bot/channels/http_backend.py), to show what
    the sender's loop itself costs.
    """
    import httpx

    from bot.channels.http_backend import lean_transport

    url = httpx.URL(f"{base}/bot{TOKEN}/sendMessage")
    text = "Khám sức khỏe miễn phí năm 2026. Hỏi thêm: 1900 9095.\n\n—\nMã xác thực: HP-XXXXXX"
    queue = list(range(chats))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    transport = lean_transport(limits) if lean else None
    async with httpx.AsyncClient(limits=limits, timeout=10, transport=transport) as client:

        async def worker() -> None:
            while queue:
                i = queue.pop()
                r = await client.post(url, json={"chat_id": 800000 + i, "text": text})
                r.raise_for_status()

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return chats / (time.perf_counter() - t0)


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of another process, from /proc (0 where unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def measure_bare(base: str, chats: int, concurrency: int, server_pid: int, *, lean: bool = False) -> dict:
    """One bare-loop run: rate, its CPU/msg and the fake server's CPU/msg."""
    control(base, "reset", {})
    cpu0, srv0 = time.process_time(), _proc_cpu(server_pid)
    rate = asyncio.run(bare_loop(base, chats, concurrency, lean=lean))
    cpu, srv = time.process_time() - cpu0, _proc_cpu(server_pid) - srv0
    sent = control(base, "stats")["sent"]
    return {"rate": rate, "cpu_us": cpu / max(1, sent) * 1e6, "server_us": srv / max(1, sent) * 1e6, "sent": sent}


def unlimited_run(chats: int, window: int, connections: int) -> dict:
    """Limits off: bare loop, sender, bare loop again (the mean of both bare runs is the
    baseline, so load drifting on a shared machine does not favour either side)."""
    from bot.broadcast.limits import no_limits

    proc, base = start_server(None)
    try:
        bare1 = measure_bare(base, chats, connections, proc.pid)
        control(base, "reset", {})
        with tempfile.TemporaryDirectory() as tmp:
            store, settings, _ = prepare(Path(tmp) / "b.db", base, chats, 30.0)
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            srv0 = _proc_cpu(proc.pid)
            wall, cpu, stats = run_sender(store, settings, limits=no_limits(), window=window)
            srv = _proc_cpu(proc.pid) - srv0
            rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sent = control(base, "stats")["sent"]
        bare2 = measure_bare(base, chats, connections, proc.pid)
        lean = measure_bare(base, chats, connections, proc.pid, lean=True)
    finally:
        proc.kill()
        proc.wait()
    bare = (bare1["rate"] + bare2["rate"]) / 2
    return {"chats": chats, "sent": sent, "rate": sent / wall, "bare_rate": bare, "bare_runs": (bare1, bare2), "lean": lean,
            "wall": wall, "cpu": cpu, "server_us": srv / max(1, sent) * 1e6, "rss_mb": rss1 / 1024,
            "rss_growth_mb": (rss1 - rss0) / 1024, "sent_stats": stats.sent}  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=100, help="scaled global limit for the 10,000-chat limited run")
    parser.add_argument("--real-seconds", type=float, default=10.0, help="seconds of sending at the real 30/s (0 = skip)")
    parser.add_argument("--window", type=int, default=64, help="sender in-flight window")
    parser.add_argument("--connections", type=int, default=8,
                        help="bare loop workers = connections (the sender's Telegram pool is 8 connections)")
    parser.add_argument("--only", choices=("real", "scaled", "unlimited"), help="run one part only")
    args = parser.parse_args()
    os.environ.pop("LOA_DB", None)
    print(f"machine: {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}; fake server in a separate process")
    if args.real_seconds and args.only in (None, "real"):
        r = limited_run(int(30 * args.real_seconds), 30, args.window)
        print(f"(a) real limit 30/s, {r['chats']} chats: {r['rate']:.2f} msg/s = {r['fraction']:.3f} of the limit;"
              f" violations {r['violations']}, 429s {r['429s']}, sent {r['sent']}")
    if args.only in (None, "scaled"):
        r = limited_run(args.chats, args.limit, args.window)
        print(f"(a) scaled limit {args.limit}/s, {r['chats']} chats: {r['rate']:.1f} msg/s = {r['fraction']:.3f} of the limit;"
              f" violations {r['violations']}, 429s {r['429s']}, sent {r['sent']}, wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s")
    if args.only not in (None, "unlimited"):
        return
    u = unlimited_run(args.chats, args.window, args.connections)
    b1, b2 = u["bare_runs"]
    print(f"(b) limits off, {u['chats']} chats: sender {u['rate']:.0f} msg/s, bare httpx loop {u['bare_rate']:.0f} msg/s"
          f" (before {b1['rate']:.0f}, after {b2['rate']:.0f}; {args.connections} workers/connections)"
          f" → ratio {u['rate'] / u['bare_rate']:.2f}; sent {u['sent']}/{u['chats']}")
    print(f"    sender CPU {u['cpu']:.1f} s for {u['wall']:.1f} s wall ({u['cpu'] / u['wall'] * 100:.0f}% of a core),"
          f" {u['cpu'] / max(1, u['sent']) * 1e3:.2f} ms CPU/msg; peak RSS {u['rss_mb']:.0f} MB"
          f" (+{u['rss_growth_mb']:.0f} MB during the run); bare loop {b1['cpu_us'] / 1e3:.2f} / {b2['cpu_us'] / 1e3:.2f} ms CPU/msg")
    lean = u["lean"]
    print(f"    bare loop (httpx client) over the sender's lean transport: {lean['rate']:.0f} msg/s,"
          f" {lean['cpu_us'] / 1e3:.2f} ms CPU/msg (the sender also skips the client layer, so this is not a floor)")
    print(f"    fake server CPU: {u['server_us'] / 1e3:.2f} ms/msg during the sender run, {b1['server_us'] / 1e3:.2f} ms/msg"
          f" during the bare loop (its ceiling ≈ {1e6 / max(1.0, b1['server_us']):.0f} msg/s on one core)")

if __name__ == "__main__":
    main()
