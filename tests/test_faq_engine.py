"""The FAQ engine: medical word matching, register, new topics, long messages, model cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.dialog import Dialog, Incoming
from bot.faq import MEDICAL_TOPIC, KnowledgeBase, knowledge_base
from bot.faq.model import TrainingSet, cache_file, load_or_fit
from bot.faq.register import address_of, address_reply
from bot.faq.safety import medical_reason
from bot.store import Store
from bot.store.events import recent_events


@pytest.fixture
def kb(settings: Settings) -> KnowledgeBase:
    return knowledge_base(settings)


def _msg(text: str, **kw: object) -> Incoming:
    base: dict[str, object] = {"channel": "telegram", "chat_id": "42", "user_id": "7", "text": text}
    base.update(kw)
    return Incoming(**base)  # type: ignore[arg-type]


# --- the medical rule matches words, not substrings ------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "phai lam gi cho con vao danh sach kham",  # "ho" inside "cho" is not a cough
        "sổ sức khỏe có lưu lịch sử tiêm vắc xin không",
        "bố em 75 tuổi huyết áp cao có được ưu tiên khám không",
        "đổi nơi đăng ký khám chữa bệnh ban đầu trên thẻ bhyt thế nào",
        "mẹ em bị tiểu đường có được khám trước không",
        # "đồng ý" (agree) folds to "dong y" (traditional medicine)
        "điện thoại hỏi cho phép cài từ nguồn không xác định, có bấm đồng ý không",
        "may hoi co cho phep cai tu nguon khong ro, co nen bam dong y",
        # a supplement mentioned in a complaint, not asked about
        "từ hôm đi khám về ngày nào cũng có người gọi mời mua thực phẩm chức năng",
    ],
)
def test_campaign_questions_are_not_medical(question: str) -> None:
    assert medical_reason(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "tôi bị đau ngực uống thuốc gì",
        "huyết áp 160 có sao không",
        "con tôi sốt 39 độ",
        "bị ho khan mấy ngày nay",
        "thuốc đông y có chữa được tiểu đường không",
        "uống thực phẩm chức năng có tốt không",
    ],
)
def test_medical_questions_still_match(question: str) -> None:
    assert medical_reason(question) is not None


def test_eligibility_with_a_condition_is_answered_not_sent_to_a_doctor(kb: KnowledgeBase) -> None:
    assert kb.classify("bố em 75 tuổi huyết áp cao có được ưu tiên khám không").topic == "screening.eligibility"


# Symptoms no medical rule names: the classifier alone decides how medical they look.
UNRULED_SYMPTOMS = [
    "sáng ngủ dậy em thấy cứng các ngón tay",
    "em bị lẹo mắt",
    "bé nhà em bị trớ sữa",
    "móng tay em bị sần",
]


def test_abstained_medical_looking_question_still_says_see_a_doctor(dialog: Dialog, kb: KnowledgeBase) -> None:
    """Every such message gets the doctor / 115 line: as the medical reply or, when Loa
    abstains, with the "no answer yet" reply. At least one takes the abstain path."""
    abstained = 0
    for question in UNRULED_SYMPTOMS:
        assert medical_reason(question) is None, question
        decision = kb.classify(question)
        assert decision.kind in ("medical", "abstain"), (question, decision)
        replies = dialog.handle(_msg(question))
        assert any("115" in r.text for r in replies), question
        if decision.kind == "abstain":
            assert decision.medical_hint, question
            assert any("chưa có câu trả lời" in r.text for r in replies), question
            abstained += 1
    assert abstained >= 1


# --- register ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "honorific"),
    [
        ("cháu ơi cho bác hỏi khám ở đâu", "bác"),
        ("CHAU OI CAI VNEID VAO DIEN THOAI THE NAO", "bác"),
        ("tôi năm nay 70 tuổi có được khám không", "bác"),
        ("cho ông hỏi cái vneid", "ông"),
        ("bà hỏi chút, khám có mất tiền không", "bà"),
        ("bà tôi 70 tuổi có được khám không", "bạn"),  # a grandchild asking about her
        ("mẹ em 70t có đc khám ko", "bạn"),
        ("em 30 tuổi có được khám không", "bạn"),
        ("Tôi là giáo viên về hưu, muốn cài VNeID thì làm thế nào", "bác"),
        ("con cháu đi làm cả, tôi mắt kém, khám ở đâu", "bác"),
        ("ông hưu rồi, hỏi tích hợp thẻ bảo hiểm thế nào", "ông"),
        ("bà năm nay 69, hỏi ai được khám", "bà"),
        ("TOI NAM NAY 74 TUOI KHAM O DAU", "bác"),
        ("tôi năm nay bảy mươi hai tuổi, khám có mất tiền không", "bác"),
        ("bố mẹ già yếu không đi được thì có khám tại nhà không", "bạn"),  # parents, not the writer
        ("Bác ơi cháu hỏi, bà nội cháu 82 tuổi rồi, mắt kém, khám ở đâu", "bạn"),
    ],
)
def test_register_of_address(text: str, honorific: str) -> None:
    assert address_of(text).honorific == honorific


def test_elder_reply_is_respectful_and_keeps_friends() -> None:
    text = address_reply("Bạn mang theo CCCD. Hỏi bạn bè hoặc bạn gọi 115.", address_of("cho bà hỏi"))
    assert text == "Dạ, thưa bà:\nBà mang theo CCCD. Hỏi bạn bè hoặc bà gọi 115."
    assert address_reply("Bạn mang CCCD.", address_of("khám ở đâu")) == "Bạn mang CCCD."


def test_dialog_addresses_an_elder(dialog: Dialog) -> None:
    (reply,) = dialog.handle(_msg("cháu ơi cho bác hỏi đi khám thì cần mang theo giấy tờ gì"))
    assert reply.text.startswith("Dạ, thưa bác:") and "bạn" not in reply.text.split("Bạn cũng")[0].replace("bạn bè", "")


# --- new topics and gaps ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("nhà tôi không có bảo hiểm y tế thì đi khám miễn phí được không", "screening.no_bhyt"),
        ("the bhyt cua bo em het han thang truoc roi thi co kham duoc ko", "screening.no_bhyt"),
        ("hôm qua em bị giật mất điện thoại, vneid có bị người khác vào không", "vneid.lost_phone"),
        ("tài khoản vneid của tôi tự nhiên bị khóa, giờ mở thế nào", "vneid.locked"),
        ("con em 13 tuổi có căn cước gắn chip thì làm vneid mức 2 được không", "vneid.children"),
        ("mẹ tôi ngồi xe lăn không tự đi khám được", "screening.mobile"),
    ],
)
def test_gaps_residents_hit(kb: KnowledgeBase, question: str, topic: str) -> None:
    assert kb.classify(question).topic == topic


def test_other_province_answer_names_the_configured_province(tmp_path: Path) -> None:
    s = Settings(db=tmp_path / "x.db", province="Lạng Sơn", _env_file=None)  # type: ignore[call-arg]
    kb = knowledge_base(s)
    assert kb.classify("tôi ở Cà Mau thì hỏi lịch khám ở đâu").topic == "bot.other_province"
    assert "Lạng Sơn" in kb.answer("bot.other_province", s)


# --- long messages and two questions -------------------------------------------------------------
def test_two_questions_get_both_answers_in_order(dialog: Dialog, store: Store) -> None:
    replies = dialog.handle(_msg("Cho em hỏi khám có mất tiền không ạ? Với lại cần mang giấy tờ gì ạ?"))
    assert len(replies) == 2
    assert replies[0].text.startswith("1) ") and replies[1].text.startswith("2) ")
    topics = [e["topic"] for e in recent_events(store, type="faq_answered", limit=2)]
    assert sorted(topics) == ["screening.bring", "screening.cost"]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Ông Nguyễn Văn B (68 tuổi) cho biết ông nghe loa xã thông báo về đợt khám sức khỏe miễn phí "
            "năm nay. Vậy ông cần mang theo những giấy tờ gì khi đi khám?",
            "screening.bring",
        ),
        (
            "Bà Trần Thị H. (70 tuổi, ở xã Y) hỏi: Bà bị mất thẻ bảo hiểm y tế từ năm ngoái, vậy bà đi khám "
            "sức khỏe miễn phí có được không? Xin cảm ơn.",
            "screening.no_bhyt",
        ),
        (
            "Độc giả Lê Văn C ở phường Z hỏi: con tôi 13 tuổi đã có căn cước gắn chip, cháu có làm được "
            "tài khoản định danh mức 2 không?",
            "vneid.children",
        ),
    ],
)
def test_long_relayed_question_finds_the_asking_sentence(kb: KnowledgeBase, text: str, topic: str) -> None:
    assert kb.classify(text).topic == topic


# --- content truth -------------------------------------------------------------------------------
def _read_all(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.yaml")))


def test_broadcasts_give_no_medical_instruction(settings: Settings) -> None:
    campaigns = _read_all(Path(settings.content_dir) / "messages" / "campaigns")
    assert "nhịn ăn" not in campaigns and "hướng dẫn của trạm y tế" in campaigns


def test_vneid_publisher_is_named_as_the_stores_show_it(settings: Settings, kb: KnowledgeBase) -> None:
    publisher = "Trung tâm dữ liệu quốc gia về dân cư"
    assert publisher in kb.answer("vneid.install", settings)
    level2 = (Path(settings.content_dir) / "messages" / "campaigns" / "vneid_level2.yaml").read_text(encoding="utf-8")
    assert publisher in level2 and "vân tay" in level2 and "SMS" in level2
    everything = _read_all(Path(settings.content_dir) / "messages")
    assert "nhà phát triển là Bộ Công an" not in everything


def test_answers_say_what_is_true(settings: Settings, kb: KnowledgeBase) -> None:
    assert "/dangky trong nhóm" not in kb.answer("bot.subscribe", settings)
    privacy = kb.answer("privacy.data", settings)
    assert "/xoadulieu" in privacy and "câu hỏi chưa trả lời" in privacy and "đăng ký nhận tin" in privacy
    for topic in (t for t in kb.topics if t.startswith("rumour.")):
        assert not kb.answer(topic, settings).startswith("SAI"), topic
    assert "ít nhất 6 tháng/lần" in kb.answer("screening.workers", settings)
    assert "bắt buộc" in kb.answer("health_book.integrate", settings)
    assert "không cần thẻ BHYT" in kb.answer("screening.no_bhyt", settings)


def test_example_places_come_from_the_configured_province(tmp_path: Path) -> None:
    s = Settings(db=tmp_path / "x.db", province="Lạng Sơn", _env_file=None)  # type: ignore[call-arg]
    kb = knowledge_base(s)
    for topic in ("screening.where", "screening.when"):
        text = kb.answer(topic, s)
        assert "Lê Chân" not in text and "ví dụ" in text


# --- determinism and the model cache -------------------------------------------------------------
def _small_set(kb: KnowledgeBase) -> TrainingSet:
    full = kb.training_set()
    keep = [i for i, label in enumerate(full.labels) if label.startswith(("screening.", "_out"))]
    return TrainingSet(tuple(full.texts[i] for i in keep), tuple(full.labels[i] for i in keep))


def test_training_is_deterministic_and_cached(kb: KnowledgeBase, tmp_path: Path) -> None:
    data = _small_set(kb)
    questions = ["khám ở đâu", "kham co mat tien ko", "giá vàng hôm nay"]
    first = load_or_fit(data, None).proba(questions)
    second = load_or_fit(data, tmp_path).proba(questions)
    assert np.array_equal(first, second)  # same texts, same seed: the same model
    path = cache_file(tmp_path, data)
    assert path.is_file()
    stamp = path.stat().st_mtime_ns
    assert np.array_equal(load_or_fit(data, tmp_path).proba(questions), first)  # read back, not refitted
    assert path.stat().st_mtime_ns == stamp
    path.write_bytes(b"not a model")  # a broken cache file is replaced, never trusted
    assert np.array_equal(load_or_fit(data, tmp_path).proba(questions), first)
    changed = TrainingSet((*data.texts, "khám ở trạm y tế nào"), (*data.labels, "screening.where"))
    assert cache_file(tmp_path, changed) != path


def test_medical_class_and_rule_agree_on_safety_samples(kb: KnowledgeBase) -> None:
    for sample in kb.samples[MEDICAL_TOPIC][:12]:
        assert kb.classify(sample).topic == MEDICAL_TOPIC, sample


def test_start_hook_fits_the_model_off_the_loop(tmp_path: Path) -> None:
    import asyncio

    from bot.features.faq import Faq
    from bot.runtime import open_runtime

    settings = Settings(db=tmp_path / "loa.db", _env_file=None)  # type: ignore[call-arg]
    runtime = open_runtime(settings)

    async def run() -> None:
        faq = Faq()
        await faq.start(runtime)  # returns at once
        assert faq.warmup is not None
        await faq.warmup

    asyncio.run(run())
    assert knowledge_base(settings).classify("khám ở đâu").topic == "screening.where"
    runtime.store.close()


# --- long, relayed and elder messages (issue 13, second pass) -----------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ông Trần Văn Bảy (66 tuổi, ở xã Tân Hòa) hỏi: Người dân đi khám có phải trả tiền không?",
            "Người dân đi khám có phải trả tiền không?",
        ),
        ("Bạn đọc ở phường Hòa Bình hỏi: Khám ở đâu?", "Khám ở đâu?"),
        ("Kính gửi Ban biên tập, cho tôi hỏi khám ở đâu? Trân trọng cảm ơn.", "cho tôi hỏi khám ở đâu?"),
        ("Cho tôi hỏi: Trẻ em có được làm VNeID không? Xin cảm ơn.", "Trẻ em có được làm VNeID không?"),
        ("Bà tôi 70 tuổi có được khám không", "Bà tôi 70 tuổi có được khám không"),  # no frame: unchanged
    ],
)
def test_relaying_frame_is_stripped(text: str, expected: str) -> None:
    from bot.faq.frames import strip_frame

    assert strip_frame(text) == expected


def test_relayed_context_keeps_the_story_and_drops_the_relayer() -> None:
    from bot.faq.frames import strip_frame

    text = "Bà Lò Thị Hoa (69 tuổi, ở bản Nà Phặc) cho biết bà bị ốm. Bà hỏi: Vậy bà đăng ký khám với ai?"
    assert strip_frame(text) == "bà bị ốm. Vậy bà đăng ký khám với ai?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the situation sits between the name and "hỏi": it stays, the relayer goes
            "Anh K. ở thôn Đông bị trộm mất điện thoại tuần trước, anh hỏi tài khoản định danh có bị người khác dùng không",
            "ở thôn Đông bị trộm mất điện thoại tuần trước, tài khoản định danh có bị người khác dùng không",
        ),
        (
            "Anh T. (35 tuổi) muốn được nhắn tin báo mỗi khi xã có lịch khám mới, anh hỏi phải làm cách nào.",
            "muốn được nhắn tin báo mỗi khi xã có lịch khám mới, phải làm cách nào.",
        ),
        # only a place between the name and "hỏi": the whole head goes
        ("Ông Nguyễn Văn A. ở xã Tân Phú, huyện Y hỏi: khám ở đâu?", "khám ở đâu?"),
    ],
)
def test_a_third_person_situation_before_hoi_is_kept(text: str, expected: str) -> None:
    from bot.faq.frames import strip_frame

    assert strip_frame(text) == expected


def test_level_2_offered_on_facebook_is_still_a_vneid_question(kb: KnowledgeBase) -> None:
    """"Facebook" names another app, but "mức 2" is VNeID's: the question is not abstained."""
    text = "Có người trên Facebook nhận làm mức 2 online lấy phí 200 nghìn, mức 2 có làm từ xa được không?"
    assert kb.classify(text).topic is not None


def test_story_sentence_with_khong_is_context_when_a_question_mark_asks() -> None:
    from bot.faq.sentences import asking_sentences

    text = "Tôi không biết dùng điện thoại. Con tôi không ở nhà. Vậy kết quả khám xem ở đâu?"
    assert asking_sentences(text) == ["Vậy kết quả khám xem ở đâu?"]


def test_unpunctuated_elder_story_yields_the_question_at_its_end() -> None:
    from bot.faq.sentences import tail_question

    story = (
        "bác năm nay bảy mươi tư tuổi ở với ông nhà con cái đi làm xa hết cả ông thì đau chân đi lại khó "
        "bà thì mắt kém cháu ơi thế hai ông bà đi khám thì phải mang theo giấy tờ gì"
    )
    tail = tail_question(story)
    assert tail is not None and tail.startswith("cháu ơi") and tail.endswith("giấy tờ gì")
    assert tail_question("khám ở đâu") is None  # a short question is its own question


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (  # elder, long, no punctuation, the question at the end
            "bác năm nay bảy mươi tư tuổi ở với ông nhà con cái đi làm xa hết cả ông thì đau chân đi lại khó "
            "bà thì mắt kém cháu ơi thế hai ông bà đi khám thì phải mang theo giấy tờ gì",
            "screening.bring",
        ),
        (  # the story mentions money and medicine; the question asks where results are
            "Hôm trước tôi đi khám ở trạm, lấy máu mất cả buổi sáng. Về nhà chờ mãi chẳng thấy ai gọi. "
            "Tôi không rành điện thoại lắm. Cho tôi hỏi kết quả khám xem ở chỗ nào?",
            "screening.results",
        ),
        (  # relayed with names and places the model never saw
            "Bà Hoàng Thị Sáu (69 tuổi, ở thôn Khuổi Phầy, xã Quảng Uyên) cho biết bà ốm nên không đi họp "
            "thôn được. Bà hỏi: Vậy bây giờ bà muốn có tên trong danh sách đi khám thì báo với ai?",
            "screening.register",
        ),
        ("CHÁU ƠI CÁI VNEID BÁC QUÊN MẬT KHẨU RỒI LẤY LẠI SAO", "vneid.password"),  # all capitals
        (  # legal style
            "Cho tôi hỏi: Người không tham gia bảo hiểm y tế có được khám sức khỏe định kỳ miễn phí "
            "hay không? Xin cảm ơn.",
            "screening.no_bhyt",
        ),
    ],
)
def test_long_elder_and_relayed_messages_find_their_topic(kb: KnowledgeBase, text: str, topic: str) -> None:
    decision = kb.classify(text)
    assert decision.kind == "answer" and decision.topic == topic, decision


def test_two_relayed_questions_in_the_order_asked(kb: KnowledgeBase) -> None:
    text = "Ông Lê Văn Hai (70 tuổi) hỏi: Đi khám cần mang giấy tờ gì? Với lại khám có mất tiền không? Xin cảm ơn."
    assert kb.classify(text).topics == ("screening.bring", "screening.cost")
    swapped = "Khám có mất tiền không ạ? Còn đi khám thì cần mang giấy tờ gì ạ?"
    assert kb.classify(swapped).topics == ("screening.cost", "screening.bring")


def test_a_request_after_a_question_is_not_a_second_question(kb: KnowledgeBase) -> None:
    text = "Mẹ tôi ở quê một mình, không biết điểm khám gần nhất ở đâu? Loa tìm giúp tôi với."
    assert kb.classify(text).topics == ("screening.where",)


@pytest.mark.parametrize(
    "question",
    [
        "chồng mất sớm, một mình tôi nuôi con, đi khám có mất tiền không",  # not "chóng mặt"
        "chong mat som roi thi toi co duoc uu tien kham khong",
    ],
)
def test_husband_died_is_not_dizziness(question: str) -> None:
    assert medical_reason(question) is None


@pytest.mark.parametrize(
    "question",
    ["bà tôi tự nhiên méo miệng nói ngọng", "ông ngã ra gọi không tỉnh", "bác hay bị chóng mặt buổi sáng"],
)
def test_stroke_and_collapse_are_medical(kb: KnowledgeBase, question: str) -> None:
    assert medical_reason(question) is not None
    assert kb.classify(question).topic == MEDICAL_TOPIC


def test_a_short_follow_up_question_is_the_second_topic(kb: KnowledgeBase) -> None:
    text = "Có người gọi xưng công an bắt tôi đọc mã OTP, có phải lừa đảo không? Tố cáo ở đâu?"
    assert kb.classify(text).topics == ("scam.calls", "scam.report")
    assert kb.classify("Khám có mất tiền không? Vậy ạ?").topics == ("screening.cost",)  # filler is no question


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Xin hỏi: 1) Ai được khám miễn phí? 2) Khám ở đâu?", ("screening.eligibility", "screening.where")),
        ("1. Khi nào bắt đầu khám?\n2. Đi khám cần mang gì?", ("screening.when", "screening.bring")),
        ("1/ khám ở đâu 2/ mang gì", ("screening.where", "screening.bring")),
    ],
)
def test_a_numbered_list_gives_two_topics_in_order(kb: KnowledgeBase, text: str, topics: tuple[str, ...]) -> None:
    assert kb.classify(text).topics == topics


def test_an_elliptic_second_question_after_a_join_word_inherits_the_subject(kb: KnowledgeBase) -> None:
    assert kb.classify("khám miễn phí ở đâu với lại mấy giờ").topics == ("screening.where", "screening.when")
    assert kb.classify("kham co mat tien ko con can mang gi").topics == ("screening.cost", "screening.bring")
    assert kb.classify("khám ở đâu và mất bao nhiêu tiền").topics == ("screening.where", "screening.cost")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Người khuyết tật không đến trạm được thì khám ở đâu?", "screening.mobile"),
        ("tổ trưởng nói ai không đi khám thì bị phạt, tôi bận đi làm không đi được thì có bị phạt không", "rumour.mandatory_fine"),
        ("mình đã có tài khoản mức 2 rồi nhưng vào vneid không thấy sổ sức khỏe đâu, phải làm thế nào để tích hợp", "health_book.integrate"),
    ],
)
def test_a_single_question_is_not_split(kb: KnowledgeBase, text: str, topic: str) -> None:
    decision = kb.classify(text)
    assert (decision.topic, decision.topics) == (topic, (topic,))


def test_a_question_pointing_back_is_read_with_the_sentence_before() -> None:
    from bot.faq.sentences import with_antecedents

    text = "Tôi lo lắm. Hàng xóm nói ai không đi khám sẽ bị phạt tiền. Thông tin này có đúng không?"
    assert with_antecedents(text) == ["Hàng xóm nói ai không đi khám sẽ bị phạt tiền. Thông tin này có đúng không?"]
    assert with_antecedents("Tôi ở xa. Khám ở đâu?") == ["Khám ở đâu?"]


# --- formal letters, unnamed passwords, other apps, one's own body -----------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xin cho biết khám ở đâu?", "cho tôi hỏi khám ở đâu?"),
        ("Đề nghị cơ quan chức năng cho biết lịch khám.", "cho tôi hỏi lịch khám."),
        ("Căn cứ quy định hiện hành, khám có mất tiền không?", "khám có mất tiền không?"),
        ("Trường hợp công dân mất thẻ thì làm gì?", "người dân mất thẻ thì làm gì?"),
        ("Tôi ở xa. Đề nghị cho biết khám ở đâu?", "Tôi ở xa. cho tôi hỏi khám ở đâu?"),
        ("Tôi đề nghị bỏ phí", "Tôi đề nghị bỏ phí"),  # a request inside a sentence is no frame
    ],
)
def test_formal_frame_is_reduced_to_plain_words(text: str, expected: str) -> None:
    from bot.faq.frames import strip_frame

    assert strip_frame(text) == expected


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Đề nghị cho biết quy trình đăng ký khám sức khỏe định kỳ cho người dân trên địa bàn xã.", "screening.register"),
        ("Trường hợp công dân chưa có thẻ bảo hiểm y tế thì có được khám theo chương trình không?", "screening.no_bhyt"),
        ("Xin cho biết công dân nhận được cuộc gọi giả danh công an đòi mã OTP thì xử lý thế nào?", "scam.calls"),
    ],
)
def test_formal_questions_are_answered_not_rejected(kb: KnowledgeBase, question: str, topic: str) -> None:
    decision = kb.classify(question)
    assert (decision.kind, decision.topic) == ("answer", topic)


@pytest.mark.parametrize(
    "question",
    ["cháu ơi bác quên cái mật khẩu mất rồi, giờ mở không ra", "Trường hợp công dân không nhớ mật khẩu đăng nhập thì làm sao?"],
)
def test_an_unnamed_password_is_the_vneid_password(kb: KnowledgeBase, question: str) -> None:
    assert kb.classify(question).topic == "vneid.password"


@pytest.mark.parametrize(
    "question",
    ["em quên mật khẩu facebook rồi lấy lại sao", "tài khoản ví momo của tôi bị khóa, mở thế nào", "quên mật khẩu app ngân hàng vietinbank"],
)
def test_another_apps_password_or_lock_abstains(kb: KnowledgeBase, question: str) -> None:
    decision = kb.classify(question)
    assert decision.kind == "abstain" and decision.topic is None


@pytest.mark.parametrize(
    "question",
    [
        "chị đang bầu 4 tháng, đợt khám này có chụp X-quang không, có ảnh hưởng gì đến thai nhi không",
        "mới sinh con đang cho con bú, đi khám lấy máu có sao không",
        "Trường hợp đang có kinh thì đi khám xét nghiệm nước tiểu có được không?",
        "mắt em nhìn mờ quá",
    ],
)
def test_pregnancy_and_menstruation_worries_are_medical(kb: KnowledgeBase, question: str) -> None:
    assert kb.classify(question).topic == MEDICAL_TOPIC


def test_pregnant_woman_asking_about_the_campaign_is_not_medical(kb: KnowledgeBase) -> None:
    assert medical_reason("phụ nữ có thai có được ưu tiên khám trước không") is None


# --- two questions read among the whole message's topics (issue 13, fifth pass) -----------------
@pytest.mark.parametrize(
    ("text", "topics"),
    [
        # "Phí khám bao nhiêu?" alone reads as out of scope; the whole message is about the check-up.
        ("Xin hỏi: 1) Phí khám bao nhiêu? 2) Kết quả khám gửi về đâu?", ("screening.cost", "screening.results")),
        ("Tôi ở tỉnh khác có khám ở đây được không, còn đăng ký thế nào", ("bot.other_province", "screening.register")),
        ("ai dc kham mien phi vs lai kham o dau", ("screening.eligibility", "screening.where")),  # folded join
        ("đăng ký khám ở đâu và khi nào khám", ("screening.register", "screening.when")),
        ("mn cho hỏi khám ở đâu thế 😅 mấy giờ?", ("screening.where", "screening.when")),  # an emoji between
    ],
)
def test_a_short_second_question_is_read_among_the_messages_topics(
    kb: KnowledgeBase, text: str, topics: tuple[str, ...]
) -> None:
    assert kb.classify(text).topics == topics


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("ÔNG NĂM NAY 78 TUỔI, KHÁM Ở ĐÂU CHÁU", "screening.where"),
        ("Chú hỏi chút, chú năm nay 63 tuổi, đăng ký khám ở đâu", "screening.register"),
        ("tui già rồi hổng biết chữ nhiều, khám ở đâu vậy con", "screening.where"),
    ],
)
def test_an_elders_situation_before_the_question_does_not_make_loa_abstain(
    kb: KnowledgeBase, text: str, topic: str
) -> None:
    decision = kb.classify(text)
    assert decision.kind == "answer" and decision.topics == (topic,)


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Khám có mất tiền không? Vậy ạ?", ("screening.cost",)),  # filler, not a second question
        ("ad ơi khám sức khỏe miễn phí ở đâu vậy 🙏", ("screening.where",)),
    ],
)
def test_no_second_topic_is_invented(kb: KnowledgeBase, text: str, topics: tuple[str, ...]) -> None:
    assert kb.classify(text).topics == topics


def test_a_situation_that_is_the_subject_keeps_loa_out_of_scope(kb: KnowledgeBase) -> None:
    assert kb.classify("con tôi có lệnh khám nghĩa vụ quân sự, khám ở đâu").topic is None


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Thứ nhất, khám ở đâu. Thứ hai, cần mang theo giấy tờ gì?", ("screening.where", "screening.bring")),
        ("tk vneid bi khoa r, lam sao mo? voi lai mat khau quen luon", ("vneid.locked", "vneid.password")),
    ],
)
def test_a_list_item_or_a_joined_sentence_is_a_question_of_its_own(
    kb: KnowledgeBase, text: str, topics: tuple[str, ...]
) -> None:
    assert kb.classify(text).topics == topics


def test_two_questions_run_together_take_the_whole_messages_two_topics_in_order(kb: KnowledgeBase) -> None:
    # No join word, no punctuation: the whole message leans to both topics (0.66 / 0.34);
    # the half before the first question word decides the order.
    text = "khám gồm những mục gì vậy bao lâu thì có kết quả"
    assert kb.classify(text).topics == ("screening.content", "screening.results")
    assert kb.classify("khám ở đâu vậy").topics == ("screening.where",)  # one question word, one topic
