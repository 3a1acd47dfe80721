"""Cross-feature product flows, end to end, as the people who use Loa meet them.

- The resident: the real web app (``create_app(demo=True)`` on a temp database, through
  ``POST /api/chat``) from ``/start`` to ``/xoadulieu``: menu, numbered choices, FAQ, screening
  sites, the scam check, ``/xacthuc`` of the demo broadcast and of a forged code.
- The officer: the installed ``loa`` command as a subprocess: users, four-eyes approval,
  chats import, a broadcast to a tag delivered through the local fake Telegram Bot API,
  its status and the quarterly report; then the resident checks the code they received,
  the approver sees it in the web admin, and the report counts it.
- Telegram (groups and private chats through the webhook): tests/test_product_telegram.py.
- Regressions for the cross-feature bugs this file found (see the commit log).

One app and one database per journey (module-scoped), so the file runs in ~25 s.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.store import Store
from bot.web.app import create_app
from tests.conftest import make_db
from tests.fakes.telegram_api import FakeTelegramAPI

ROOT = Path(__file__).resolve().parent.parent
FIXED_NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # Tuesday 24/11/2026, 10:00 in Hải Phòng
SECRET = "product-flow-secret"

# The CLI and the running app use the real clock: reports are asked for the current quarter
# (2026-Q4 when this was written).
_LOCAL_NOW = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
YEAR, QUARTER = _LOCAL_NOW.year, (_LOCAL_NOW.month - 1) // 3 + 1
QUARTER_ARG = f"{YEAR}-Q{QUARTER}"
QUARTER_LABEL = f"quý {('I', 'II', 'III', 'IV')[QUARTER - 1]} năm {YEAR}"

#: A fake VNeID "level 2 sync" text as residents forward it.
FAKE_VNEID = (
    "[VNeID] Tài khoản định danh của bạn sắp bị khóa. Đồng bộ mức 2 ngay tại "
    "http://vneid-dinhdanh.com/xacthuc và nhập mã OTP để giữ tài khoản."
)


# --- helpers --------------------------------------------------------------------------------
def say(client: TestClient, text: str) -> list[dict[str, Any]]:
    """Send one message on the web chat (the client's cookie is the resident) and return the replies."""
    r = client.post("/api/chat", json={"text": text})
    assert r.status_code == 200, r.text
    replies = r.json()["replies"]
    assert replies, f"no reply to {text!r}"
    return replies


def text_of(replies: list[dict[str, Any]]) -> str:
    """All reply texts joined."""
    return "\n".join(r["text"] for r in replies)


def loa_exe() -> list[str]:
    """The installed ``loa`` console script (the command an officer types)."""
    exe = shutil.which("loa")
    return [exe] if exe else [sys.executable, "-m", "bot.cli"]


# --- the resident on the web chat (demo content) ---------------------------------------------
@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("resident")
    settings = Settings(db=tmp / "demo.db", secret_key=SECRET, _env_file=None)  # type: ignore[call-arg]
    app = create_app(settings, demo=True, clock=lambda: FIXED_NOW, start_channels=False)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def resident(demo_app: TestClient) -> Iterator[TestClient]:
    """A fresh browser (its own cookie) on the shared demo app."""
    demo_app.cookies.clear()
    demo_app.get("/chat")
    assert "loa_chat" in demo_app.cookies
    yield demo_app
    demo_app.cookies.clear()


_stores: dict[str, Store] = {}


def app_store(client: TestClient) -> Store:
    """The app's database through the test thread's own connection (the app's store belongs
    to its event loop's thread)."""
    path = str(client.app.state.runtime.settings.db)  # type: ignore[attr-defined]
    if path not in _stores:
        _stores[path] = Store.open(path, migrate=False)
    return _stores[path]


def demo_code(client: TestClient) -> str:
    """The verification code of the demo broadcast (what ``loa demo`` prints)."""
    from bot.store import broadcast as db

    store = app_store(client)
    row = db.get_broadcast(store, int(store.get_meta("broadcast_demo")))
    assert row is not None and row["code"].startswith("HP-")
    return str(row["code"])


def test_resident_journey_across_features(resident: TestClient) -> None:
    # /start: a welcome and the numbered menu, in Vietnamese, with the commands.
    start = say(resident, "/start")
    welcome = start[0]
    assert welcome["text"].startswith("Xin chào!") and "Hải Phòng" in welcome["text"]
    assert "1. Khám sức khỏe miễn phí" in welcome["text"] and "/xoadulieu" in welcome["text"]
    labels = [c["label"] for c in welcome["choices"]]
    assert len(labels) >= 5 and "Tìm điểm khám gần bạn" in labels

    # Menu choice "1" is handled as if its payload was typed: the FAQ on the free check-up.
    one = text_of(say(resident, "1"))
    assert "miễn phí ít nhất 1 lần mỗi năm" in one and "1900 9095" in one

    # FAQ without diacritics.
    faq = say(resident, "kham suc khoe mien phi o dau")
    assert faq[0]["kind"] == "answer"
    assert "trạm y tế xã/phường nơi cư trú" in faq[0]["text"]
    assert faq[0]["choices"], "the FAQ offers follow-up questions"

    # Screening sites: commune + relative date ("next week" from Tuesday 24/11 = 30/11–06/12).
    sites = text_of(say(resident, "điểm khám ở Kẻ Sặt tuần sau"))
    assert "xã Kẻ Sặt, tuần sau" in sites
    assert "Trạm Y tế xã Kẻ Sặt" in sites and "Thứ Bảy 05/12" in sites
    assert "Thứ Tư 02/12" in sites and "CCCD" in sites
    assert "24/11" not in sites  # nothing from this week

    # A forwarded fake VNeID "đồng bộ mức 2" text: a scam verdict with reasons and advice.
    scam = say(resident, FAKE_VNEID)
    assert scam[0]["kind"] == "scam_check"
    verdict = scam[0]["text"]
    assert verdict.startswith("⛔ CÓ DẤU HIỆU LỪA ĐẢO")
    assert "vneid-dinhdanh.com" in verdict and ".gov.vn" in verdict and "OTP" in verdict
    assert "156 / 5656" in verdict

    # The code of the demo broadcast: official, with the time (local) and the official text.
    code = demo_code(resident)
    official = text_of(say(resident, f"/xacthuc {code}"))
    assert official.startswith("✅ Đây là tin chính thức của Sở Y tế Hải Phòng")
    assert "09:00 ngày 20/11/2026" in official and code in official
    assert "CẢNH GIÁC CUỘC GỌI GIẢ DANH" in official
    # Tolerant look-up: lower case, no hyphen.
    assert "✅" in text_of(say(resident, code.lower().replace("-", " ")))
    # A forged code: not official, with the spam-report number.
    forged = text_of(say(resident, "/xacthuc HP-ZZZZZZ"))
    assert "“HP-ZZZZZZ” KHÔNG phải mã của tin chính thức" in forged and "156 / 5656" in forged

    # Subscribing on the web explains where pushes come from; /stop and /xoadulieu confirm.
    assert "Zalo hoặc Telegram" in text_of(say(resident, "/dangky"))
    assert "chưa đăng ký nhận tin" in text_of(say(resident, "/stop"))  # the web chat never subscribes
    erased = text_of(say(resident, "/xoadulieu"))
    assert "đã xóa các bản ghi gắn với bạn" in erased and "không lưu số giấy tờ" in erased


def test_menu_numbers_follow_the_last_menu(resident: TestClient) -> None:
    menu = say(resident, "/menu")[0]
    payloads = [c["payload"] for c in menu["choices"]]
    # Every numbered choice leads somewhere real (never the "no answer" fallback).
    n_sites = payloads.index("/diemkham") + 1
    sites = text_of(say(resident, str(n_sites)))
    assert "xã/phường" in sites and "chưa có câu trả lời" not in sites
    say(resident, "/menu")
    n_vneid = next(i for i, c in enumerate(menu["choices"], 1) if "VNeID" in c["label"])
    vneid = text_of(say(resident, str(n_vneid)))
    assert "VNeID" in vneid and "chưa có câu trả lời" not in vneid
    # The follow-up questions under an FAQ answer are numbered too.
    faq = say(resident, "kham suc khoe mien phi o dau")[0]
    follow = faq["choices"][0]
    answer = text_of(say(resident, "1"))
    assert answer and "chưa có câu trả lời" not in answer
    assert follow["label"]
    # A number out of range is not a crash and says what to do.
    say(resident, "/menu")
    assert "Loa có thể giúp bạn" in text_of(say(resident, "99"))


@pytest.mark.parametrize("typed", ["2", "2.", "số 2", "so 2", "２", "2 ạ", "chọn 2", "Chọn 2 nhé", "2 nha!"])
def test_menu_number_typed_the_way_residents_type_it(resident: TestClient, typed: str) -> None:
    say(resident, "/menu")
    answer = text_of(say(resident, typed))
    assert answer.startswith("Bạn ở xã/phường nào?"), (typed, answer)


def test_a_number_inside_a_question_is_not_a_menu_choice(resident: TestClient) -> None:
    say(resident, "/menu")
    answer = text_of(say(resident, "2 ngày nữa khám ở Kẻ Sặt không"))
    assert "Kẻ Sặt" in answer and not answer.startswith("Bạn ở xã/phường nào?")

def test_help_lists_each_command_once(resident: TestClient) -> None:
    """/help is read on a phone: the menu, then each command once with what it does."""
    text = say(resident, "/help")[0]["text"]
    assert "Các lệnh:" in text and "/xoadulieu /forget — xóa dữ liệu" in text
    assert "Lệnh: " not in text, "the commands are listed twice"
    lines = text.splitlines()
    for command in ("/start", "/dangky", "/stop", "/xoadulieu", "/diemkham", "/xacthuc", "/kiemtra"):
        assert sum(line.startswith(command + " ") for line in lines) == 1, (command, text)
    # /start still shows the short command line under the menu.
    assert "Lệnh: /start, /help" in say(resident, "/start")[0]["text"]

def test_shared_location_and_two_step_scam_check(resident: TestClient) -> None:
    # "Tìm điểm khám gần bạn": the web chat shares a location; the nearest session comes first.
    r = resident.post("/api/chat", json={"location": {"latitude": 20.914, "longitude": 106.148}})
    near = r.json()["replies"][0]["text"]
    assert near.startswith("Lịch khám sức khỏe miễn phí gần bạn")
    assert near.index("Trạm Y tế xã Kẻ Sặt") < near.index("Đội khám lưu động xã Kẻ Sặt") and "cách 60 m" in near
    r = resident.post("/api/chat", json={"location": {"latitude": 10.77, "longitude": 106.70}})  # Sài Gòn
    assert "Chưa có lịch khám sắp tới gần bạn" in r.json()["replies"][0]["text"]
    # Menu "Kiểm tra tin nhắn" asks for the text; the next message is checked even without a link.
    menu = say(resident, "/menu")[0]
    n_check = next(i for i, c in enumerate(menu["choices"], 1) if c["payload"] == "/kiemtra")
    assert "Hãy dán (hoặc chuyển tiếp) tin nhắn" in text_of(say(resident, str(n_check)))
    (verdict,) = say(resident, "Em là cán bộ BHXH, bác đọc giúp em mã OTP vừa gửi về máy để cập nhật sổ sức khỏe nhé")
    assert verdict["kind"] == "scam_check" and verdict["text"].startswith(("⛔", "⚠️")) and "OTP" in verdict["text"]

def test_unanswered_question_reaches_the_editor_redacted(resident: TestClient) -> None:
    """A question Loa cannot answer goes to the editors' list with phone and ID numbers hidden."""
    question = "gia ve xe buyt tuyen so 5 la bao nhieu, sdt 0912345678 cccd 001203004567"
    assert "chưa có câu trả lời" in text_of(say(resident, question))
    store = app_store(resident)
    password = json.loads(store.get_meta("admin_demo_logins"))["editor"]
    resident.cookies.clear()
    csrf = resident.get("/admin/login").text.split('name="csrf" value="')[1].split('"')[0]
    r = resident.post(
        "/admin/login", data={"name": "editor", "password": password, "csrf": csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    page = resident.get("/admin/unanswered").text
    assert "gia ve xe buyt tuyen so 5 la bao nhieu" in page
    assert "0912345678" not in page and "001203004567" not in page and "[sđt]" in page

def test_web_errors_are_vietnamese_and_do_not_break_the_session(resident: TestClient) -> None:
    r = resident.post("/api/chat", content=b"{oops", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "không đọc được" in r.json()["error"]
    assert "Loa có thể giúp bạn" in text_of(say(resident, "/help"))
    health = resident.get("/healthz").json()
    assert health["status"] == "ok" and health["db"] is True



def forwarded_demo_broadcast(client: TestClient) -> tuple[str, str]:
    """The demo broadcast as a resident would forward it (body and footer), and its code."""
    from bot.broadcast.verify import sent_messages

    code = demo_code(client)
    store = app_store(client)
    body = next(m.text for m in sent_messages(store) if m.code == code)
    footer = f"\n\n—\nTin chính thức của Sở Y tế Hải Phòng. Mã xác thực: {code}\nKiểm tra: gửi “/xacthuc {code}” cho Loa."
    return body + footer, code


def test_forwarded_official_broadcast_is_official(resident: TestClient) -> None:
    text, code = forwarded_demo_broadcast(resident)
    (reply,) = say(resident, text)
    assert reply["kind"] == "scam_check" and reply["text"].startswith("✅ TIN CHÍNH THỨC")
    assert code in reply["text"] and "20/11/2026" in reply["text"]
    # The genuine footer on a different, scam text is caught.
    (reply,) = say(resident, FAKE_VNEID + text[text.index("\n\n—"):])
    assert reply["text"].startswith("⛔") and "thuộc một tin khác" in reply["text"]


_DOCTORED = {
    "code_with_money_demand": lambda text, code: f"Mã xác thực: {code}. Chuyển 500.000đ để nhận kết quả khám.",
    "copy_with_fee_appended": lambda text, code: text.replace(
        "\n\n—", "\nLưu ý: nộp phí hồ sơ 200.000đ qua chuyển khoản trước khi đến khám.\n\n—"
    ),
    "copy_asking_for_otp": lambda text, code: text.replace(
        "Không đọc mã OTP, mật khẩu cho bất kỳ ai.", "Hãy đọc mã OTP cho cán bộ y tế khi được gọi."
    ),
}


@pytest.mark.parametrize("case", sorted(_DOCTORED))
def test_doctored_official_message_is_not_vouched_for(resident: TestClient, case: str) -> None:
    """Found here (was '✅ TIN CHÍNH THỨC … Bạn có thể làm theo hướng dẫn'); fixed in 4270693."""
    text, code = forwarded_demo_broadcast(resident)
    doctored = _DOCTORED[case](text, code)
    assert doctored != text
    (reply,) = say(resident, doctored)
    assert not reply["text"].startswith("✅"), reply["text"]



def test_resident_questions_route_to_the_right_feature(resident: TestClient) -> None:
    """Questions in the words residents use reach the FAQ, not the scam check, and vice versa."""
    assert text_of(say(resident, "muon dang ky kham")).startswith("Bạn không cần đăng ký qua mạng")
    (fee,) = say(resident, "co mat tien ko")
    assert fee["kind"] == "answer" and "MIỄN PHÍ" in fee["text"]
    (advice,) = say(resident, "tôi bị đau ngực uống thuốc gì")
    assert "115" in advice["text"] and "không tư vấn" in advice["text"]
    (family,) = say(resident, "Con ơi mẹ bị tai nạn, chuyển gấp 5 triệu vào STK 123456789 cho bác sĩ")
    assert family["kind"] == "scam_check" and family["text"].startswith("⛔")


def test_bare_genuine_code_next_to_a_fee_demand_is_not_vouched_for(resident: TestClient) -> None:
    """Found here (was '✅ TIN CHÍNH THỨC … Bạn có thể làm theo hướng dẫn trong tin'); fixed in 617dc19."""
    code = demo_code(resident)
    (reply,) = say(resident, f"{code} chuyển khoản 300k phí hồ sơ khám sức khỏe")
    assert not reply["text"].startswith("✅"), reply["text"]


def test_question_about_expired_insurance_card_is_not_called_suspicious(resident: TestClient) -> None:
    """Found here (was '⚠️ ĐÁNG NGỜ' with an account 'error' and urgency it did not contain)."""
    (reply,) = say(resident, "the bhyt het han co duoc kham mien phi khong")
    assert reply["kind"] != "scam_check", reply["text"]


def test_registration_question_with_a_phone_number_gets_the_registration_answer(resident: TestClient) -> None:
    """Found here (the phone number led to VNeID device login / changing the phone number)."""
    answer = text_of(say(resident, "em sdt 0912345678 muon dang ky kham"))
    assert "Mỗi tài khoản VNeID chỉ đăng nhập trên một thiết bị" not in answer
    assert "đăng ký" in answer

# --- the officer with the CLI, then the resident who received the broadcast -------------------
@pytest.fixture(scope="module")
def officer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A fake Telegram Bot API and the environment for ``loa`` subprocesses on one database."""
    tmp = tmp_path_factory.mktemp("officer")
    with FakeTelegramAPI() as tg:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        env.update(
            {
                "LOA_DB": str(make_db(tmp / "loa.db")),
                "LOA_SECRET_KEY": SECRET,
                "LOA_TELEGRAM_TOKEN": tg.token,
                "LOA_TELEGRAM_BASE_URL": tg.base_url,
            }
        )
        yield {"tmp": tmp, "env": env, "tg": tg}


def run_loa(officer: dict[str, Any], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``loa ARGS`` in the officer's folder; by default it must succeed."""
    r = subprocess.run(
        [*loa_exe(), *args], capture_output=True, text=True, env=officer["env"], cwd=officer["tmp"], timeout=60
    )
    if ok:
        assert r.returncode == 0, (args, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    return r


def last_id(r: subprocess.CompletedProcess[str]) -> str:
    """Commands that create something print the new id alone on the last stdout line."""
    last = r.stdout.strip().splitlines()[-1]
    assert last.isdigit(), r.stdout
    return last


CHATS_CSV = (
    "channel,chat_id,kind,title,unit,tags\n"
    "telegram,-1001,group,Tổ dân phố 1 Kẻ Sặt,Kẻ Sặt,nguoi_cao_tuoi\n"
    "telegram,-1002,group,Chi hội người cao tuổi Kẻ Sặt,Kẻ Sặt,nguoi_cao_tuoi;phu_huynh\n"
    "telegram,-1003,group,Hội phụ huynh Lê Chân,Lê Chân,phu_huynh\n"
    "telegram,5001,private,,Kẻ Sặt,nguoi_cao_tuoi\n"
)


def test_officer_broadcast_then_resident_verifies_and_report_counts(officer: dict[str, Any]) -> None:
    tg: FakeTelegramAPI = officer["tg"]
    tmp: Path = officer["tmp"]

    # Users: an editor who is also an approver, and a second approver.
    r = run_loa(officer, "users", "add", "lan", "--role", "editor", "--role", "approver")
    assert "/admin/invite/" in r.stdout and last_id(r) == "1"
    r = run_loa(officer, "users", "add", "hung", "--role", "approver", "--role", "reporter")
    assert last_id(r) == "2"
    hung_link = r.stdout.split("/admin/invite/")[1].split()[0]

    # A draft, submitted; the author cannot approve her own text (four-eyes), hung can.
    mid = last_id(run_loa(officer, "messages", "add", str(ROOT / "messages/campaigns/screening_dates.yaml"), "--author", "lan"))
    run_loa(officer, "messages", "submit", mid)
    text_hash = run_loa(officer, "messages", "show", mid).stdout.split("text hash: ")[1].split()[0]
    r = run_loa(officer, "messages", "approve", mid, "--by", "lan", "--hash", text_hash, ok=False)
    assert r.returncode == 1 and "four-eyes" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "approved by hung" in run_loa(officer, "messages", "approve", mid, "--by", "hung", "--hash", text_hash).stdout

    # Chats, then a broadcast to the elderly (tag) with the dates filled in.
    (tmp / "chats.csv").write_text(CHATS_CSV, encoding="utf-8")
    assert "4 chat(s) added" in run_loa(officer, "chats", "import", "chats.csv").stdout
    r = run_loa(officer, "broadcast", "create", "--message", mid, "--to", "tag:nguoi_cao_tuoi", "--now", "--var", "dates=01/12–20/12")
    bid = last_id(r)
    assert "for 3 chat(s)" in r.stdout

    r = run_loa(officer, "broadcast", "run", "--until-done", "--quiet")
    assert "sent 3" in r.stdout and "failed 0" in r.stdout
    assert tg.token not in r.stdout + r.stderr
    sent = {s["chat_id"]: s["text"] for s in tg.sent}
    assert set(sent) == {"-1001", "-1002", "5001"}  # Lê Chân's parents' group is not elderly

    status = json.loads(run_loa(officer, "broadcast", "status", bid, "--json").stdout)
    assert status["state"] == "done" and status["counts"]["sent"] == 3 and status["counts"]["failed"] == 0
    code = status["code"]
    received = sent["5001"]
    assert "KHÁM SỨC KHỎE MIỄN PHÍ NĂM 2026" in received and "01/12–20/12" in received
    assert f"Mã xác thực: {code}" in received and f"/xacthuc {code}" in received

    # The resident checks the code they received, and forwards the whole text.
    settings = Settings(db=tmp / "loa.db", secret_key=SECRET, _env_file=None)  # type: ignore[call-arg]
    with TestClient(create_app(settings, start_channels=False)) as client:
        client.get("/chat")
        verified = text_of(say(client, f"/xacthuc {code}"))
        assert verified.startswith("✅ Đây là tin chính thức của Sở Y tế Hải Phòng") and "01/12–20/12" in verified
        forwarded = say(client, received)
        assert forwarded[0]["kind"] == "scam_check" and forwarded[0]["text"].startswith("✅ TIN CHÍNH THỨC")
        assert code in forwarded[0]["text"]
        assert "KHÔNG phải mã" in text_of(say(client, "/xacthuc HP-AAAAAA"))

        # The approver sets a password through the CLI's invitation link, logs in to the web
        # admin and sees the CLI's broadcast delivered, and downloads the report the CLI writes.
        hung_password = "chon-mat-khau-rieng-2026"
        r = client.post(
            f"/admin/invite/{hung_link}",
            data={"password": hung_password, "password2": hung_password},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        login = client.get("/admin/login").text
        csrf = login.split('name="csrf" value="')[1].split('"')[0]
        r = client.post(
            "/admin/login",
            data={"name": "hung", "password": hung_password, "csrf": csrf},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        page = client.get(f"/admin/broadcasts/{bid}").text
        assert code in page and "Đã xong" in page and "Đã gửi 3" in page and "01/12–20/12" in page
        web_report = client.get("/admin/reports/download", params={"period": "quarter", "quarter": QUARTER_ARG, "format": "md"})
        assert web_report.status_code == 200 and "| Telegram | 1 | 3 | 0 | 2 | 1 | 1 |" in web_report.text

    # The quarterly report: the delivered counts, by channel, commune and priority group,
    # and the resident's verifications.
    r = run_loa(officer, "report", "--quarter", QUARTER_ARG, "--format", "md", "--out", "q4.md")
    report = (tmp / "q4.md").read_text(encoding="utf-8")
    assert QUARTER_LABEL in report and "thành phố Hải Phòng" in report
    assert "phát 1 bản tin tuyên truyền đã được phê duyệt, gửi thành công 3 lượt tin, 0 lượt gửi lỗi" in report
    assert "| Telegram | 1 | 3 | 0 | 2 | 1 | 1 |" in report
    assert "| Kẻ Sặt | 1 | 3 | 0 | 2 | 1 | 1 |" in report
    assert "| Người cao tuổi | 3 | 3 | 1 |" in report
    assert "| Khám sức khỏe định kỳ, khám sàng lọc | 1 | 3 |" in report
    assert "| Mã xác thực không khớp (nghi giả mạo) | 1 |" in report
    verifications = next(line for line in report.splitlines() if line.startswith("| Lượt xác minh tin nhắn chính thức"))
    assert int(verifications.split("|")[2]) >= 1

