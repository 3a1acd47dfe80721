"""Unanswered questions: the editors' queue of what residents asked that Loa could not answer
(already redacted by ``bot.store.faq``), most asked first."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.store.faq import list_unanswered
from bot.web.admin.deps import Officer, render, require, settings_of, store_of

router = APIRouter()
NAV = [("/admin/unanswered", "Câu hỏi chưa trả lời", "unanswered")]


@router.get("/unanswered")
async def unanswered_page(request: Request, officer: Officer = Depends(require("unanswered"))) -> Response:
    """The most frequent unanswered questions, to add to the FAQ (messages/faq/*.yaml)."""
    from bot.reports.labels import faq_titles, topic_label

    rows = list_unanswered(store_of(request), limit=200)
    titles = faq_titles(str(settings_of(request).content_dir))
    for row in rows:
        row["topic_title"] = topic_label(row["best_topic"], titles) if row.get("best_topic") else ""
    return render(request, "admin/unanswered.html", {"rows": rows}, officer=officer)
