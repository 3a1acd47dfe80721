"""Register of address (issue 13): elders writing are addressed as bác / ông / bà; younger
people asking about an old relative, relayed questions and officers' words are not."""

from __future__ import annotations

import pytest

from bot.faq.register import address_of


@pytest.mark.parametrize(
    ("text", "honorific"),
    [
        ("khám ở đâu vậy con", "bác"),  # an elder calls the one answering "con"
        ("tui già rồi hổng biết chữ nhiều, khám ở đâu vậy con", "bác"),
        ("con ơi cho mẹ hỏi khám ở đâu", "bác"),
        ("cho mẹ hỏi cái vneid cài sao con", "bác"),
        ("tôi sinh năm 1955, đi khám có mất tiền không", "bác"),  # a birth year before 1967
        ("bác sinh năm 58 có được khám trước không cháu", "bác"),
        ("năm nay tôi đã ngoài 70, cài vneid làm sao", "bác"),
        ("tôi nay đã 68 tuổi rồi, không biết dùng điện thoại", "bác"),
        ("tôi năm nay đã 81 tuổi đi lại khó khăn", "bác"),
        ("vợ chồng tôi đều ngoài 70 tuổi, có ai đến nhà khám không", "bác"),
        ("hai ông bà tôi năm nay 75 tuổi, khám ở đâu", "bác"),
        ("tôi 72t rồi có được khám ko", "bác"),
        ("tôi là cán bộ hưu, hỏi chút khám mấy giờ", "bác"),
        ("mấy đứa con đi làm xa hết, tôi ở nhà một mình, khám ở đâu", "bác"),
        ("ÔNG NĂM NAY 78 TUỔI, KHÁM Ở ĐÂU CHÁU", "ông"),
        ("Chú hỏi chút, chú năm nay 63 tuổi, đăng ký khám ở đâu", "bác"),
        ("bà già rồi, mắt kém, cháu chỉ bà cách xem sổ sức khỏe", "bà"),
        ("cảm ơn cháu nhé, thế còn mang gì theo", "bác"),
        # "ông" / "bà" as the writer's own word, without "hỏi" or an age
        ("máy của bà chưa có vneid, cài ở đâu", "bà"),
        ("ÔNG BỊ KHÓA TÀI KHOẢN RỒI, GIỜ ÔNG LÀM SAO", "ông"),
        ("thằng cháu mua cho ông cái điện thoại mới, vào vneid không được", "ông"),
        ("tôi là bà ngoại, đang trông hai đứa nhỏ, khám cho chúng ở đâu", "bà"),
        ("con cháu cài giúp cái sổ sức khỏe rồi mà tôi không biết xem", "bác"),
        # "cháu" called without diacritics before a comma ("... roi chau a, ...")
        ("ong bi mat trom cai dien thoai roi chau a, trong do co vneid, co sao khong", "bác"),
    ],
)
def test_an_elder_writing_is_addressed_as_an_elder(text: str, honorific: str) -> None:
    assert address_of(text).honorific == honorific


@pytest.mark.parametrize(
    "text",
    [
        "Nhà em có ông 80 tuổi, khám ở đâu ạ",
        "tôi muốn đưa bà 80 tuổi đi khám",
        "con đưa mẹ 70 tuổi đi khám cần mang gì",
        "mẹ tôi sinh năm 1950, có được ưu tiên không",
        "cho cháu hỏi, ông ngoại cháu năm nay 85 tuổi, nằm một chỗ, có ai đến khám không",
        "bà nội cháu, 82 tuổi, mắt kém, khám ở đâu",
        "mẹ em già rồi không biết dùng điện thoại, em cài giúp được không",
        "ông nhà em năm nay 75 tuổi, khám có mất tiền không",
        "cụ nhà em 90 tuổi rồi, có ai đến khám không",
        "bác tổ trưởng bảo phải đăng ký trước, đúng không ạ",
        "em hỏi bác hàng xóm thì bác bảo khám ở trạm",
        "dạ bác cho cháu hỏi khám ở đâu ạ",
        "Nhà tôi mới sinh cháu được hai tuần, giờ phải làm giấy khai sinh cho cháu.",
        "cho em hỏi bác sĩ khám mấy giờ",
        "Bà Lục Thị H. (58 tuổi, ở thôn Nà Pàn) cho biết gia đình bà thuộc hộ cận nghèo. Bà hỏi: Vậy có được ưu tiên không?",
        "Ông Tô Văn M. (64 tuổi) cho biết có người thu tiền. Ông hỏi: Việc này có đúng không?",
        "tiêm vắc xin ở đâu cho con",
        "bà em bảo phải đóng tiền mới được khám, đúng không ạ",
        "Tuần sau tôi chở bà ngoại đi khám, bà có cần mang thẻ bảo hiểm không",
        "hàng xóm có bà Lan bảo khám phải đăng ký trước",
        "Có bà trong tổ nói phải nộp 200 nghìn giữ chỗ mới được khám, thật không mn",
        "ông xã mình đi khám ở đâu được",
    ],
)
def test_a_younger_writer_or_a_relayed_question_is_not_addressed_as_an_elder(text: str) -> None:
    assert not address_of(text).elder


@pytest.mark.parametrize(
    "text",
    [
        # A hotline's note or a third-person report: someone else writes about the elder.
        "Ghi chú tổng đài: người gọi (nam, 60 tuổi) muốn nói chuyện trực tiếp với cán bộ trạm y tế.",
        "Người gọi (nữ, 63 tuổi) vừa đọc mã số cho người xưng cán bộ bảo hiểm, bà hỏi phải làm gì.",
        "Bác N. ở tổ dân phố Bắc Sơn nhờ con gái gửi câu hỏi: đăng ký khám ở đâu.",
        "Cụ ông 80 tuổi ở xóm Chùa kể có người gọi bảo cụ cài ứng dụng, cụ hỏi có thật không.",
        "Một thầy giáo về hưu viết thư hỏi: dữ liệu sức khỏe có bị mua bán không.",
        # The old person is the writer's in-law.
        "Mẹ chồng tôi 72 tuổi, tôi đã cài VNeID cho bà. Giờ mở sổ sức khỏe thế nào ạ?",
    ],
)
def test_a_hotline_note_or_an_in_law_is_not_addressed_as_an_elder(text: str) -> None:
    assert not address_of(text).elder, text


def test_an_elder_in_capitals_is_not_mistaken_for_a_named_person() -> None:
    """All-capital words are not names: "BÀ QUÊN MẬT KHẨU, ..." is the elder writing."""
    assert address_of("BÀ QUÊN MẬT KHẨU, BẤM SAI MẤY LẦN GIỜ NÓ KHÓA RỒI CHÁU").elder
    assert address_of("Bà hỏi cái này nhé cháu, máy có ghi lại tên tuổi bà không?").elder
