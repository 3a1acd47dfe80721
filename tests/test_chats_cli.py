"""``loa chats import / list / tag``: audiences for targeting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.broadcast.chat_import import import_chats, parse_tags
from bot.cli import app
from bot.errors import DataFileError
from bot.store import Store
from bot.store import chats as chat_store
from tests.conftest import make_db


@pytest.fixture
def loa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("LOA_DB", str(make_db(tmp_path / "chats.db")))
    monkeypatch.setenv("LOA_SECRET_KEY", "k")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def _csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "chats.csv"
    path.write_text("channel,chat_id,kind,title,unit,tags\n" + body, encoding="utf-8")
    return path


def test_parse_tags() -> None:
    assert parse_tags("Người cao tuổi; phu-huynh|hộ nghèo") == ["ho_ngheo", "nguoi_cao_tuoi", "phu_huynh"]
    assert parse_tags("") == []


def test_import_creates_then_updates(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path, "telegram,-1001,group,Tổ dân phố 3,Lê Chân,nguoi_cao_tuoi\nzalo,abc,private,,,\n")
    assert import_chats(store, path) == (2, 0)
    chat = chat_store.get_chat(store, "telegram", "-1001")
    assert chat["unit"] == "Lê Chân" and chat["tags"] == ["nguoi_cao_tuoi"] and chat["title"] == "Tổ dân phố 3"
    path = _csv(tmp_path, "telegram,-1001,group,Tổ 3,lê chân,phu_huynh;ho_ngheo\n")
    assert import_chats(store, path) == (0, 1)
    assert chat_store.get_chat(store, "telegram", "-1001")["tags"] == ["ho_ngheo", "phu_huynh"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("facebook,1,group,,,\n", "channel must be telegram or zalo"),
        ("telegram,,group,,,\n", "empty chat_id"),
        ("telegram,1,channel,,,\n", "kind must be private or group"),
        ("telegram,1,group,,Atlantis,\n", "unknown (or ambiguous )?unit"),
        ("telegram,1,group,,,\ntelegram,1,group,,,\n", "duplicate chat"),
    ],
)
def test_bad_rows_refuse_the_whole_file(store: Store, tmp_path: Path, body: str, message: str) -> None:
    path = _csv(tmp_path, "telegram,9,private,,,\n" + body)
    with pytest.raises(DataFileError, match=message):
        import_chats(store, path)
    assert chat_store.get_chat(store, "telegram", "9") is None  # nothing half-imported


def test_bad_files(store: Store, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not found"):
        import_chats(store, tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing columns"):
        import_chats(store, bad)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("channel,chat_id,kind\ntelegram,1,group,Tổ\n".encode("cp1258", "replace") + b"\xff\xfe")
    with pytest.raises(DataFileError):
        import_chats(store, latin)


def test_cli_import_list_tag(loa: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "telegram,-1001,group,Tổ 3,Lê Chân,nguoi_cao_tuoi\ntelegram,-1002,group,Tổ 4,,\n")
    r = loa("chats", "import", str(path))
    assert r.exit_code == 0 and "2 chat(s) added" in r.stdout
    r = loa("chats", "list", "--tag", "người cao tuổi")
    assert "-1001" in r.stdout and "-1002" not in r.stdout and "1 chat(s)" in r.stdout
    r = loa("chats", "tag", "telegram:-1002", "--tag", "phụ huynh", "--unit", "Lê Chân")
    assert r.exit_code == 0 and "phu_huynh" in r.stdout and "Lê Chân" in r.stdout
    r = loa("chats", "tag", "telegram:-1002", "--remove", "phu_huynh")
    assert r.exit_code == 0 and "tags -" in r.stdout
    r = loa("chats", "list", "--unit", "Lê Chân")
    assert "-1001" in r.stdout and "-1002" in r.stdout
    r = loa("chats", "tag", "-1002", "--tag", "x")
    assert r.exit_code != 0
    r = loa("chats", "tag", "zalo:nope", "--tag", "x")
    assert r.exit_code != 0 and "no chat zalo:nope" in str(r.exception)
    r = loa("chats", "import", str(tmp_path / "missing.csv"))
    assert r.exit_code != 0 and "not found" in str(r.exception)
