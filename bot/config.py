"""Loa's configuration: one typed ``Settings`` read from ``LOA_*`` variables and ``.env``.

Nothing else in the code base reads ``os.environ``. Every setting has a default and a
description; ``.env.example`` documents them all (a test keeps the two in step).
Secrets are ``SecretStr`` so they never show in ``repr``, logs or ``loa config show``.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The repository root when running from a checkout or an editable install; content
#: folders (messages/, schedules/, data/) live here.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """All of Loa's settings. Environment variables are ``LOA_`` + the field name in capitals."""

    model_config = SettingsConfigDict(
        env_prefix="LOA_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    # --- core ---------------------------------------------------------------------------
    db: Path = Field(Path("loa.db"), description="Path of the SQLite database file.")
    host: str = Field("127.0.0.1", description="Address the web app (chat, admin, webhooks) listens on.")
    port: int = Field(8080, ge=1, le=65535, description="Port the web app listens on.")
    public_url: str = Field(
        "",
        description="Public https base URL of this server (used in links and webhook URLs); empty = http://HOST:PORT.",
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Server secret for resident hashes, verification codes and sessions. "
        "If unset, one is generated and kept in a file next to the database.",
    )
    province: str = Field("Hải Phòng", description="Province or city this instance serves (as in data/admin_units.csv).")
    timezone: str = Field("Asia/Ho_Chi_Minh", description="Time zone for schedules, quiet hours and reports.")
    content_dir: Path = Field(
        PROJECT_ROOT, description="Folder holding messages/, schedules/ and data/ (the repository root by default)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level.")
    max_message_chars: int = Field(
        4000, ge=100, description="Longest resident message Loa reads; longer text is cut before processing."
    )
    retention_days: int = Field(
        365, ge=1, description="Days to keep unanswered questions and per-resident rows; older events are folded into the "
        "daily report aggregates and deleted (loa db retention, daily at 02:30).",
    )

    # --- local contacts used in answers ----------------------------------------------------
    health_hotline: str = Field("1900 9095", description="Health hotline quoted in answers (Bộ Y tế by default).")
    vneid_hotline: str = Field("1900 0368", description="VNeID support hotline quoted in answers.")
    bhxh_hotline: str = Field("1900 9068", description="Social insurance (BHXH) hotline quoted in answers.")
    emergency_number: str = Field("115", description="Medical emergency number.")
    spam_report_number: str = Field("156 / 5656", description="Numbers to report spam calls and messages to.")
    local_contact: str = Field(
        "trạm y tế xã/phường nơi bạn cư trú",
        description="Who residents should contact locally (shown when Loa cannot answer).",
    )
    official_domains: str = Field(
        "",
        description="Extra official domains (comma-separated) trusted by the scam check, e.g. the province portal.",
    )

    # --- Telegram -----------------------------------------------------------------------
    telegram_token: SecretStr | None = Field(None, description="Telegram bot token from @BotFather; empty = Telegram off.")
    telegram_base_url: str = Field(
        "https://api.telegram.org", description="Telegram Bot API server (tests point this at 127.0.0.1)."
    )
    telegram_mode: Literal["polling", "webhook"] = Field("polling", description="How Telegram updates arrive.")
    telegram_webhook_url: str = Field(
        "", description="Public https URL of POST /webhook/telegram (webhook mode); empty = PUBLIC_URL + /webhook/telegram."
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (webhook mode)."
    )
    telegram_bot_link: str = Field(
        "", description="Public link to the Telegram bot (https://t.me/<name>) printed as a QR code on posters; empty = none."
    )

    # --- Zalo ---------------------------------------------------------------------------
    zalo_token: SecretStr | None = Field(None, description="Zalo Bot Platform token from Zalo Bot Creator; empty = Zalo off.")
    zalo_bot_link: str = Field(
        "", description="Public link to the Zalo bot or Official Account printed as a QR code on posters; empty = none."
    )
    zalo_base_url: str = Field("https://bot-api.zaloplatforms.com", description="Zalo Bot API server.")
    zalo_mode: Literal["polling", "webhook"] = Field("polling", description="How Zalo updates arrive.")
    zalo_webhook_url: str = Field(
        "", description="Public https URL of POST /webhook/zalo (webhook mode); empty = PUBLIC_URL + /webhook/zalo."
    )
    zalo_webhook_secret: SecretStr | None = Field(
        None, description="Secret Zalo sends in X-Bot-Api-Secret-Token (webhook mode)."
    )
    zalo_rate_per_second: float = Field(5.0, gt=0, description="Zalo sends per second overall (conservative default).")

    # --- broadcasts -----------------------------------------------------------------------
    code_prefix: str = Field("HP", description="Prefix of verification codes on broadcasts, e.g. HP-7K3Q9X.")
    quiet_hours: str = Field("21:00-07:00", description="No broadcast is sent in this local time range.")
    telegram_rate_per_second: float = Field(30.0, gt=0, description="Telegram sends per second overall.")

    # --- reports --------------------------------------------------------------------------
    report_issuer_parent: str = Field(
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", description="Parent body printed above the issuing body on reports."
    )
    report_issuer: str = Field("SỞ Y TẾ", description="Issuing body printed top left on reports.")
    report_code: str = Field("BC-SYT", description="Document symbol (ký hiệu) printed after Số: on reports.")
    report_place: str = Field("Hải Phòng", description="Place printed before the date on reports.")
    report_signer_authority: str = Field(
        "",
        description="Signing authority above the signer's title (quyền hạn), e.g. 'KT. GIÁM ĐỐC' when a deputy signs; "
        "empty when the head signs.",
    )
    report_signer_title: str = Field("GIÁM ĐỐC", description="Signer's title on reports (chức vụ), e.g. 'PHÓ GIÁM ĐỐC'.")
    report_signer_name: str = Field(
        "", description="Signer's full name on reports; without it every report is marked DỰ THẢO (draft)."
    )

    # --- web admin ------------------------------------------------------------------------
    cookie_secure: bool = Field(
        False,
        description="Always mark cookies Secure (they are anyway when the request came over HTTPS through a trusted proxy).",
    )
    trusted_proxies: str = Field(
        "127.0.0.1,::1",
        description="Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For / X-Forwarded-Proto are "
        "believed; requests from any other address are taken at face value. Empty = trust none.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        """Every entry must be an IP address or network."""
        for item in value.split(","):
            if item.strip():
                try:
                    ipaddress.ip_network(item.strip(), strict=False)
                except ValueError:
                    raise ValueError(f"not an IP address or network: {item.strip()!r}") from None
        return value

    def trusted_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """``trusted_proxies`` parsed (entries are validated when the settings load)."""
        return tuple(ipaddress.ip_network(i.strip(), strict=False) for i in self.trusted_proxies.split(",") if i.strip())

    def bot_token(self, channel: Literal["telegram", "zalo"]) -> str | None:
        """The channel's bot token, or None when it is not set (or empty): the channel is off."""
        token = self.telegram_token if channel == "telegram" else self.zalo_token
        value = token.get_secret_value() if token is not None else ""
        return value or None

    def channel_configured(self, channel: Literal["telegram", "zalo"]) -> bool:
        """True when the channel's bot token is set: the channel is on."""
        return self.bot_token(channel) is not None
    # --- operations -----------------------------------------------------------------------
    backup_dir: Path | None = Field(
        None, description="Folder for automatic daily backups; empty = a backups/ folder next to the database."
    )
    backup_keep: int = Field(14, ge=1, description="How many automatic backups to keep (older ones are deleted).")
    metrics_token: SecretStr | None = Field(
        None,
        description="Bearer token for GET /metrics; without it only requests from a trusted proxy address may read it.",
    )
    log_format: Literal["kv", "json"] = Field(
        "kv", description="Log lines as key=value text (kv) or one JSON object per line (json)."
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        """A time zone the tz database knows (``Asia/Ho_Chi_Minh``), checked when settings load."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Asia/Ho_Chi_Minh") from exc
        return value

    def secret(self) -> bytes:
        """The server secret as bytes, generating and persisting one next to the DB if unset."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value().encode("utf-8")
        path = Path(f"{self.db}.secret")
        if path.exists():
            value = path.read_text(encoding="utf-8").strip()
            if value:
                return value.encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(32)
        # Create with owner-only permissions: the secret keys resident hashes and codes.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(value + "\n")
        return value.encode("utf-8")

    @property
    def backup_folder(self) -> Path:
        """Where automatic backups go: ``backup_dir`` or ``backups/`` next to the database."""
        if self.backup_dir is not None and str(self.backup_dir):
            return Path(self.backup_dir)
        return Path(self.db).expanduser().resolve().parent / "backups"

    @property
    def base_url(self) -> str:
        """Public base URL without a trailing slash."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"

    def masked(self) -> dict[str, str]:
        """Every setting as display text, secrets shown as ``****`` (or ``(not set)``)."""
        out: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = "****" if value.get_secret_value() else "(not set)"
            elif value is None:
                out[name] = "(not set)"
            else:
                out[name] = str(value)
        return out


def env_name(field: str) -> str:
    """The environment variable for a settings field: ``db`` → ``LOA_DB``."""
    return "LOA_" + field.upper()


def env_example() -> str:
    """The text of ``.env.example``: every setting, its description and its default."""
    lines = [
        "# Loa configuration. Copy to .env and edit; every variable is optional.",
        "# Generated by `loa config example`; secrets are commented out.",
        "",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Path):
            default = str(default) if default != PROJECT_ROOT else "(the repository root)"
        if default is None or isinstance(default, SecretStr):
            value, prefix = "", "# "
        else:
            value, prefix = str(default).lower() if isinstance(default, bool) else str(default), ""
        if name == "content_dir":
            value, prefix = "", "# "
        lines.append(f"# {field.description}")
        lines.append(f"{prefix}{env_name(name)}={value}")
        lines.append("")
    return "\n".join(lines)
