"""Unanswered questions: mark handled, reopen, propose as a FAQ sample, export for review
(real app, real SQLite, ``loa`` as a subprocess)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from bot.store import Store
from bot.store.erasure import erase_resident
from bot.store.faq import record_unanswered
from bot.store.faq_review import pending_samples
from tests.conftest import FIXED_NOW
from tests.test_admin import Admin, open_admin
from tests.test_faq_cli import _loa


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("minh", "approver")
        adm.add("boss", "admin")
        record_unanswered(adm.store, "gọi 0912345678 hỏi khám mắt ở đâu", at=FIXED_NOW, best_topic="screening.where")
        for _ in range(3):
            record_unanswered(adm.store, "khám răng có miễn phí không", at=FIXED_NOW, resident="r1")
        adm.login("lan")
        yield adm


def qid(admin: Admin, text: str) -> int:
    row = admin.store.conn.execute("SELECT id FROM faq_unanswered WHERE question LIKE ?", (f"%{text}%",)).fetchone()
    return int(row[0])


def visible(html: str) -> str:
    """The page without tags and attribute values (what an officer reads)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_mark_handled_moves_the_question_to_the_handled_filter(admin: Admin) -> None:
    teeth = qid(admin, "khám răng")
    r = admin.client.post(f"/admin/unanswered/{teeth}/handled", data={"csrf": admin.csrf()}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/unanswered?ok=q_handled"
    page = admin.client.get(r.headers["location"]).text
    assert "Đã đánh dấu câu hỏi là đã xử lý" in page
    assert "khám răng" not in page and "khám mắt" in page
    assert "Chưa xử lý (1)" in page and "Đã xử lý (1)" in page
    done = admin.client.get("/admin/unanswered?xem=da-xu-ly").text
    assert "khám răng" in done and "lan" in done and "khám mắt" not in done
    # Asked again after it was handled: it stays handled, and the page says how often since.
    admin.clock.at = FIXED_NOW + timedelta(hours=1)
    record_unanswered(admin.store, "khám răng có miễn phí không", at=admin.clock.at)
    assert "khám răng" not in admin.client.get("/admin/unanswered").text
    row = re.search(r"khám răng.*?</tr>", admin.client.get("/admin/unanswered?xem=da-xu-ly").text, re.S)
    assert row and re.findall(r"<td>(\d+)</td>", row.group(0)) == ["4", "1"]
    entry = admin.audit()[0]
    assert entry["action"] == "unanswered.handled" and entry["target"] == f"question:{teeth}" and entry["user"] == "lan"


def test_reopen_puts_it_back(admin: Admin) -> None:
    teeth = qid(admin, "khám răng")
    admin.client.post(f"/admin/unanswered/{teeth}/handled", data={"csrf": admin.csrf()})
    r = admin.client.post(f"/admin/unanswered/{teeth}/reopen", data={"csrf": admin.csrf()})
    assert r.status_code == 200 and "Đã đưa câu hỏi trở lại" in r.text
    assert "khám răng" in admin.client.get("/admin/unanswered").text
    assert [e["action"] for e in admin.audit()[:2]] == ["unanswered.reopen", "unanswered.handled"]


def test_add_as_sample_lists_titles_and_stores_a_redacted_pending_sample(admin: Admin) -> None:
    page = admin.client.get("/admin/unanswered").text
    text = visible(page)
    assert "Thêm làm câu mẫu cho chủ đề" in text and "Khám ở đâu?" in text
    assert "screening.where" not in text  # ids travel in option values only
    eye = qid(admin, "khám mắt")
    r = admin.client.post(
        f"/admin/unanswered/{eye}/sample", data={"csrf": admin.csrf(), "topic": "screening.where"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"].endswith("ok=q_sample")
    (sample,) = pending_samples(admin.store)
    assert sample["topic"] == "screening.where" and sample["created_by"] == "lan"
    assert "0912345678" not in sample["text"] and "khám mắt ở đâu" in sample["text"]
    # The question is handled, and the handled list says which topic it was proposed for.
    assert "khám mắt" not in admin.client.get("/admin/unanswered").text
    done = visible(admin.client.get("/admin/unanswered?xem=da-xu-ly").text)
    assert "Khám ở đâu?" in done and "chờ duyệt" in done
    entry = admin.audit()[0]
    assert entry["action"] == "unanswered.sample" and entry["detail"] == {"topic": "Khám ở đâu?"}
    admin.client.cookies.clear()
    admin.login("boss")
    audit_page = visible(admin.client.get("/admin/audit").text)
    assert "Thêm câu hỏi mẫu cho chủ đề" in audit_page and "câu hỏi số" in audit_page
    assert "unanswered.sample" not in audit_page


@pytest.mark.parametrize(
    ("topic", "message"),
    [("", "Hãy chọn chủ đề"), ("khong.co", "không có trong bộ giải đáp")],
)
def test_add_as_sample_refuses_a_missing_or_unknown_topic(admin: Admin, topic: str, message: str) -> None:
    eye = qid(admin, "khám mắt")
    r = admin.client.post(f"/admin/unanswered/{eye}/sample", data={"csrf": admin.csrf(), "topic": topic})
    assert r.status_code == 400 and message in r.text and "khám mắt" in r.text
    assert pending_samples(admin.store) == []


def test_the_same_text_is_proposed_once_and_unknown_ids_answer_in_vietnamese(admin: Admin) -> None:
    eye = qid(admin, "khám mắt")
    admin.client.post(f"/admin/unanswered/{eye}/sample", data={"csrf": admin.csrf(), "topic": "screening.where"})
    r = admin.client.post(f"/admin/unanswered/{eye}/sample", data={"csrf": admin.csrf(), "topic": "screening.when"})
    assert r.status_code == 400 and "đã được đề xuất làm câu mẫu" in r.text
    assert [s["topic"] for s in pending_samples(admin.store)] == ["screening.where"]
    r = admin.client.post("/admin/unanswered/999999/handled", data={"csrf": admin.csrf()})
    assert r.status_code == 400 and "Không tìm thấy câu hỏi này" in r.text and "no unanswered" not in r.text


def test_review_needs_the_role_and_a_csrf_token(admin: Admin) -> None:
    eye = qid(admin, "khám mắt")
    r = admin.client.post(f"/admin/unanswered/{eye}/handled", data={"csrf": "wrong"})
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.text
    admin.client.cookies.clear()
    admin.login("minh")
    r = admin.client.post(f"/admin/unanswered/{eye}/sample", data={"csrf": admin.csrf(), "topic": "screening.where"})
    assert r.status_code == 403
    assert pending_samples(admin.store) == [] and admin.store.conn.execute(
        "SELECT count(*) FROM faq_unanswered WHERE handled_at IS NOT NULL"
    ).fetchone()[0] == 0


def test_erasing_the_only_asker_drops_an_unreviewed_proposal(admin: Admin) -> None:
    teeth = qid(admin, "khám răng")
    admin.client.post(f"/admin/unanswered/{teeth}/sample", data={"csrf": admin.csrf(), "topic": "screening.cost"})
    assert len(pending_samples(admin.store)) == 1
    erase_resident(admin.store, resident="r1", channel="telegram")
    assert pending_samples(admin.store) == []


# --- export for review ---------------------------------------------------------------------------
def _propose(db: Path, rows: list[tuple[str, str]]) -> None:
    from bot.store.faq_review import propose_sample

    store = Store.open(db)
    try:
        for text, topic in rows:
            record_unanswered(store, text, at=FIXED_NOW)
            qid_ = store.conn.execute("SELECT max(id) FROM faq_unanswered").fetchone()[0]
            propose_sample(store, qid_, topic, by="lan", at=FIXED_NOW)
    finally:
        store.close()


def test_samples_export_writes_reviewable_yaml_in_the_samples_format(tmp_path: Path) -> None:
    db = tmp_path / "loa.db"
    _propose(
        db,
        [
            ("mình ở xa thì khám chỗ nào gần nhà nhất vậy ad", "screening.where"),
            ("gọi 0912345678 hỏi có cần mang sổ khám không", "screening.bring"),
            ("cài vneid ntn", "vneid.install"),  # already a sample in the KB: left out
        ],
    )
    env = {"LOA_DB": str(db)}
    r = _loa("faq", "samples", "export", env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    data = yaml.safe_load(r.stdout)
    assert data == {
        "samples": {
            "screening.where": ["mình ở xa thì khám chỗ nào gần nhà nhất vậy ad"],
            "screening.bring": [pending_text(db, "screening.bring")],
        }
    }
    assert "0912345678" not in r.stdout
    assert "# → messages/faq/samples/screening.yaml (Khám ở đâu?)" in r.stdout
    assert "already a sample" in r.stderr and "2 sample(s) exported" in r.stderr
    # Without --mark-exported the export repeats; with it, the next export is empty.
    out = tmp_path / "review.yaml"
    r = _loa("faq", "samples", "export", "--out", str(out), "--mark-exported", env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "marked as exported" in r.stderr
    assert set(yaml.safe_load(out.read_text(encoding="utf-8"))["samples"]) == {"screening.where", "screening.bring"}
    r = _loa("faq", "samples", "export", env=env, cwd=tmp_path)
    assert yaml.safe_load(r.stdout)["samples"] == {} and "0 sample(s) exported" in r.stderr
    r = _loa("faq", "samples", "list", env=env, cwd=tmp_path)
    assert r.returncode == 0 and "vneid.install" in r.stdout and "screening.where" not in r.stdout


def pending_text(db: Path, topic: str) -> str:
    store = Store.open(db, migrate=False)
    try:
        return next(s["text"] for s in pending_samples(store, include_exported=True) if s["topic"] == topic)
    finally:
        store.close()


def test_samples_export_help_is_english_and_documented() -> None:
    from bot.config import PROJECT_ROOT

    r = _loa("faq", "samples", "export", "--help", cwd=PROJECT_ROOT)
    assert r.returncode == 0 and "--mark-exported" in r.stdout and "messages/faq/samples" in r.stdout
    assert "loa faq samples export" in (PROJECT_ROOT / "docs" / "faq.md").read_text(encoding="utf-8")


def test_cli_unanswered_leaves_handled_questions_out_unless_asked(tmp_path: Path) -> None:
    from bot.store.faq_review import mark_handled

    db = tmp_path / "loa.db"
    store = Store.open(db)
    try:
        record_unanswered(store, "khám răng có miễn phí không", at=FIXED_NOW)
        record_unanswered(store, "khám mắt ở đâu", at=FIXED_NOW)
        mark_handled(store, qid_of(store, "khám răng"), by="lan", at=FIXED_NOW)
    finally:
        store.close()
    r = _loa("faq", "unanswered", env={"LOA_DB": str(db)}, cwd=tmp_path)
    assert r.returncode == 0 and "khám mắt" in r.stdout and "khám răng" not in r.stdout
    r = _loa("faq", "unanswered", "--handled", env={"LOA_DB": str(db)}, cwd=tmp_path)
    assert "khám mắt" in r.stdout and "khám răng" in r.stdout


def qid_of(store: Store, text: str) -> int:
    return int(store.conn.execute("SELECT id FROM faq_unanswered WHERE question LIKE ?", (f"%{text}%",)).fetchone()[0])
