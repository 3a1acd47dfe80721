"""``loa channels check``: ask each configured platform who we are and where updates go."""

from __future__ import annotations

import asyncio

import typer

from bot.config import Settings

channels_app = typer.Typer(help="Telegram and Zalo channels.", no_args_is_help=True)


async def _check_telegram(settings: Settings) -> list[str]:
    from bot.channels.outbound import make_telegram_bot, translate_telegram_error
    from bot.channels.telegram import webhook_url

    bot = make_telegram_bot(settings, pool_size=2)
    lines: list[str] = []
    try:
        try:
            me = await bot.get_me()
        except Exception as exc:  # noqa: BLE001 - reported in plain words
            return [f"Telegram: NOT OK — getMe failed: {translate_telegram_error(exc)}"]
        lines.append(f"Telegram: OK — bot @{me.username} (id {me.id}), mode {settings.telegram_mode}")
        if not me.can_read_all_group_messages:
            lines.append("  privacy mode is on: in groups the bot sees commands, mentions and replies only")
        try:
            info = await bot.get_webhook_info()
        except Exception as exc:  # noqa: BLE001
            lines.append(f"  getWebhookInfo failed: {translate_telegram_error(exc)}")
            return lines
        if info.url:
            lines.append(f"  webhook set to {info.url} ({info.pending_update_count} update(s) waiting)")
            if info.last_error_message:
                lines.append(f"  last webhook error: {info.last_error_message}")
            if settings.telegram_mode == "polling":
                lines.append("  note: polling mode deletes this webhook when `loa run` starts")
        else:
            lines.append(f"  no webhook set ({info.pending_update_count} update(s) waiting)")
            if settings.telegram_mode == "webhook":
                lines.append(f"  note: `loa run` will set the webhook to {webhook_url(settings)}")
    finally:
        await bot.shutdown()
    return lines


async def _check_zalo(settings: Settings) -> list[str]:
    from bot.channels.outbound import make_zalo_client
    from bot.channels.zalo.client import ZaloError

    zalo_url = settings.zalo_webhook_url or f"{settings.base_url}/webhook/zalo"
    lines: list[str] = []
    async with make_zalo_client(settings) as client:
        try:
            me = await client.get_me()
        except ZaloError as exc:
            return [f"Zalo: NOT OK — getMe failed: {exc}"]
        name = me.get("account_name") or me.get("display_name") or me.get("name") or "?"
        lines.append(f"Zalo: OK — bot {name} (id {me.get('id', '?')}), mode {settings.zalo_mode}")
        try:
            info = await client.get_webhook_info()
        except ZaloError as exc:
            lines.append(f"  getWebhookInfo failed: {exc}")
            return lines
        if info.get("url"):
            lines.append(f"  webhook set to {info['url']}")
            if settings.zalo_mode == "polling":
                lines.append("  note: polling mode deletes this webhook when `loa run` starts")
        else:
            lines.append("  no webhook set")
            if settings.zalo_mode == "webhook":
                lines.append(f"  note: `loa run` will set the webhook to {zalo_url}")
    return lines


async def check_channels(settings: Settings) -> list[str]:
    """Plain-language status lines for every configured channel."""
    from bot.channels.outbound import quiet_http_logs

    quiet_http_logs()
    lines: list[str] = []
    if settings.channel_configured("telegram"):
        lines += await _check_telegram(settings)
    else:
        lines.append("Telegram: off (LOA_TELEGRAM_TOKEN not set)")
    if settings.channel_configured("zalo"):
        lines += await _check_zalo(settings)
    else:
        lines.append("Zalo: off (LOA_ZALO_TOKEN not set)")
    return lines


@channels_app.command("check")
def check() -> None:
    """Ask Telegram and Zalo (getMe, getWebhookInfo) whether the configured bots work."""
    from bot.cli_helpers import load_settings

    lines = asyncio.run(check_channels(load_settings()))
    for line in lines:
        typer.echo(line)  # plain lines, never wrapped: officers copy them into support requests
    failed = [line.split(" ", 1)[0].rstrip(":") for line in lines if "NOT OK" in line]
    if failed:
        from bot.errors import LoaError

        raise LoaError(f"{' and '.join(failed)} not working; see the lines above")
