"""Configuration: every setting documented in .env.example, secrets hidden, secret persisted."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings, env_name


def test_env_example_documents_every_setting() -> None:
    text = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*(LOA_[A-Z0-9_]+)=", text, re.M))
    expected = {env_name(name) for name in Settings.model_fields}
    assert expected - documented == set(), "settings missing from .env.example"
    assert documented - expected == set(), ".env.example lists unknown settings"


def test_every_setting_has_a_description() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no description"


def test_secrets_hidden_in_repr() -> None:
    s = Settings(telegram_token="123:ABC", secret_key="topsecret", _env_file=None)  # type: ignore[call-arg]
    assert "123:ABC" not in repr(s) and "topsecret" not in repr(s)
    assert s.masked()["telegram_token"] == "****"
    assert s.masked()["zalo_token"] == "(not set)"


def test_env_prefix_and_dotenv(tmp_path: Path, monkeypatch: object) -> None:
    (tmp_path / ".env").write_text("LOA_PORT=9999\nLOA_PROVINCE=Lạng Sơn\n", encoding="utf-8")
    s = Settings(_env_file=tmp_path / ".env")  # type: ignore[call-arg]
    assert s.port == 9999 and s.province == "Lạng Sơn"


def test_generated_secret_is_persisted(tmp_path: Path) -> None:
    s = Settings(db=tmp_path / "d.db", _env_file=None)  # type: ignore[call-arg]
    first = s.secret()
    assert len(first) >= 32
    assert Settings(db=tmp_path / "d.db", _env_file=None).secret() == first  # type: ignore[call-arg]
    mode = (tmp_path / "d.db.secret").stat().st_mode & 0o777
    assert mode == 0o600


def test_a_channel_is_on_only_with_a_non_empty_token(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.config import Settings

    off = Settings(db=tmp_path / "a.db", telegram_token="", _env_file=None)  # type: ignore[call-arg]
    on = Settings(db=tmp_path / "a.db", zalo_token="z-token", _env_file=None)  # type: ignore[call-arg]
    assert not off.channel_configured("telegram") and off.bot_token("telegram") is None
    assert on.channel_configured("zalo") and on.bot_token("zalo") == "z-token"
    assert not on.channel_configured("telegram")
