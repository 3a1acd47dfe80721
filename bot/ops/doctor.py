"""``loa doctor``: one line per check of a deployment, ✓ or ✗, in Vietnamese.

Settings, the database (quick_check, migrations, writable), disk space, the bot tokens
(getMe against the configured API base) and webhooks, and the backups. Any ✗ makes the
command exit non-zero, so it can gate a deploy script or a cron mail.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from bot.ops.backup import backup_age_seconds, last_backup
from bot.ops.health import BACKUP_WARN_SECONDS, DISK_WARN_BYTES


@dataclass(frozen=True)
class Finding:
    """One line of the report: passed (or not), what was checked, what was found."""

    ok: bool
    what: str
    detail: str

    def line(self) -> str:
        """``✓ what: detail`` / ``✗ what: detail``."""
        return f"{'✓' if self.ok else '✗'} {self.what}: {self.detail}"


def _has(secret: object) -> bool:
    getter = getattr(secret, "get_secret_value", None)
    return bool(getter and getter())


def check_settings(settings: Settings) -> list[Finding]:
    """Settings that only matter in production: https address, secrets, webhooks."""
    found = [Finding(True, "Cấu hình", f"đọc được (tỉnh/thành: {settings.province}, CSDL: {settings.db})")]
    modes = [mode for token, mode in ((settings.telegram_token, settings.telegram_mode), (settings.zalo_token, settings.zalo_mode)) if _has(token)]
    urls = [settings.base_url, settings.telegram_webhook_url, settings.zalo_webhook_url]
    if "webhook" in modes and not any(u.startswith("https://") for u in urls):
        found.append(Finding(False, "Địa chỉ công khai", "chế độ webhook cần LOA_PUBLIC_URL bắt đầu bằng https://"))
    secret_file = Path(f"{settings.db}.secret")
    if _has(settings.secret_key) or secret_file.exists():
        found.append(Finding(True, "Khóa bí mật", "đã có (hãy sao lưu riêng LOA_SECRET_KEY hoặc tệp .secret)"))
    else:
        found.append(Finding(True, "Khóa bí mật", "chưa có; sẽ được tạo ở lần chạy đầu"))
    return found


def check_database(settings: Settings) -> list[Finding]:
    """The file opens, passes ``quick_check``, has every migration, and accepts writes."""
    from bot.store import Store

    db = Path(settings.db)
    if not db.is_file():
        return [Finding(False, "Cơ sở dữ liệu", f"chưa có tệp {db} (chạy `loa db migrate`)")]
    try:
        conn = sqlite3.connect(str(db), timeout=5, isolation_level=None)
        try:
            quick = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [Finding(False, "Cơ sở dữ liệu", f"không mở/ghi được: {exc}")]
    found = [
        Finding(quick == ["ok"], "Cơ sở dữ liệu", "toàn vẹn, ghi được" if quick == ["ok"] else f"lỗi: {'; '.join(quick)}")
    ]
    store = Store.open(db, migrate=False)
    try:
        pending = [m.id for m in store.pending_migrations()]
    finally:
        store.close()
    found.append(
        Finding(not pending, "Phiên bản CSDL", "mới nhất" if not pending else f"còn {len(pending)} bước nâng cấp (`loa db migrate`)")
    )
    return found


def check_disk(settings: Settings) -> Finding:
    """At least 1 GiB free beside the database."""
    folder = Path(settings.db).expanduser().resolve().parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        return Finding(False, "Dung lượng đĩa", f"không đọc được: {exc.strerror or exc}")
    return Finding(free >= DISK_WARN_BYTES, "Dung lượng đĩa", f"còn trống {free / (1 << 30):.1f} GiB")


async def _telegram(settings: Settings) -> list[Finding]:
    from bot.channels.outbound import make_telegram_bot, translate_telegram_error

    bot = make_telegram_bot(settings, pool_size=2)
    try:
        try:
            me = await bot.get_me()
        except Exception as exc:  # noqa: BLE001 - reported in one line
            return [Finding(False, "Telegram", f"getMe thất bại: {translate_telegram_error(exc)}")]
        found = [Finding(True, "Telegram", f"bot @{me.username} trả lời (chế độ {settings.telegram_mode})")]
        try:
            info = await bot.get_webhook_info()
        except Exception as exc:  # noqa: BLE001
            return [*found, Finding(False, "Webhook Telegram", f"không đọc được: {translate_telegram_error(exc)}")]
    finally:
        await bot.shutdown()
    if settings.telegram_mode == "webhook":
        ok = bool(info.url) and not info.last_error_message
        detail = f"{info.url or 'chưa đặt'}; {info.pending_update_count} tin đang chờ"
        if info.last_error_message:
            detail += f"; lỗi gần nhất: {info.last_error_message}"
        found.append(Finding(ok, "Webhook Telegram", detail))
    return found


async def _zalo(settings: Settings) -> list[Finding]:
    from bot.channels.outbound import make_zalo_client
    from bot.channels.zalo.client import ZaloError

    async with make_zalo_client(settings) as client:
        try:
            me = await client.get_me()
        except ZaloError as exc:
            return [Finding(False, "Zalo", f"getMe thất bại: {exc}")]
        name = me.get("account_name") or me.get("display_name") or me.get("name") or "?"
        found = [Finding(True, "Zalo", f"bot {name} trả lời (chế độ {settings.zalo_mode})")]
        if settings.zalo_mode == "webhook":
            try:
                info = await client.get_webhook_info()
            except ZaloError as exc:
                return [*found, Finding(False, "Webhook Zalo", f"không đọc được: {exc}")]
            found.append(Finding(bool(info.get("url")), "Webhook Zalo", str(info.get("url") or "chưa đặt")))
    return found


async def check_tokens(settings: Settings) -> list[Finding]:
    """getMe (and the webhook in webhook mode) for every channel with a token."""
    from bot.channels.outbound import quiet_http_logs

    quiet_http_logs()
    found: list[Finding] = []
    found += await _telegram(settings) if _has(settings.telegram_token) else [Finding(True, "Telegram", "tắt (chưa có token)")]
    found += await _zalo(settings) if _has(settings.zalo_token) else [Finding(True, "Zalo", "tắt (chưa có token)")]
    return found


def check_backups(settings: Settings, now: datetime | None = None) -> list[Finding]:
    """The backup folder can be written and the last backup is under two days old."""
    folder = settings.backup_folder
    probe = folder if folder.exists() else folder.parent
    writable = probe.exists() and _writable(probe)
    found = [Finding(writable, "Thư mục sao lưu", f"{folder}" + ("" if writable else " không ghi được"))]
    record = last_backup(Path(settings.db))
    age = backup_age_seconds(record, now or datetime.now(UTC))
    if age is None:
        found.append(Finding(False, "Bản sao lưu", "chưa có bản nào (chạy `loa backup`)"))
    else:
        size = record.get("size") if record else None
        text = f"bản gần nhất cách đây {age / 3600:.1f} giờ"
        if isinstance(size, int):
            text += f", {size / (1 << 20):.1f} MiB" if size >= 1 << 20 else f", {size / 1024:.0f} KiB"
        found.append(Finding(age <= BACKUP_WARN_SECONDS, "Bản sao lưu", text + ("" if age <= BACKUP_WARN_SECONDS else " (quá 2 ngày)")))
    return found


def _writable(folder: Path) -> bool:
    import os

    return os.access(folder, os.W_OK | os.X_OK)


def run_doctor(settings: Settings) -> list[Finding]:
    """Every check, in order."""
    found = check_settings(settings)
    found += check_database(settings)
    found.append(check_disk(settings))
    found += asyncio.run(check_tokens(settings))
    found += check_backups(settings)
    return found
