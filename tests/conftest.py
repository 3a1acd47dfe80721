"""Shared fixtures: settings on a temp database, the store, the dialog, the web app.

Also an offline guard: any socket connection to a non-loopback address fails the test,
so the suite can never depend on (or reach) the internet.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.dialog import Dialog
from bot.faq.kb import knowledge_base, model_cache_dir
from bot.faq.model import cache_file, load_or_fit
from bot.features import build_dialog
from bot.reference import ensure_reference_data
from bot.store import Store

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_address(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host in ("localhost", ""):
            return
        try:
            ip = ipaddress.ip_address(host.split("%")[0])
        except ValueError as exc:
            raise OSError(f"test tried to resolve/connect to non-local host {host!r}") from exc
        if not ip.is_loopback:
            raise OSError(f"test tried to reach the network ({host}); the suite must stay offline")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_address(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _offline_guard() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer .env or LOA_* variable leaks into tests; cwd is a temp folder."""
    import os

    for key in list(os.environ):
        if key.startswith("LOA_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


FIXED_NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội time


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh temp database with a fixed secret."""
    return Settings(db=tmp_path / "loa.db", secret_key="test-secret-key", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A migrated store with the admin units loaded."""
    s = Store.open(settings.db)
    ensure_reference_data(s, settings)
    yield s
    s.close()


@pytest.fixture
def dialog(store: Store, settings: Settings) -> Dialog:
    """The full dialog (every registered feature) with a fixed clock."""
    return build_dialog(store, settings, clock=lambda: FIXED_NOW)


def make_db(path: Path) -> Path:
    """Create (and migrate) a database at ``path``, as ``loa db migrate`` would: CLI commands
    other than ``db migrate`` / ``demo`` refuse a missing database."""
    if not path.exists():
        Store.open(path).close()
    return path


@pytest.fixture(scope="session")
def faq_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge base's fitted FAQ model file, fitted once per test session."""
    folder = tmp_path_factory.mktemp("faq-model")
    settings = Settings(db=folder / "loa.db", secret_key="k", _env_file=None)  # type: ignore[call-arg]
    training = knowledge_base(settings).training_set()
    load_or_fit(training, folder)
    return cache_file(folder, training)


@pytest.fixture
def seed_faq_model(faq_model_file: Path) -> Callable[[Path], None]:
    """``seed(db)`` puts the session's fitted FAQ model in the model cache of database ``db``,
    as a server that has run before has it. A ``loa`` subprocess then loads it (found by the
    training set's hash, as in production) instead of fitting the same model again, ~4 s of
    CPU each time. Tests of the fit-and-cache path itself must not seed."""

    def seed(db: Path) -> None:
        settings = Settings(db=db, secret_key="k", _env_file=None)  # type: ignore[call-arg]
        cache = model_cache_dir(settings)
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copy2(faq_model_file, cache / faq_model_file.name)

    return seed
