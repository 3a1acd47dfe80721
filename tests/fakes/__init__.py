"""Local stand-ins for the Telegram and Zalo Bot API servers (real HTTP on 127.0.0.1).

``FakeTelegramAPI`` and ``FakeZaloAPI`` record what the bot sends and can be told to fail
the way the real platforms do (429 with retry_after, 403 blocked, 400 chat not found,
group migration, 5xx, slow or malformed replies). See ``docs/channels.md``.
"""

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.zalo_api import FakeZaloAPI

__all__ = ["FakeTelegramAPI", "FakeZaloAPI"]
