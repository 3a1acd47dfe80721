"""Symptoms told in everyday words: a body part and what it feels, bites, vaccines, findings.

Residents seldom name a disease: they say "rát lưỡi", "mắt hay bị giật giật", "hai chân
sưng phù ấn vào lõm", "bị ong đốt sưng cả mặt", "bé 2 tháng tiêm mũi gì", "siêu âm thấy
nhân tuyến giáp có sao không". Listing each phrase never ends, so the patterns here are
built from two small lexicons (body parts, sensations) and a few question frames, and
work on the folded text of :func:`bot.faq.safety._medical_form` (colliding syllables such
as "mất" / "mắt" are told apart there when the resident typed diacritics).

Many body words collide with everyday words once folded ("gan" = gần, "tim" = tìm, "vai"
= vài, "goi" = gọi, "co" = có, "da" = đã, "mat" = mất): those only count in a pair with a
sensation right next to them, never alone, and the riskiest ones are left out.
"""

from __future__ import annotations

# Body parts (folded). Left out on purpose: "co" (có), "da" alone (đã), "goi" (gọi/gói),
# "dau" (đâu, already covered by "đau đầu"), "tim" (tìm), "gan" (gần), "moi" (mới/mỗi),
# "mi" (mì), "ben" (bên); "tai" (tải: "app tải chậm") has its own pairs below.
_PARTS = (
    r"luoi|hong|co hong|mieng|mat|mi mat|mui|rang|chan rang|loi|mat ca chan|mat ca|got chan|got|"
    r"chan|tay|ban chan|ban tay|ngon tay|ngon chan|bap chan|bap tay|co tay|co chan|dau goi|khop goi|khop|"
    r"lung|that lung|cot song|vai|gay|bung|bung duoi|nguc|long nguc|da mat|da dau|da tay|hau mon|nach"
)
# What a part feels or shows, told after it ("chân sưng phù"). Not here: "rat" (rất: "mất rất
# nhiều"), "moi" (mới), "mo" (mở), "cham" (chậm), "kho" (khó), "u" (ừ / u = mother).
_SENSES_AFTER = (
    r"te|te bi|te ran|buot|nhuc|nhuc nhoi|moi nhu|sung|sung to|sung vu|sung phu|phu|ngua|ngua ran|"
    r"giat|giat giat|chay nuoc|chay mau|chay mu|co cung|cung do|tim tai|bam tim|"
    r"loet|nut ne|bong troc|do ngau|nhoe|co cuc|noi cuc|noi hach|noi not|noi man|nhoi"
)
# Words that may stand between the part and the sensation ("mắt em hay bị giật").
_BETWEEN = r"(?:(?:em|toi|minh|bac|bacx|con|chau|ong|ba|me|bo|vo|chong|be|tui|cua \w+|ben (?:trai|phai)|trai|phai|bi|hay|cu|thuong|hoi|tu nhien|dang|luon|lai|cung|mot ben|hai ben|ca hai) ){0,3}"

# A pair is not a symptom when a thing follows: "bị giật mất điện thoại", "rất mất thời gian".
_NOT_THING = r"(?! (?:dien thoai|dt|dthoai|may(?! (?:hom|ngay|tuan|thang|nam|bua|lan))|di dong|iphone|xe|tui|vi|tien|the|thoi gian|cong|nhieu|het))"

SYMPTOM_PATTERNS: tuple[str, ...] = (
    # a part, then what it feels: "mắt em hay bị giật giật", "hai chân sưng phù"
    rf"(?:{_PARTS}) {_BETWEEN}(?:{_SENSES_AFTER}){_NOT_THING}",
    # what it feels, then the part: "rát lưỡi", "tê bì chân tay", "giật mí mắt".
    # "mỏi" and "sưng" lead only a few parts: "mới vài ngày" folds like "mỏi vai".
    r"(?:rat|nong rat|te|te bi|buot|nhuc|ngua|phu|bam tim|loet) (?:" + _PARTS + r")" + _NOT_THING,
    r"giat (?:mi mat|mi|mi duoi|mi tren|mat (?:trai|phai|lien|hoai|suot)|co|mieng|khoe mieng)(?![a-z])",
    r"(?:moi|sung|sung to|sung vu) (?:lung|that lung|chan|tay|dau goi|mat|mat ca|co tay|co chan|nguc|bung)",
    r"(?:mat|mieng|hong|co hong|mui|da mat|da tay) (?:bi |hay |cu )?kho(?: rat)?(?![a-z])(?! (?:khan|qua|hieu|nhin|ra|app|ung|chiu|tinh|dung|doc|nghe|noi))",
    r"kho (?:mat|mieng|hong|co hong)" + _NOT_THING, r"mat (?:bi |hay |cu )?(?:mo|nhin mo|moi)(?![a-z])(?! (?:app|ung|khoa|tai|may|ra|lai|duoc|cua|trang))",
    r"(?:u|ngua|nhuc) tai", r"tai (?:(?:bi|hay|cu|em|toi|bac|bacx|con|minh|tu nhien|luc nao cung) ){0,3}(?:u|keu|ngua|chay mu|chay nuoc|nhuc)(?![a-z])",
    # coughs, jaundice, wounds that do not heal, memory
    r"ho (?:su su|nua dem|ve dem|lien tuc|khong dut|sac sua|ong ong|tung con|hoai)",
    r"(?:da|long trang mat|mat|nuoc tieu) (?:bi |hoi |cung |thi )?(?:vang|sam mau|vang sam|vang dam)(?![a-z])(?! (?:bac|mieng|the))",
    r"nuoc tieu (?:\w+ ){0,2}(?:sam|vang dam|co bot|do)", r"vet (?:xuoc|loet|cat|mo|bong)",
    r"(?:khong|lau|mai khong|cham) lanh", r"quen truoc quen sau", r"khong nho duong ve",
    r"(?:vua|moi) (?:cat|de|noi) (?:\w+ ){0,6}(?:da )?(?:khong nho|quen)",
    # bites and stings
    r"bi (?:cho|meo|ran|ong|chuot|kien ba khoang|kien|rit|sua|khi|cho dai)(?: \w+){0,2} (?:can|dot|chich|cao)",
    r"(?:ran|sua|rit) (?:can|dot)", r"ong (?:dot|chich)", r"cho (?:dai |nha \w+ |hang xom )?can (?:xuoc|chay|vao|phai|co|thi|roi)",
    r"hoc xuong",
    # everyday complaints with no part named
    r"chuot rut", r"nac cut", r"troc vay", r"bi bong da", r"bong da (?:tay|chan|mat|dau|bung)", r"(?:sung|mung|chay|co) mu", r"dai dam", r"mun (?:coc|ruoi|thit|boc|trung ca)",
    r"(?:cham den|ruoi|dom den) bay", r"nhin (?:mo|doi|nhoe)", r"bi dien giat", r"dien giat (?:nga|ngat|bong)",
    r"(?:sau khi|bi|vua|moi) nga(?![a-z])(?! (?:ba|tu|nam))", r"bi bam (?:hong|tim|chan|tay|lung|mat)", r"(?:vien|thuoc) (?:bo|giai doc|mat) (?:gan|than|nao|mat)", r"hat hoi", rf"toc {_BETWEEN}(?:bac som|rung nhieu|rung tung)", r"khan tieng", r"mat tieng", r"kho khe", r"mo hoi trom", r"ra mo hoi (?:trom|nhieu|lanh)",
    r"tieu dem", r"di tieu (?:dem|nhieu|it|buot|rat|ra mau)", r"om nghen", r"(?:be|tre|chau|ba|ong|me|bo|con (?:toi|em|minh|nha)) (?:\w+ ){0,4}bieng an", r"cham lon", r"lu lan", r"lan than",
    r"nhiet mieng", r"non (?:oi|ca dem|suot|nhieu|lien|mat|ra)", r"met la", r"li bi", r"lim di", r"choang vang",
    r"dau nua dau", r"nhuc moi", r"tut huyet ap", r"ha duong huyet", r"kho ngu", r"ngu khong (?:duoc|ngon)",
    r"an khong (?:ngon|vao)", r"an uong kem", r"gay sut", r"sut \d+ ?kg", r"phan (?:den|co mau|long)", r"di ngoai (?:nhieu|phan|ra|long|ngay|lien|suot)",
    r"ra khi hu", r"bi thieu mau", r"rom say", r"mun nhot", r"lang ben", r"ghe (?:lo|ngua)",
    r"(?:bi|hay) o (?:chua|hoi)", r"o chua (?:nong|rat|sau)",
)

# A vaccine's age, dose, schedule or need is a doctor's or the vaccination point's question
# (its price is not: that is out of scope).
VACCINE_PATTERNS: tuple[str, ...] = (
    r"lich tiem (?:chung|phong|vac xin|vacxin|vaccine|cho)",
    r"tiem (?:\w+ ){0,4}(?:mui gi|mui nao|nhung mui|may mui|mui j)",
    r"(?:tiem|chich) (?:phong |ngua |vac xin |vacxin |vaccine )?"
    r"(?:cum|dai|soi|thuy dau|hpv|zona|viem gan|bach hau|uon van|phe cau|rota|5 trong 1|6 trong 1|covid|viem nao|quai bi|ho ga|lao|bcg)"
    r"(?: \w+){0,6} (?:co can|co nen|nen|duoc chua|duoc khong|co duoc|may thang|bao nhieu tuoi|may tuoi|co sao|bi sot|bi sung|chua|lai|tiep)(?![a-z])",
    r"(?:tre|chau|be|con)(?: \w+){0,3} (?:\d+|mot|hai|ba|bon|sau|chin|muoi) (?:thang|tuoi)(?: \w+){0,3} tiem",
    r"(?:sau tiem|tiem xong|moi tiem|sau khi tiem|sau mui tiem) (?:\w+ ){0,4}(?:bi )?(?:sot|sung|quay|khoc|noi (?:man|ban|cuc)|dau)",
    r"(?:tre|lo|quen|bo) (?:lich |mui )?(?:tiem|chich)",
)

# Recovery after surgery or childbirth: what one may eat or do, and when.
RECOVERY_PATTERNS: tuple[str, ...] = (
    r"(?:sinh mo|mo de|sau mo|vua mo|moi mo|mo cat|cat tui mat|cat ruot thua|mo (?:mat|ruot thua|tim|soi|u|da day|tri|thoat vi|cuom|duc thuy tinh the|ruot)|"
    r"bo bot|dat stent|thay khop)(?: \w+){0,10} (?:duoc (?:chua|khong|ko|k)|co duoc|nen|kieng|an|uong|tap|di xe|lai xe|chay xe|tam|be|xem tivi|nhin|di ngoai)(?![a-z])"
    r"(?! (?:bao hiem|bhyt|chi tra|thanh toan|mien|ho tro|giam|tra|o dau|bao nhieu))",
    r"(?:sau sinh|sinh xong|vua sinh|moi sinh xong|o cu|dang o cu)(?: \w+){0,8} (?:an|uong|kieng|tap|di xe|tam|goi dau|be con|sua ve)(?![a-z])",
    r"(?:bau|co bau|mang thai|thai) (?:\w+ ){0,2}(?:tuan|thang)(?: \w+){0,8} (?:thi phai|phai|nen|co can|kieng|an|uong|sieu am|xet nghiem|nghiem phap)(?![a-z])",
)

# A finding on a scan or test, asked about ("siêu âm thấy nhân tuyến giáp 1 cm có sao không").
FINDING_PATTERNS: tuple[str, ...] = (
    r"(?:co can|nen|phai) sinh thiet",
    r"(?:sieu am|chup (?:x quang|ct|mri|phim|cong huong)|x quang|noi soi|dien tim|mat do xuong|xet nghiem (?:mau|nuoc tieu)|nuoc tieu)"
    r"(?: \w+){0,10} (?:co sao|nguy hiem|la gi|la sao|nghia la|co phai (?:la |bi )?(?:ung thu|benh|u|viem|soi|lao|ac tinh)|phai lam|co can|bi gi|co (?:anh huong|hai))(?![a-z])",
    r"(?:not|nhan (?:tuyen giap|giap|xo)|khoi u|cuc u|hach|polyp|soi (?:than|mat|tiet nieu)) (?:\w+ ){0,5}(?:co sao|nguy hiem|co phai (?:la )?ung thu|co can mo|la gi)(?![a-z])",
)

# "có phải bị X không", "bị X chữa thế nào": a condition named and asked about.
_CONDITION_WORDS = (
    r"lu lan|lan than|tram cam|ung thu|tay chan mieng|hen suyen|hen phe quan|soi|thuy dau|sot xuat huyet|zona|benh tri|tri noi|loang xuong|"
    r"thoai hoa|gout|gut|tuyen giap|tien liet|viem \w+|suy (?:than|tim|gan|giap|dinh duong|nhuoc)|tai bien|dot quy|parkinson|alzheimer|dong kinh|tu ky|"
    r"tieu duong|tien tieu duong|huyet ap|mo mau|gan nhiem mo|da day|trao nguoc|sa da con|u xo|dai thao duong|covid|cum|lao phoi|benh lao"
)
CONDITION_PATTERNS: tuple[str, ...] = (
    rf"co phai (?:la |bi |da bi |dang bi |bi benh |benh )?(?:{_CONDITION_WORDS})(?: \w+){{0,2}} (?:khong|ko|k|ha|a|chang)(?![a-z])",
    rf"(?:bi|benh|mac) (?:{_CONDITION_WORDS})(?: \w+){{0,4}} (?:chua|cham soc|tap|an uong|nen an|kieng|co chua|co khoi|hoi phuc|song duoc)(?![a-z])",
    r"co phai (?:bi |da bi )lan (?:khong|ko|k|roi)(?![a-z])",
    rf"(?:{_CONDITION_WORDS}) (?:co (?:tu )?khoi|co chua duoc|co hoi phuc|co lay|co nguy hiem|co di truyen)",
    r"(?:cham soc(?! khach)|so cuu) (?:\w+ ){0,4}(?:the nao|sao|ra sao|nhu the nao|cho dung)",
    r"co (?:can )?(?:di vien|nhap vien|vao vien|di cap cuu|truyen (?:dam|dich|nuoc))",
)

ALL: tuple[str, ...] = SYMPTOM_PATTERNS + VACCINE_PATTERNS + RECOVERY_PATTERNS + FINDING_PATTERNS + CONDITION_PATTERNS
