"""/healthz says what is wrong; /metrics speaks Prometheus behind a token (issue 19)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Settings
from bot.ops.backup import BackupResult, record_backup
from bot.web.app import create_app

TOKEN = "metrics-token-for-tests"


@pytest.fixture
def ops_settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "loa.db", secret_key="k", metrics_token=TOKEN, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def client(ops_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(ops_settings, start_channels=False)) as c:
        yield c


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_healthz_lists_every_check(client: TestClient) -> None:
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ok" and body["db"] is True
    assert set(body["checks"]) == {"database", "disk", "scheduler", "channels", "sender", "backup"}
    assert body["checks"]["database"]["detail"] == "writable"
    assert body["checks"]["sender"]["depth"] == 0


def test_healthz_is_503_when_the_database_cannot_be_written(client: TestClient, ops_settings: Settings) -> None:
    other = sqlite3.connect(ops_settings.db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock for good
    try:
        r = client.get("/healthz")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "fail" and body["db"] is False
    assert body["checks"]["database"]["status"] == "fail" and "locked" in body["checks"]["database"]["detail"]
    assert client.get("/healthz").status_code == 200  # and it recovers


def test_healthz_warns_about_an_old_backup(client: TestClient, ops_settings: Settings) -> None:
    old = (datetime.now(UTC) - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S")
    record_backup(ops_settings.db, BackupResult(Path("/srv/b.db.gz"), 1234, 0.5, old))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["checks"]["backup"]["status"] == "warn"
    assert body["checks"]["backup"]["size_bytes"] == 1234


def test_started_app_reports_its_scheduler(ops_settings: Settings) -> None:
    with TestClient(create_app(ops_settings)) as c:
        body = c.get("/healthz").json()
        assert body["checks"]["scheduler"] == {"status": "ok", "detail": "running"}
        jobs = {job.id for job in _scheduler(c).get_jobs()}  # type: ignore[attr-defined]
        assert "ops:backup" in jobs


def _scheduler(c: TestClient) -> object:
    from bot.features.broadcast import scheduler_of

    return scheduler_of(c.app.state.runtime)  # type: ignore[attr-defined]


def test_metrics_need_the_token(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")


def test_metrics_count_conversations_without_resident_data(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = _samples(client.get("/metrics", headers=auth).text)
    for text in ("khám sức khỏe miễn phí ở đâu", "/kiemtra Chúc mừng bạn trúng thưởng, gửi mã OTP vào 0912345678"):
        assert client.post("/api/chat", json={"text": text}).status_code == 200
    text = client.get("/metrics", headers=auth).text
    after = _samples(text)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert delta("loa_updates_in_total", channel="web") == 2
    assert delta("loa_updates_out_total", channel="web") >= 2
    assert delta("loa_reply_seconds_count", channel="web") == 2
    assert delta("loa_faq_total", outcome="answered") + delta("loa_faq_total", outcome="abstained") >= 1
    assert sum(delta("loa_scam_verdicts_total", verdict=v) for v in ("scam", "suspicious")) == 1
    assert ("loa_outbox_depth", ()) in after
    assert "0912345678" not in text and "OTP" not in text
    labels = {name for (_, pairs) in after for name, _ in pairs}
    assert labels <= {"channel", "outcome", "verdict", "status", "le"}  # nothing per resident or chat
