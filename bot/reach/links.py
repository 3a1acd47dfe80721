"""Personal, revocable share links for heads of residential groups (no account needed).

A link carries a random token (``secrets.token_urlsafe``); the store keeps only its keyed
hash (HMAC-SHA256 with the server secret), so a copied database does not give working links,
and revoking is one UPDATE. The answer form on the link's page carries a second HMAC bound to
the token, so a form posted from elsewhere, or to another link, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.errors import LoaError
from bot.store import Store
from bot.store import broadcast as broadcast_db
from bot.store import reach as db
from bot.store.events import to_db_time
from bot.text import nfc

PATH = "/chia-se/"
MAX_NAME = 80
MAX_MEMBERS = 100_000
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class ShareError(LoaError):
    """A share link or answer was refused; the message is Vietnamese, for the person in front."""


@dataclass(frozen=True)
class NewLink:
    """A link just created: its row id and the URL to hand to the group head (shown once)."""

    link_id: int
    url: str


def token_hash(settings: Settings, token: str) -> str:
    """The keyed hash under which a token is stored."""
    return hmac.new(settings.secret(), f"share-link:{token}".encode(), hashlib.sha256).hexdigest()


def form_key(settings: Settings, token: str) -> str:
    """The anti-forgery value of the answer form, bound to one token."""
    return hmac.new(settings.secret(), f"share-form:{token}".encode(), hashlib.sha256).hexdigest()[:32]


def _clean(text: str, what: str) -> str:
    value = " ".join(nfc(text or "").split())
    if not value:
        raise ShareError(f"Vui lòng nhập {what}.")
    if len(value) > MAX_NAME:
        raise ShareError(f"{what.capitalize()} dài quá {MAX_NAME} ký tự.")
    return value


def create_link(
    store: Store, settings: Settings, *, broadcast_id: int, unit: str, group_head: str, created_by: str, now: datetime
) -> NewLink:
    """A new personal link to broadcast ``broadcast_id``'s share pack, for ``group_head`` of ``unit``."""
    row = broadcast_db.get_broadcast(store, broadcast_id)
    if row is None or not row.get("code") or not row.get("text"):
        raise ShareError("Đợt gửi này chưa có nội dung đã duyệt để chia sẻ.")
    if row.get("state") == "cancelled" and not row.get("started_at"):
        raise ShareError("Đợt gửi này đã bị hủy, không chia sẻ được.")
    token = secrets.token_urlsafe(18)
    link_id = db.insert_link(
        store,
        token_hash=token_hash(settings, token),
        broadcast_id=broadcast_id,
        unit=_clean(unit, "xã, phường"),
        group_head=_clean(group_head, "tên trưởng thôn / tổ trưởng"),
        created_by=created_by,
        created_at=to_db_time(now),
    )
    return NewLink(link_id, f"{settings.base_url}{PATH}{token}")


def open_link(store: Store, settings: Settings, token: str) -> dict[str, Any] | None:
    """The live link for ``token`` joined with its broadcast, or None (unknown, malformed or revoked)."""
    if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
        return None
    link = db.link_by_hash(store, token_hash(settings, token))
    if link is None or link.get("revoked_at"):
        return None
    broadcast = broadcast_db.get_broadcast(store, int(link["broadcast_id"]))
    if broadcast is None:
        return None
    return {**link, "broadcast": broadcast}


def parse_members(text: str) -> int:
    """A member estimate as typed ("120", "khoảng 120", "1.200"): a whole number ≥ 1."""
    digits = "".join(c for c in (text or "") if c.isdigit())
    if not digits:
        raise ShareError("Vui lòng nhập số thành viên ước tính (một con số, ví dụ 120).")
    value = int(digits[:7])
    if not 1 <= value <= MAX_MEMBERS:
        raise ShareError(f"Số thành viên cần từ 1 đến {MAX_MEMBERS:,}".replace(",", ".") + ".")
    return value


def record_share(
    store: Store, settings: Settings, token: str, *, key: str, group_name: str, members: str, now: datetime
) -> dict[str, Any]:
    """Log a group head's answer (group name, member estimate) against their live link."""
    link = open_link(store, settings, token)
    if link is None:
        raise ShareError("Đường dẫn này không còn hiệu lực. Vui lòng liên hệ cán bộ xã, phường.")
    if not hmac.compare_digest(str(key or ""), form_key(settings, token)):
        raise ShareError("Biểu mẫu không hợp lệ. Vui lòng tải lại trang và gửi lại.")
    share = {
        "link_id": int(link["id"]),
        "broadcast_id": int(link["broadcast_id"]),
        "unit": link["unit"],
        "group_name": _clean(group_name, "tên nhóm"),
        "members": parse_members(members),
        "at": to_db_time(now),
    }
    db.insert_share(store, **share)
    return share


def revoke(store: Store, link_id: int, *, by: str, now: datetime) -> None:
    """Revoke a link: its page and form stop working at once."""
    if not db.revoke_link(store, link_id, by=by, at=to_db_time(now)):
        raise ShareError("Đường dẫn không tồn tại hoặc đã bị thu hồi.")
