"""Broadcast sender benchmark: the real sender (python-telegram-bot) against the local fake Bot API.

    python3 bench/broadcast.py [--chats 10000] [--limit 100] [--real-seconds 10] [--only real]

The fake server (tests/fakes/telegram_api.py) runs in its own process in "enforce limits"
mode: it counts every violation of 30 messages/s, 1/s per chat and 20/min per group, and
answers 429 to it.

(a) With Telegram's limits. Reported: achieved rate as a fraction of the limit (target
    ≥ 0.97), violations and 429s (target 0), and the sender's CPU per message. A short run
    at the real 30/s (``--real-seconds``), and 10,000 chats at a scaled limit (``--limit``,
    set both in the sender and in the server's checker; 10,000 at 30/s takes 5.5 minutes).
(b) Limits off: the sender's ceiling in messages/s on this machine, its CPU per message and
    peak memory (RSS), and the fake server's CPU per message (it must not be the bottleneck).
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


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of another process, from /proc (0 where unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def unlimited_run(chats: int, window: int) -> dict:
    """Limits off: the sender's ceiling on this machine, its CPU and memory, the server's CPU."""
    from bot.broadcast.limits import no_limits

    proc, base = start_server(None)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store, settings, _ = prepare(Path(tmp) / "b.db", base, chats, 30.0)
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            srv0 = _proc_cpu(proc.pid)
            wall, cpu, stats = run_sender(store, settings, limits=no_limits(), window=window)
            srv = _proc_cpu(proc.pid) - srv0
            rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sent = control(base, "stats")["sent"]
    finally:
        proc.kill()
        proc.wait()
    return {"chats": chats, "sent": sent, "rate": sent / wall, "wall": wall, "cpu": cpu,
            "server_us": srv / max(1, sent) * 1e6, "rss_mb": rss1 / 1024, "rss_growth_mb": (rss1 - rss0) / 1024,
            "sent_stats": stats.sent}  # type: ignore[attr-defined]


def _limited_line(label: str, r: dict) -> str:
    cpu_ms = r["cpu"] / max(1, r["sent"]) * 1e3
    return (f"{label}, {r['chats']} chats: {r['rate']:.2f} msg/s = {r['fraction']:.3f} of the limit;"
            f" violations {r['violations']}, 429s {r['429s']}, sent {r['sent']};"
            f" sender CPU {cpu_ms:.2f} ms/msg ({r['cpu'] / r['wall'] * 100:.0f}% of a core)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=100, help="scaled global limit for the 10,000-chat limited run")
    parser.add_argument("--real-seconds", type=float, default=10.0, help="seconds of sending at the real 30/s (0 = skip)")
    parser.add_argument("--window", type=int, default=64, help="sender in-flight window (= Telegram connections)")
    parser.add_argument("--only", choices=("real", "scaled", "unlimited"), help="run one part only")
    args = parser.parse_args()
    os.environ.pop("LOA_DB", None)
    print(f"machine: {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}; fake server in a separate process")
    if args.real_seconds and args.only in (None, "real"):
        r = limited_run(int(30 * args.real_seconds), 30, args.window)
        print(_limited_line("(a) real limit 30/s", r))
    if args.only in (None, "scaled"):
        r = limited_run(args.chats, args.limit, args.window)
        print(_limited_line(f"(a) scaled limit {args.limit}/s", r) + f"; wall {r['wall']:.1f} s")
    if args.only not in (None, "unlimited"):
        return
    u = unlimited_run(args.chats, args.window)
    print(f"(b) limits off, {u['chats']} chats: {u['rate']:.0f} msg/s (the ceiling on this machine);"
          f" sent {u['sent']}/{u['chats']}")
    print(f"    sender CPU {u['cpu']:.1f} s for {u['wall']:.1f} s wall ({u['cpu'] / u['wall'] * 100:.0f}% of a core),"
          f" {u['cpu'] / max(1, u['sent']) * 1e3:.2f} ms CPU/msg; peak RSS {u['rss_mb']:.0f} MB"
          f" (+{u['rss_growth_mb']:.0f} MB during the run)")
    print(f"    fake server CPU: {u['server_us'] / 1e3:.2f} ms/msg (its ceiling ≈ {1e6 / max(1.0, u['server_us']):.0f} msg/s"
          " on one core)")


if __name__ == "__main__":
    main()
