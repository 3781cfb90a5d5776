"""The body of a directive → one task per assignment.

Sections are numbered "I." (phần), "1." (khoản), "a)" (điểm), with "-"/"+" bullets inside (NĐ 30/2020 §9.4);
a quyết định's are its articles, "Điều 1.", "Điều 2." ….
Which sections hold assignments: without Roman sections (a công văn, a chỉ thị), every top-level "1." item;
with them (a kế hoạch), the items of the Roman sections that assign work ("NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC
HIỆN", "TRÁCH NHIỆM…"), not those that state aims, targets or funding.

A quyết định, article by article, as a clerk reads it:
- the article that decides ("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch …", "Phê duyệt …", "Thành lập …")
  is the decision itself, not a task; when it sets the programme out inline ("… với các nội dung sau: 1. Mục
  tiêu … 4. Tổ chức thực hiện: a) Sở …"), its numbered items are read like a kế hoạch's sections;
- an article that gives work ("Điều 2. Giao Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với … tổ chức
  triển khai thực hiện") is a task labelled "Điều 2";
- the entry-into-force and execution articles ("Quyết định này có hiệu lực …", "Điều 3. Chánh Văn phòng …,
  Giám đốc các Sở …, Chủ tịch UBND các huyện … chịu trách nhiệm thi hành Quyết định này") are not tasks: they
  name everyone who must abide by the decision, with nothing to deliver and no deadline; tracking them would put
  every body of the province on the board with a task that can never be done.
The plan or programme a quyết định issues usually follows its signature as an attachment; `parse` reads that
attachment's body like a kế hoạch.

The lead agency (chủ trì) comes from, in order: a section heading that is an agency name ("3. Công an tỉnh",
"5. UBND các huyện, thành phố:"); "X chủ trì(, phối hợp với Y)"; "X phối hợp với Y" with X an agency at the
start of a sentence; else the addressees the preamble names ("yêu cầu các sở … và UBND các huyện … thực hiện").
Coordinating agencies: every "phối hợp với …" list. Agency names are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from directives.importer.normalise import fold

_HEADS = (
    r"Sở|Ban|Ủy ban|Uỷ ban|UBND|UBMTTQ|Công an|CA|Bộ Chỉ huy|Bộ đội|Bộ|Hội đồng|Hội|Đoàn|Tỉnh đoàn|Thành đoàn|"
    r"Mặt trận|MTTQ|Liên đoàn|Liên minh|Báo|Đài|Bảo hiểm|Cục|Chi cục|Viện|Tòa án|Toà án|Văn phòng|Trung tâm|Tổng đài|"
    r"Thanh tra|Chủ tịch|Phòng|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Huyện ủy|Đảng ủy|Quỹ|Bệnh viện|Ngân hàng|Kho bạc|Cơ quan|"
    r"Đơn vị|Địa phương|Thủ trưởng|Người đứng đầu|Lãnh đạo|Ủy ban nhân dân|Sở, ban, ngành|Đường dây|đường dây"
)
_PLURAL_HEADS = (
    r"sở|ban|ngành|cơ quan|đơn vị|địa phương|tổ chức|huyện|xã|phường|hội|đoàn thể|tỉnh|thành phố|cấp|phòng|"
    r"trường|cơ sở|thành viên|doanh nghiệp"
)
AGENCY_START_RE = re.compile(
    r"^(?:(?:Thủ trưởng|thủ trưởng|Lãnh đạo|lãnh đạo)\s+)?"
    rf"(?:(?:Các|các)\s+(?:{_PLURAL_HEADS}|{_HEADS})\b|(?:{_HEADS})\b)"
)
# Words that end an agency list: the verb of the sentence, or a preposition.
_STOP_WORDS = (
    "ban hành|triển khai|thực hiện|xây dựng|hướng dẫn|tuyên truyền|rà soát|tham mưu|kiểm tra|theo dõi|báo cáo|"
    "chỉ đạo|đề xuất|tăng cường|hỗ trợ|bố trí|ưu tiên|cung cấp|nghiên cứu|đánh giá|tập huấn|quản lý|phát hiện|"
    "xử lý|giải quyết|điều tra|lồng ghép|đẩy mạnh|củng cố|tiếp tục|vận động|thống kê|tổng hợp|trong|để|nhằm|"
    "về việc|theo|tại|khi|đối với|thường xuyên|định kỳ|chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|"
    "thẩm định|truyền thông về|trước ngày|hoàn thành|"
    "nâng cao|phổ biến|giám sát|huy động|kiện toàn|chủ động|bảo đảm|đảm bảo|phát huy|cập nhật|thu thập|"
    "lãnh đạo|quán triệt|(?<!các\\s)(?<!,\\s)(?<!và\\s)"
    "tổ chức(?!\\s+(?:có liên quan|liên quan|chính trị|xã hội|đoàn thể|thành viên)|,)|"
    "đôn đốc|can thiệp|trợ giúp|tập trung|khẩn trương|nghiêm túc|là cơ quan|làm đầu mối|giúp|thực hiện tốt|quan tâm|"
    # More of what the lead is told to do: the lead is the body's name alone, never the rest of its sentence.
    # (Not nouns that name bodies: "thông tin", "tư vấn", "chăm sóc", "các cấp", "chương trình".)
    "phát động|tăng|cân đối|nắm bắt|tiếp nhận|xác minh|thụ lý|truy tố|xét xử|giám định|phân bổ|duy trì|"
    "mở rộng|phát triển|tích cực|làm tốt|bồi dưỡng|tố giác|ngăn chặn|phòng ngừa|sử dụng|thống nhất|"
    "tăng thời lượng|đưa tin|mở chuyên mục|thực hiện nghiêm|ghi nhận|gửi|nộp|thành lập|sơ kết|tổng kết|"
    "khen thưởng|biểu dương|nhân rộng|xử phạt|truy cứu|khởi tố|điều chỉnh|bổ sung"
)
# Words that start like a body but are not one ("Báo cáo kết quả …", "Hội nghị", "Ban hành", "Phòng, chống").
_NOT_A_BODY_RE = re.compile(
    r"^(?:Báo cáo|Báo chí|Hội nghị|Hội thảo|Hội thi|Hội diễn|Hội trại|Ban hành|Phòng ngừa|Phòng chống|Phòng tránh|"
    r"Đoàn kết|Bộ luật|Bộ tiêu chí|Bộ công cụ|Bộ tài liệu|Bảo hiểm y tế|Đơn vị tính|Địa phương hóa)\b",
    re.IGNORECASE,
)
# A head word alone names no one ("Phòng" of "Phòng, chống …").
_BARE_HEADS = frozenset(
    {
        "Sở", "Ban", "Phòng", "Hội", "Đoàn", "Báo", "Đài", "Bộ", "Cục", "Viện", "Quỹ", "Ủy ban", "Uỷ ban", "Hội đồng",
        "Mặt trận", "Trung tâm", "Văn phòng", "Cơ quan", "Đơn vị", "Địa phương", "Chi cục", "Bệnh viện", "Ngân hàng",
        "Kho bạc", "Thanh tra", "Bảo hiểm", "Liên đoàn", "Liên minh", "Tổng đài", "Lãnh đạo", "Thủ trưởng",
        "Chủ tịch", "Đường dây",
    }
)  # fmt: skip
STOP_RE = re.compile(rf"(?<![\wÀ-ỹ])(?:{_STOP_WORDS})(?![\wÀ-ỹ])|[.;:]\s|[.;:]$")
_SPLIT_RE = re.compile(r"(,\s*|\s+và\s+|\s+với\s+)")
_PREFIX_RE = re.compile(
    r"^(?:Giao|giao|Đề nghị|đề nghị|Yêu cầu|yêu cầu|Trách nhiệm của|trách nhiệm của|Nhiệm vụ của|Riêng|riêng)\s+"
)
_HEADING_SUFFIX_RE = re.compile(
    r"\s*[,:]?\s*(?:theo|căn cứ)\s+(?:chức năng|phạm vi|lĩnh vực)[^:]*$|\s*[,:]?\s*có trách nhiệm\s*$|\s*:\s*$"
)
CHU_TRI_RE = re.compile(r"(?P<x>[^.;:\n]*?)\s*,?\s+(?:là cơ quan\s+)?chủ\s+trì\b", re.IGNORECASE)
PHOI_HOP_RE = re.compile(r"\bphối\s+hợp(?:\s+chặt\s+chẽ)?\s+(?:với|cùng)\s+(?P<y>[^.;\n]*)", re.IGNORECASE)
SENTENCE_PHOI_HOP_RE = re.compile(r"(?:^|[.;]\s+|:\s+)(?P<x>[^.;:\n]+?)\s+phối\s+hợp(?:\s+chặt\s+chẽ)?\s+với\b")
ADDRESSEES_RE = re.compile(
    r"\b(?:yêu cầu|đề nghị|giao)\s+(?P<x>(?:(?!yêu cầu|đề nghị|giao\s).)+?)\s+"
    r"(?:tập trung|triển khai|thực hiện|khẩn trương|chủ động|quan tâm|"
    r"nghiêm túc|tổ chức|tiếp tục)\b"
)

ADDRESSEES_BEFORE_ITEMS_RE = re.compile(
    r"\b(?:yêu cầu|đề nghị|giao)\s+(?P<x>(?:(?!yêu cầu|đề nghị|giao\s)[^:])+?)\s*:\s*$"
)
# Items that state aims, targets, scope or funding assign nothing, even where no Roman section says so.
# A heading, that is: short, or with its text after a colon ("1. Mục tiêu chung", "2. Yêu cầu: …").
NOT_ASSIGNING_RE = re.compile(
    r"^(?:(?:Các\s+)?Mục tiêu|Mục đích|Yêu cầu|Đối tượng|Phạm vi|Thời gian thực hiện|Kinh phí|Chỉ tiêu|"
    r"Quan điểm|Nguyên tắc)\b(?:[^:.;]{0,60}(?::|$))",
    re.IGNORECASE,
)
ARTICLE_RE = re.compile(r"^(?P<label>Điều\s+\d{1,2})\s*[.:]\s*(?P<rest>.*)$")
# The article that decides: its content is the decision itself (or attached to it), not a task.
DECIDING_ARTICLE_RE = re.compile(
    r"^(?:Ban hành|Phê duyệt|Thành lập|Kiện toàn|Công bố|Sửa đổi|Bổ sung|Điều chỉnh|Thay thế|Bãi bỏ|Công nhận)\b"
)
# Entry into force and execution: who abides by the decision, nothing to deliver.
EXECUTING_ARTICLE_RE = re.compile(
    r"\bcó hiệu lực\b|\bchịu trách nhiệm thi hành\b|\bthi hành (?:Quyết định|quyết định)\b|\bthay thế Quyết định\b",
)
ROMAN_RE = re.compile(r"^(?P<label>[IVXL]{1,5})\.\s*(?P<rest>.*)$")
ARABIC_RE = re.compile(r"^(?P<label>\d{1,2})\.\s+(?P<rest>.*)$")
SUB_ARABIC_RE = re.compile(r"^(?P<label>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\.?\s+(?P<rest>.*)$")
LETTER_RE = re.compile(r"^(?P<label>[a-zđ])\)\s*(?P<rest>.*)$")
BULLET_RE = re.compile(r"^[-+•]\s*")

_ASSIGNING_SECTIONS = ("nhiem vu", "giai phap", "to chuc thuc hien", "trach nhiem", "phan cong", "chi dao")
_LEVELS = {"article": -1, "roman": 0, "arabic": 1, "sub": 2, "letter": 3}


@dataclass
class Node:
    kind: str  # article | roman | arabic | sub | letter
    label: str
    heading: str
    body: list[str] = field(default_factory=list)  # paragraphs (bullets kept as "- …")
    children: list[Node] = field(default_factory=list)

    def all_text(self, *, with_heading: bool = True) -> str:
        parts = [self.heading] if with_heading and self.heading else []
        parts += self.body
        for child in self.children:
            parts.append(f"{child.label}) {child.all_text()}" if child.kind == "letter" else child.all_text())
        return "\n".join(p for p in parts if p)


@dataclass
class Task:
    label: str
    lead: list[str]
    coordinating: list[str]
    text: str


@dataclass
class Body:
    preamble: list[str]
    sections: list[Node]
    closing: list[str]


def join_broken_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from lines: a line starting in lower case continues the previous one (page breaks in pastes)."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if out and line[:1].islower() and not out[-1].endswith((".", ";", ":", "!", "?")) and not LETTER_RE.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _classify(par: str) -> tuple[str, str, str] | None:
    for kind, rx in (
        ("article", ARTICLE_RE),
        ("roman", ROMAN_RE),
        ("sub", SUB_ARABIC_RE),
        ("arabic", ARABIC_RE),
        ("letter", LETTER_RE),
    ):
        m = rx.match(par)
        if m:
            return kind, re.sub(r"\s+", " ", m.group("label")), m.group("rest").strip()
    return None


def split_body(lines: list[str]) -> Body:
    paragraphs = join_broken_paragraphs(lines)
    preamble: list[str] = []
    roots: list[Node] = []
    stack: list[Node] = []
    for par in paragraphs:
        cls = _classify(par)
        if cls is None:
            if stack:
                stack[-1].body.append(par)
            else:
                preamble.append(par)
            continue
        kind, label, rest = cls
        if kind == "letter" and not stack:
            preamble.append(par)
            continue
        node = Node(kind=kind, label=label, heading=rest)
        while stack and _LEVELS[stack[-1].kind] >= _LEVELS[kind]:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    closing = _take_closing(roots)
    return Body(preamble=preamble, sections=roots, closing=closing)


def _take_closing(roots: list[Node]) -> list[str]:
    """Unnumbered paragraphs after the last item that are not part of it ("Các cơ quan … báo cáo …")."""
    if not roots:
        return []
    node = roots[-1]
    while node.children:
        node = node.children[-1]
    closing: list[str] = []
    while node.body and not BULLET_RE.match(node.body[-1]) and (node.heading or len(node.body) > 1):
        first_plain = next(
            (i for i, p in enumerate(node.body) if not BULLET_RE.match(p) and (i > 0 or node.heading)), None
        )
        if first_plain is None:
            break
        closing = node.body[first_plain:]
        node.body = node.body[:first_plain]
        break
    return closing


def names_a_body(name: str) -> bool:
    """ "Sở Y tế", "Công an tỉnh" name a body; "Báo cáo kết quả", "Hội nghị", "Phòng, chống", a bare "Sở" do not."""
    name = _clean_name(name)
    return bool(AGENCY_START_RE.match(name)) and name not in _BARE_HEADS and not _NOT_A_BODY_RE.match(name)


def agency_list(text: str) -> list[str]:
    """ "Công an tỉnh, Sở Giáo dục và Đào tạo, Sở Y tế ban hành …" → the three agency names."""
    m = STOP_RE.search(text)
    text = text[: m.start()] if m else text
    text = text.strip(" ,.;:-")
    pieces = _SPLIT_RE.split(text)
    if not text or not names_a_body(pieces[0]):
        return []
    items: list[str] = [pieces[0]]
    for sep, piece in zip(pieces[1::2], pieces[2::2], strict=False):
        if names_a_body(piece):
            items.append(piece)
        else:
            items[-1] = items[-1] + sep + piece
    return [_clean_name(i) for i in items if _clean_name(i)]


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" ,.;:-")


def heading_agencies(heading: str) -> tuple[list[str], list[str]] | None:
    """A heading naming the agency: "Công an tỉnh", "Sở GD&ĐT chủ trì, phối hợp với …:" → (lead, coordinating)."""
    head = heading.split(":", 1)[0] if ":" in heading else heading
    head = _PREFIX_RE.sub("", head.strip())
    if not AGENCY_START_RE.match(head):
        return None
    if ":" not in heading and (len(head.split()) > 14 or head.rstrip().endswith(".")):
        return None
    coordinating: list[str] = []
    if m := re.search(r"\bchủ\s+trì\b", head, re.IGNORECASE):
        lead_part = head[: m.start()]
        if pm := PHOI_HOP_RE.search(head):
            coordinating = agency_list(pm.group("y"))
    else:
        lead_part = _HEADING_SUFFIX_RE.sub("", head)
        if STOP_RE.search(lead_part):  # a sentence, not a name: "Sở Y tế tăng cường kiểm tra"
            return None
    lead = agency_list(lead_part)
    return (lead, coordinating) if lead else None


def find_lead(text: str) -> list[str]:
    for m in CHU_TRI_RE.finditer(text):
        x = _PREFIX_RE.sub("", m.group("x").strip().lstrip("-+• ").strip())
        x = re.split(r"(?:^|\s)(?:giao|Giao|đề nghị|yêu cầu)\s+", x)[-1]
        if names := agency_list(x):
            return names
    for m in SENTENCE_PHOI_HOP_RE.finditer(text):
        x = _PREFIX_RE.sub("", m.group("x").strip().lstrip("-+• ").strip())
        if names := agency_list(x):
            return names
    return []


def find_coordinating(text: str) -> list[str]:
    names: list[str] = []
    for m in PHOI_HOP_RE.finditer(text):
        names += agency_list(m.group("y"))
    return names


def find_addressees(preamble: list[str]) -> list[str]:
    """ "… yêu cầu các sở, ban, ngành … và Ủy ban nhân dân các huyện … tập trung thực hiện …" → the two groups;
    "… đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:" (the items follow) → that body."""
    for par in preamble:
        for m in ADDRESSEES_RE.finditer(par):
            if names := agency_list(m.group("x")):
                return names
    for par in reversed(preamble):
        if (m := ADDRESSEES_BEFORE_ITEMS_RE.search(par)) and (names := agency_list(m.group("x"))):
            return names
    return []


def _dedupe(names: list[str], exclude: Sequence[str] = ()) -> list[str]:
    seen = {fold(n) for n in exclude}
    out: list[str] = []
    for n in names:
        if fold(n) not in seen:
            seen.add(fold(n))
            out.append(n)
    return out


def _is_assigning_section(node: Node) -> bool:
    title = fold(node.heading)
    return any(word in title for word in _ASSIGNING_SECTIONS)


def tasks_from_node(node: Node, default_lead: list[str], prefix: str = "") -> list[Task]:
    label = f"{prefix}{node.label}"
    heading = heading_agencies(node.heading)
    own_lead, head_coord = heading if heading else ([], [])
    text = node.all_text(with_heading=heading is None)
    if heading and ":" in node.heading and node.heading.split(":", 1)[1].strip():
        text = "\n".join(x for x in (node.heading.split(":", 1)[1].strip(), text) if x)
    if not own_lead:
        own_lead = find_lead(node.all_text()) if not node.children else find_lead(node.heading)
    if not own_lead:  # "Ủy ban nhân dân các huyện … thường xuyên kiểm tra …": the subject of the sentence
        own_lead = agency_list(_PREFIX_RE.sub("", node.heading))
    if not own_lead and node.children:
        child_tasks = [t for c in node.children for t in tasks_from_node(c, [], prefix=f"{label}.")]
        if child_tasks and all(t.lead for t in child_tasks):
            return child_tasks
        own_lead = find_lead(node.all_text())
    lead = own_lead or list(default_lead)
    coordinating = _dedupe(head_coord + find_coordinating(node.all_text()), exclude=lead)
    return [Task(label=label, lead=lead, coordinating=coordinating, text=text.strip())]


def _section_tasks(sections: list[Node], default_lead: list[str]) -> list[Task]:
    """The tasks of a kế hoạch's sections (Roman parts, or a decision's inline programme): only those that assign."""
    tasks: list[Task] = []
    for section in sections:
        if not _is_assigning_section(section):
            continue
        if section.children:
            for child in section.children:
                tasks += tasks_from_node(child, default_lead, prefix=f"{section.label}.")
        elif section.body:
            tasks += tasks_from_node(section, default_lead)
    return tasks


def _article_tasks(article: Node, default_lead: list[str]) -> list[Task]:
    """One article of a quyết định (module docstring): its tasks, or none."""
    if EXECUTING_ARTICLE_RE.search(article.heading):
        return []
    if DECIDING_ARTICLE_RE.match(article.heading):
        return _section_tasks(article.children, default_lead) if article.children else []
    return tasks_from_node(article, default_lead)


def extract_tasks(body: Body) -> list[Task]:
    default_lead = find_addressees(body.preamble)
    tasks: list[Task] = []
    articles = [n for n in body.sections if n.kind == "article"]
    if articles:
        for article in articles:
            tasks += _article_tasks(article, default_lead)
        return tasks
    romans = [n for n in body.sections if n.kind == "roman"]
    if romans:
        tasks += _section_tasks(romans, default_lead)
    else:
        for node in body.sections:
            if not NOT_ASSIGNING_RE.match(node.heading):
                tasks += tasks_from_node(node, default_lead)
    return tasks


def closing_task(paragraph: str, default_lead: list[str]) -> Task:
    """An unnumbered closing paragraph that sets a deadline (usually the reporting regime)."""
    lead = find_lead(paragraph) or agency_list(_PREFIX_RE.sub("", paragraph)) or list(default_lead)
    coordinating = _dedupe(find_coordinating(paragraph), exclude=lead)
    return Task(label="", lead=lead, coordinating=coordinating, text=paragraph)
