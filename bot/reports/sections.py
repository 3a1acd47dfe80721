"""The six computed sections of the report (the seventh is the reporter's own text).

Each builder reads its figures through ``bot.reports.metrics``, adds them to the shared
``figures`` dict (used by tests and the admin dashboard) and lays out its tables and chart.
"""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.reports import metrics as M
from bot.reports import metrics_checks as C
from bot.reports.document import Chart, Section, Table, num
from bot.reports.periods import time_word
from bot.reports.reach import digital_reach, poster_reach

CITIES = {"Hải Phòng", "Hà Nội", "Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Cần Thơ", "Huế"}


def province_word(settings: Settings) -> str:
    """``thành phố`` for the centrally-run cities, else ``tỉnh``."""
    return "thành phố" if settings.province in CITIES else "tỉnh"


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _total(label: str, rows: list[list[Any]], distinct: dict[int, int] | None = None) -> list[Any] | None:
    """A total row summing the integer columns (None when there are no rows); ``distinct``
    gives columns whose total is not a sum (a broadcast counted once, not per channel).
    Cells that do not apply (None, shown as "—") are left out of the sum."""
    if not rows:
        return None
    width = len(rows[0])
    out: list[Any] = [label]
    for i in range(1, width):
        vals = [r[i] for r in rows if r[i] is not None]
        if distinct and i in distinct:
            out.append(distinct[i])
        elif vals and all(isinstance(v, int) for v in vals):
            out.append(sum(vals))
        else:
            out.append(None)
    return out


#: Table note under every table with a "Bản tin" column.
BROADCAST_NOTE = (
    "Cột “Bản tin” đếm số bản tin khác nhau. Một bản tin gửi qua nhiều kênh, đến nhiều xã, phường "
    "được tính ở mỗi dòng nhận được nó, nhưng chỉ tính một lần ở dòng “Tổng cộng”; vì vậy dòng tổng "
    "của cột này không bằng tổng các dòng."
)


def digital_outreach(ctx: M.Context, f: dict[str, Any]) -> Section:
    """Section 1: broadcasts, deliveries, reach by channel, commune and theme. Adds its figures to ``f``."""
    f["broadcasts_sent"] = M.broadcasts_sent(ctx)
    f["deliveries_sent"] = M.deliveries_sent(ctx)
    f["deliveries_failed"] = M.deliveries_failed(ctx)
    f["groups_reached"] = M.groups_reached(ctx)
    f["subscribers_reached"] = M.subscribers_reached(ctx)
    f["estimated_reach"] = M.estimated_reach(ctx)
    f["delivery_success_pct"] = _pct(f["deliveries_sent"], f["deliveries_sent"] + f["deliveries_failed"])
    s1 = Section(
        1,
        "Kết quả tuyên truyền trên nền tảng số",
        [
            "Loa là hệ thống trợ lý tự động của ngành y tế trên Zalo, Telegram và trang web: gửi tin tuyên "
            "truyền đã được lãnh đạo phê duyệt, trả lời câu hỏi và giúp người dân kiểm tra tin nhắn nghi lừa đảo. "
            f"Trong kỳ, Loa đã phát {num(f['broadcasts_sent'])} bản tin tuyên truyền đã được phê duyệt, "
            f"gửi thành công {num(f['deliveries_sent'])} lượt tin, {num(f['deliveries_failed'])} lượt gửi lỗi "
            f"(tỷ lệ thành công {num(f['delivery_success_pct'])}%).",
            f"Tin đã đến {num(f['groups_reached'])} nhóm cộng đồng và {num(f['subscribers_reached'])} người đăng ký nhận tin; "
            f"ước tính tiếp cận {num(f['estimated_reach'])} người dân (người đăng ký cộng tổng số thành viên các nhóm "
            "khi nền tảng cung cấp).",
        ],
        _outreach_tables(ctx, f),
        Chart(
            "c1",
            "Lượt tin gửi thành công",
            time_word(ctx.period),
            M.deliveries_by_week(ctx),
            M.deliveries_by_unit_chart(ctx),
            "lượt tin",
        ),
    )
    _add_reach(s1, *digital_reach(ctx, f))
    return s1


def _outreach_tables(ctx: M.Context, f: dict[str, Any]) -> list[Table]:
    """Section 1's tables: by channel, by commune, by theme."""
    outcols = ["Bản tin", "Gửi thành công", "Gửi lỗi", "Nhóm", "Người đăng ký", "Ước tính người tiếp cận"]
    by_channel = M.outreach_by_channel(ctx)
    by_unit = M.outreach_by_unit(ctx)
    return [
        # A broadcast goes to several channels and communes: its total is the distinct count.
        Table(
            "1a_kenh",
            "Kết quả theo kênh",
            ["Kênh", *outcols],
            by_channel,
            _total("Tổng cộng", by_channel, {1: f["broadcasts_sent"]}),
            note=BROADCAST_NOTE,
        ),
        Table(
            "1b_xa",
            "Kết quả theo xã, phường",
            ["Xã, phường", *outcols],
            by_unit,
            _total("Tổng cộng", by_unit, {1: f["broadcasts_sent"]}),
            note=BROADCAST_NOTE,
        ),
        Table(
            "1c_chu_de",
            "Bản tin theo chủ đề",
            ["Chủ đề", "Bản tin", "Lượt gửi thành công"],
            M.messages_by_theme(ctx),
            _total("Tổng cộng", M.messages_by_theme(ctx)),
        ),
    ]


def residents_interaction(ctx: M.Context, f: dict[str, Any]) -> Section:
    """Section 2: residents served, questions by topic, unanswered, look-ups, reply time. Adds its figures to ``f``."""
    for key in (
        "interactions",
        "questions_answered",
        "questions_unanswered",
        "medical_redirects",
        "site_lookups",
        "subscriptions",
        "cancellations",
        "unique_residents",
        "median_reply_ms",
    ):
        f[key] = getattr(M, key)(ctx)
    f["median_reply_s"] = round(f["median_reply_ms"] / 1000, 1)
    s2 = Section(
        2,
        "Tương tác của người dân",
        [
            f"Loa đã phục vụ {num(f['unique_residents'])} người dân, xử lý {num(f['interactions'])} lượt tin nhắn; "
            f"trả lời {num(f['questions_answered'])} câu hỏi, {num(f['questions_unanswered'])} câu hỏi chưa trả lời được "
            "(đã chuyển cán bộ bổ sung nội dung).",
            f"Người dân tra cứu địa điểm, lịch khám {num(f['site_lookups'])} lượt; {num(f['subscriptions'])} lượt đăng ký "
            f"và {num(f['cancellations'])} lượt hủy nhận tin. Một nửa số tin nhắn được trả lời trong vòng "
            f"{num(f['median_reply_s'])} giây.",
        ],
        _interaction_tables(ctx, f),
        Chart(
            "c2",
            "Lượt tin nhắn của người dân",
            time_word(ctx.period),
            M.interactions_by_week(ctx),
            M.interactions_by_unit(ctx),
            "lượt",
        ),
    )
    return s2


def _interaction_tables(ctx: M.Context, f: dict[str, Any]) -> list[Table]:
    """Section 2's tables: the interaction figures, answers by topic, frequent unanswered questions."""
    answered = M.answered_by_topic(ctx)
    unanswered = M.top_unanswered(ctx)
    return [
        Table(
            "2a_tuong_tac",
            "Chỉ tiêu tương tác",
            ["Chỉ tiêu", "Số lượng"],
            [
                ["Người dân được phục vụ (không trùng lặp)", f["unique_residents"]],
                ["Lượt tin nhắn được xử lý", f["interactions"]],
                ["Câu hỏi được trả lời", f["questions_answered"]],
                ["Câu hỏi chưa trả lời được", f["questions_unanswered"]],
                ["Câu hỏi về bệnh, thuốc (khuyên gặp bác sĩ)", f["medical_redirects"]],
                ["Lượt tra cứu địa điểm, lịch khám", f["site_lookups"]],
                ["Lượt đăng ký nhận tin", f["subscriptions"]],
                ["Lượt hủy nhận tin", f["cancellations"]],
                ["Một nửa số tin nhắn được trả lời trong vòng (giây)", f["median_reply_s"]],
            ],
        ),
        Table(
            "2b_chu_de",
            "Câu hỏi được trả lời theo chủ đề",
            ["Chủ đề", "Số câu trả lời"],
            [list(p) for p in answered],
            _total("Tổng cộng", [list(p) for p in answered]),
        ),
        Table(
            "2c_chua_tra_loi",
            "Câu hỏi chưa trả lời được thường gặp (đã ẩn thông tin cá nhân)",
            ["Câu hỏi", "Số lần"],
            [list(p) for p in unanswered],
        ),
    ]


def priority_outreach(ctx: M.Context, f: dict[str, Any]) -> Section:
    """Section 3: priority audiences and the communes below the average integration rate. Adds its figures to ``f``."""
    audiences = M.audience_outreach(ctx)
    prio = M.priority_unit_outreach(ctx)
    avg = M.province_average_rate(ctx)
    f["priority_groups_reached"] = sum(r[1] for r in audiences)
    f["priority_units"] = len(prio)
    f["province_average_rate"] = avg
    reached = [str(r[0]).lower() for r in audiences if r[1]]
    if reached:
        s3_text = [
            f"Tin tuyên truyền đã đến {num(f['priority_groups_reached'])} lượt nhóm thuộc các đối tượng ưu tiên "
            f"({', '.join(reached)})."
        ]
    else:
        s3_text = [
            "Trong kỳ chưa có nhóm, người nhận nào được gắn nhãn đối tượng ưu tiên nhận tin tuyên truyền."
        ]
    missing = [str(r[0]).lower() for r in audiences if not r[1]]
    if reached and missing:
        s3_text.append(f"Chưa tiếp cận được qua nền tảng số: {', '.join(missing)}.")
    if avg is None:
        s3_text.append(
            "Chưa có số liệu tỷ lệ tích hợp Sổ sức khỏe điện tử trên VNeID theo xã, phường để xác định địa bàn trọng điểm."
        )
    else:
        s3_text.append(
            f"Tỷ lệ tích hợp Sổ sức khỏe điện tử bình quân toàn {province_word(ctx.settings)} là {num(avg)}%; "
            f"{num(f['priority_units'])} xã, phường dưới mức bình quân được xác định là địa bàn trọng điểm."
        )
    s3 = Section(
        3,
        "Đối tượng ưu tiên, địa bàn trọng điểm",
        s3_text,
        [
            Table(
                "3a_doi_tuong",
                "Tuyên truyền đến nhóm đối tượng ưu tiên",
                ["Nhóm đối tượng", "Nhóm, người nhận", "Lượt gửi thành công", "Ước tính người tiếp cận"],
                audiences,
            ),
            Table(
                "3b_dia_ban",
                "Địa bàn trọng điểm (tỷ lệ tích hợp dưới bình quân)",
                [
                    "Xã, phường",
                    "Tỷ lệ tích hợp (%)",
                    "Lượt gửi thành công",
                    "Nhóm tiếp cận",
                    "Lượt tương tác",
                    "Hoạt động trực tiếp",
                ],
                prio,
            ),
        ],
    )
    return s3


def countering_false_information(ctx: M.Context, f: dict[str, Any]) -> Section:
    """Section 4: scam warnings, checks by verdict, rumours, verified codes. Adds its figures to ``f``."""
    for key in (
        "scam_warnings_broadcast",
        "scam_warning_deliveries",
        "messages_checked",
        "flagged_in_groups",
        "rumours_rebutted",
        "official_verified",
        "codes_not_genuine",
    ):
        f[key] = (getattr(C, key, None) or getattr(M, key))(ctx)
    verdicts = C.checks_by_verdict(ctx)
    rumours = C.rumours_by_topic(ctx)
    s4 = Section(
        4,
        "Đấu tranh, phản bác thông tin sai sự thật",
        [
            f"Phát {num(f['scam_warnings_broadcast'])} bản tin cảnh báo lừa đảo ({num(f['scam_warning_deliveries'])} lượt gửi thành công). "
            f"Người dân gửi {num(f['messages_checked'])} tin nhắn nhờ kiểm tra; Loa cảnh báo {num(f['flagged_in_groups'])} tin "
            f"đáng ngờ trong các nhóm, phản bác tin đồn {num(f['rumours_rebutted'])} lượt và xác minh "
            f"{num(f['official_verified'])} lượt tin nhắn chính thức qua mã xác thực; {num(f['codes_not_genuine'])} mã "
            "xác thực người dân gửi không khớp tin nào do Loa phát (nghi giả mạo).",
        ],
        [
            Table(
                "4a_chi_tieu",
                "Chỉ tiêu đấu tranh, phản bác",
                ["Chỉ tiêu", "Số lượng"],
                [
                    ["Bản tin cảnh báo lừa đảo đã phát", f["scam_warnings_broadcast"]],
                    ["Lượt gửi cảnh báo thành công", f["scam_warning_deliveries"]],
                    ["Tin nhắn người dân nhờ kiểm tra", f["messages_checked"]],
                    ["Tin đáng ngờ được cảnh báo trong nhóm", f["flagged_in_groups"]],
                    ["Lượt phản bác tin đồn", f["rumours_rebutted"]],
                    ["Lượt xác minh tin nhắn chính thức", f["official_verified"]],
                    ["Mã xác thực không khớp (nghi giả mạo)", f["codes_not_genuine"]],
                ],
            ),
            Table(
                "4b_ket_qua",
                "Kết quả kiểm tra tin nhắn",
                ["Kết luận", "Số tin"],
                [list(p) for p in verdicts],
                _total("Tổng cộng", [list(p) for p in verdicts]),
            ),
            Table("4c_tin_don", "Tin đồn đã phản bác", ["Tin đồn", "Số lượt"], [list(p) for p in rumours]),
        ],
        Chart(
            "c4",
            "Lượt kiểm tra, xác minh tin nhắn",
            time_word(ctx.period),
            C.checks_by_week(ctx),
            C.checks_by_unit(ctx),
            "lượt",
        ),
    )
    return s4


def offline_activities(ctx: M.Context, f: dict[str, Any]) -> Section:
    """Section 5: offline activities by kind and commune. Adds its figures to ``f``."""
    kinds = C.activities_by_kind(ctx)
    units = C.activities_by_unit(ctx)
    f["activities"], f["participants"] = C.activities_total(ctx)
    s5 = Section(
        5,
        "Hoạt động tuyên truyền trực tiếp",
        [
            f"Các đơn vị ghi nhận {num(f['activities'])} hoạt động tuyên truyền trực tiếp với "
            f"{num(f['participants'])} lượt người tham dự (hội nghị, sinh hoạt chi bộ, đoàn thể, tin bài, "
            "phát thanh cơ sở, pano, khẩu hiệu, ngày hội sức khỏe...).",
        ],
        [
            Table(
                "5a_hinh_thuc",
                "Hoạt động theo hình thức",
                ["Hình thức", "Số lượng", "Người tham dự", "Số lần đơn vị báo cáo"],
                kinds,
                _total("Tổng cộng", kinds),
                note="“—”: hình thức không có người tham dự trực tiếp (tin, bài, sản phẩm truyền thông, "
                "phát thanh, pano, khẩu hiệu).",
            ),
            Table(
                "5b_xa",
                "Hoạt động theo xã, phường",
                ["Xã, phường", "Số lượng", "Người tham dự", "Số lần đơn vị báo cáo"],
                units,
                _total("Tổng cộng", units),
            ),
        ],
    )
    _add_reach(s5, *poster_reach(ctx, f))
    return s5


def _add_reach(section: Section, sentence: str | None, table: Table) -> None:
    """Append a reach-beyond-the-bot sentence (if any) and table to ``section``."""
    if sentence:
        section.paragraphs.append(sentence)
    section.tables.append(table)
