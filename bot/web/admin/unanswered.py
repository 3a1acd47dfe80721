"""Unanswered questions: the editors' queue of what residents asked that Loa could not answer
(already redacted by ``bot.store.faq``), most asked first.

An editor marks a question handled (it leaves the list; a filter shows handled ones), or
files it as a sample of a topic. A sample is only proposed here: it reaches the classifier
after review (``loa faq samples export``, see docs/faq.md) and a restart, never from a click.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.errors import LoaError
from bot.store import faq_review
from bot.web.admin import labels
from bot.web.admin.deps import (
    FLASH,
    Officer,
    audit,
    checked_form,
    now,
    redirect_ok,
    render,
    require,
    settings_of,
    store_of,
)

router = APIRouter()
NAV = [("/admin/unanswered", "Câu hỏi chưa trả lời", "unanswered")]

FLASH.update(
    {
        "q_handled": "Đã đánh dấu câu hỏi là đã xử lý.",
        "q_sample": "Đã thêm câu hỏi làm câu mẫu (chờ biên tập viên duyệt vào bộ giải đáp).",
        "q_reopened": "Đã đưa câu hỏi trở lại danh sách chưa xử lý.",
    }
)
LIMIT = 200


def _topics(request: Request) -> dict[str, str]:
    """Topic id → Vietnamese title, in file order (read once per process, like the knowledge base)."""
    from bot.reports.labels import faq_titles

    return faq_titles(str(settings_of(request).content_dir))


def _page(request: Request, officer: Officer, *, error: str | None = None, status_code: int = 200) -> Response:
    from bot.reports.labels import topic_label

    handled = request.query_params.get("xem") == "da-xu-ly"
    store = store_of(request)
    rows = faq_review.list_questions(store, handled=handled, limit=LIMIT)
    titles = _topics(request)
    for row in rows:
        row["topic_title"] = topic_label(row["best_topic"], titles) if row.get("best_topic") else ""
        row["sample_title"] = topic_label(row["sample_topic"], titles) if row.get("sample_topic") else ""
    ctx: dict[str, Any] = {
        "rows": rows,
        "handled": handled,
        "counts": faq_review.count_questions(store),
        "topics": titles,
        "can_review": officer.can("unanswered.review"),
        "error": error,
    }
    return render(request, "admin/unanswered.html", ctx, officer=officer, status_code=status_code)


@router.get("/unanswered")
async def unanswered_page(request: Request, officer: Officer = Depends(require("unanswered"))) -> Response:
    """The most frequent open questions (``?xem=da-xu-ly``: the handled ones)."""
    return _page(request, officer)


@router.post("/unanswered/{question_id:int}/handled")
async def mark_handled(
    request: Request, question_id: int, officer: Officer = Depends(require("unanswered.review"))
) -> Response:
    """Mark a question handled: it leaves the default list."""
    await checked_form(request, officer)
    try:
        faq_review.mark_handled(store_of(request), question_id, by=officer.name, at=now(request))
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    audit(request, officer.name, "unanswered.handled", f"question:{question_id}")
    return redirect_ok("/admin/unanswered", "q_handled")


@router.post("/unanswered/{question_id:int}/reopen")
async def reopen(
    request: Request, question_id: int, officer: Officer = Depends(require("unanswered.review"))
) -> Response:
    """Put a handled question back in the open list."""
    await checked_form(request, officer)
    try:
        faq_review.reopen(store_of(request), question_id)
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    audit(request, officer.name, "unanswered.reopen", f"question:{question_id}")
    return redirect_ok("/admin/unanswered?xem=da-xu-ly", "q_reopened")


@router.post("/unanswered/{question_id:int}/sample")
async def add_sample(
    request: Request, question_id: int, officer: Officer = Depends(require("unanswered.review"))
) -> Response:
    """File the question as a pending sample of the chosen topic (and mark it handled)."""
    form = await checked_form(request, officer)
    topic = str(form.get("topic") or "").strip()[:100]
    titles = _topics(request)
    if not topic:
        return _page(request, officer, error="Hãy chọn chủ đề cho câu mẫu.", status_code=400)
    if topic not in titles:
        return _page(request, officer, error="Chủ đề này không có trong bộ giải đáp.", status_code=400)
    try:
        faq_review.propose_sample(store_of(request), question_id, topic, by=officer.name, at=now(request))
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    audit(request, officer.name, "unanswered.sample", f"question:{question_id}", topic=titles[topic])
    return redirect_ok("/admin/unanswered", "q_sample")
