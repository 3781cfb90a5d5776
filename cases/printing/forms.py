"""The statutory forms of the case file (NĐ56 Annex, Mẫu 01–07) and the needs meeting's minutes, each declared once
as a list of parts and lines filled from the record: change a form by changing its declaration here.

Layout: the forms use the administrative-document layout of NĐ 30/2020 the reports use (childprotect/
official_documents.py and templates/official/). Contents: Mẫu 01 follows the published Annex (Báo cáo tiếp nhận
thông tin trẻ em: A. 1. source, 2. the child, 3. the informant). The other forms were not available in full
here: they are built from the articles that prescribe them (domain.md §5) — Mẫu 02 from Art. 26(2), Mẫu 03 from
Art. 27(1) a–h, Mẫu 04 from Art. 28(3), Mẫu 05 from Art. 28(4)–(5), Mẫu 06 from Art. 30(1) and Mẫu 07 from
Art. 32 — with the decisions worded as decisions of the commune chair (NĐ 30/2020 Appendix I).

Need-to-know holds on paper too: the informant's identity is printed only for a user who may see it
(`CaseFile.show_reporter`), and stated as confidential otherwise.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.casefile import (
    DETAILED_ASSESSMENT_POINTS,
    CaseFile,
    born_text,
    day,
    ethnicity_text,
    labels,
    money,
    person,
    plan_total,
    special_group_text,
    when,
    yes_no,
)
from cases.models import AbuseForm, AbuseSubtype, CaseKind
from cases.models.procedure import PlanStatus
from childprotect.official_documents import Issuer, Signer, number_line, place_and_date, vn_date
from childprotect.roles import Role

SIGN_NOTE = gettext_lazy("(Ký, ghi rõ họ tên)")
# The legal bases of the chair's decisions (Mẫu 05, 07). The Law on the Organisation of Local Government of
# 16 June 2025 is cited by its date; its number is UNCONFIRMED (domain.md §10.1).
DECISION_BASES: tuple[Any, ...] = (
    gettext_lazy("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"),
    gettext_lazy("Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016;"),
    gettext_lazy(
        "Căn cứ Nghị định số 56/2017/NĐ-CP ngày 09 tháng 5 năm 2017 của Chính phủ quy định chi tiết một số điều "
        "của Luật Trẻ em;"
    ),
)
KIND_WORDS: dict[str, Any] = {
    CaseKind.ABUSE: gettext_lazy("BỊ XÂM HẠI"),
    CaseKind.AT_RISK: gettext_lazy("CÓ NGUY CƠ BỊ BẠO LỰC, BÓC LỘT, BỎ RƠI"),
    CaseKind.SPECIAL_CIRCUMSTANCE: gettext_lazy("CÓ HOÀN CẢNH ĐẶC BIỆT"),
    CaseKind.ACCIDENT: gettext_lazy("BỊ TAI NẠN, THƯƠNG TÍCH"),
}


# --- The declarations' vocabulary --------------------------------------------------------------------------------


@dataclass
class Filled:
    """What a getter reads: the case file and the one record the form prints."""

    cf: CaseFile
    record: Any

    @property
    def case(self) -> Any:
        return self.cf.case


Getter = Callable[[Filled], str]


@dataclass(frozen=True)
class Line:
    """ "Label: value". `long` values are set under their label, as a paragraph."""

    label: Any
    value: Getter
    long: bool = False


@dataclass(frozen=True)
class Part:
    heading: Any
    lines: tuple[Line, ...] = ()
    # Free paragraphs (a decision's articles), each a getter returning the whole text.
    paragraphs: tuple[Getter, ...] = ()
    plan_table: bool = False  # the plan's items as a table (Mẫu 04, and the plan attached to Mẫu 05)


@dataclass(frozen=True)
class FormSpec:
    slug: str  # in URLs: "mau-01"
    short: Any  # "Mẫu 01"
    name: Any  # "Báo cáo tiếp nhận thông tin"
    section: str  # the case page section it prints from
    records: Callable[[CaseFile], list[Any]]  # the records it can be printed for, oldest first
    symbol: str  # document type for the number line: "BC", "QĐ", "KH", "BB"
    title: Getter
    subject: Getter
    parts: tuple[Part, ...]
    signers: Callable[[Filled], list[Signer]]
    document_date: Callable[[Filled], datetime.date | None]
    decision: bool = False  # a decision of the chair: authority line, legal bases, "QUYẾT ĐỊNH:", recipients
    recipients: tuple[Any, ...] = ()
    number: Getter | None = None
    draft: Callable[[Filled], bool] = lambda f: False
    attach_plan: bool = False  # Mẫu 05: the approved plan follows the decision


# --- Shared getters --------------------------------------------------------------------------------------------------


def _attribute(name: str) -> Getter:
    """The record's text field `name`, or a dash."""

    def get(f: Filled) -> str:
        return getattr(f.record, name) or "—"

    return get


def child_name(f: Filled) -> str:
    return str(f.case.child.full_name)


def child_born(f: Filled) -> str:
    return born_text(f.case.child)


def child_line(f: Filled) -> str:
    """ "Nguyễn Thị A, sinh ngày 01/02/2013, cư trú tại Phường …" for a decision's article."""
    child = f.case.child
    born = (
        _("sinh ngày %(date)s") % {"date": day(child.date_of_birth)}
        if child.date_of_birth
        else (_("sinh năm %(year)s") % {"year": child.birth_year} if child.birth_year else "")
    )
    parts = [child.full_name, born, _("cư trú tại %(place)s") % {"place": child.commune.full_name}]
    return ", ".join(p for p in parts if p)


def caregivers_text(f: Filled) -> str:
    lines = []
    for caregiver in f.cf.caregivers:
        line = caregiver.full_name + (f" ({caregiver.relationship})" if caregiver.relationship else "")
        extras = [x for x in (caregiver.phone, caregiver.address) if x]
        if extras:
            line += ": " + ", ".join(extras)
        if caregiver.is_alleged_perpetrator:
            line += " — " + _("người bị nghi gây hại cho trẻ")
        lines.append(line)
    return "\n".join(lines) or _("Chưa ghi nhận")


def reporter_value(attribute: str) -> Getter:
    def get(f: Filled) -> str:
        if not f.cf.show_reporter:
            return _("Được bảo mật (Điều 24 Nghị định 56/2017/NĐ-CP)")
        reporter = f.cf.reporter
        return (getattr(reporter, attribute, "") if reporter is not None else "") or "—"

    return get


def channel(f: Filled) -> str:
    reporter = f.cf.reporter
    if reporter is not None:
        return str(reporter.get_channel_display())
    return "—" if f.cf.show_reporter else _("Được bảo mật")


def commune_issuer(f: Filled, *, receiving: bool = False) -> Issuer:
    """The commune People's Committee; for the intake record (Mẫu 01) of a case the 111 hotline received, the
    hotline (its agency in the directory, when the operator has one)."""
    case = f.case
    creator = case.created_by
    abbreviation = "UBND"
    if receiving and creator is not None and creator.role == Role.HOTLINE_OPERATOR:
        agency = creator.agency if creator.agency_id else None
        lines = [(agency.name if agency else _("Tổng đài điện thoại quốc gia bảo vệ trẻ em 111")).upper()]
        abbreviation = (agency.short_name if agency and agency.short_name else "TĐ111").upper()
    else:
        lines = [_("ỦY BAN NHÂN DÂN"), case.commune.full_name.upper()]
    return Issuer(
        parent_body="",
        issuer_lines=lines,
        abbreviation=abbreviation,
        drafting_unit="",
        signer_authority="",
        signer_title=_("CHỦ TỊCH"),
        signer_name="",
        recipients=[],
    )


def _signer(title: Any, who: Any) -> list[Signer]:
    return [Signer(title=str(title), note=str(SIGN_NOTE), name=person(who))]


def _local_day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


# The child's identification and an assessment's levels, as several forms print them.
CHILD_LINES: tuple[Line, ...] = (
    Line(gettext_lazy("Họ và tên trẻ em"), child_name),
    Line(gettext_lazy("Ngày tháng năm sinh hoặc tuổi"), child_born),
    Line(gettext_lazy("Số hồ sơ"), lambda f: f.case.case_number or ""),
)
LEVEL_LINES: tuple[Line, ...] = (
    Line(gettext_lazy("Thời điểm đánh giá"), lambda f: when(f.record.assessed_at)),
    Line(gettext_lazy("Mức độ tổn hại"), lambda f: str(f.record.get_harm_level_display())),
    Line(gettext_lazy("Mức độ nguy cơ"), lambda f: str(f.record.get_risk_level_display())),
)


# --- Records each form prints ---------------------------------------------------------------------------------------


def _case_itself(cf: CaseFile) -> list[Any]:
    return [cf.case]


def _decided_plans(cf: CaseFile) -> list[Any]:
    return [p for p in cf.plans if p.submitted_at or p.approved_at]


def _plans_with_items(cf: CaseFile) -> list[Any]:
    return [p for p in cf.plans if p.items.all()]


# --- The forms -------------------------------------------------------------------------------------------------

MAU_01 = FormSpec(
    slug="mau-01",
    short=gettext_lazy("Mẫu 01"),
    name=gettext_lazy("Báo cáo tiếp nhận thông tin trẻ em"),
    section="intake",
    records=_case_itself,
    symbol="BC",
    title=lambda f: _("BÁO CÁO"),
    subject=lambda f: _("Tiếp nhận thông tin trẻ em %(who)s") % {"who": str(KIND_WORDS[f.case.kind]).lower()},
    parts=(
        Part(gettext_lazy("A. Thông tin chung")),
        Part(
            gettext_lazy("1. Nguồn nhận thông tin"),
            (
                Line(gettext_lazy("Thông qua"), channel),
                Line(gettext_lazy("Thời gian tiếp nhận"), lambda f: when(f.case.received_at)),
                Line(gettext_lazy("Số hồ sơ"), lambda f: f.case.case_number or ""),
            ),
        ),
        Part(
            gettext_lazy("2. Thông tin về trẻ em"),
            (
                Line(gettext_lazy("Họ và tên trẻ em"), child_name),
                Line(gettext_lazy("Ngày tháng năm sinh hoặc tuổi ước lượng"), child_born),
                Line(gettext_lazy("Giới tính"), lambda f: str(f.case.child.get_sex_display())),
                Line(gettext_lazy("Dân tộc"), lambda f: ethnicity_text(f.case.child)),
                Line(gettext_lazy("Số định danh cá nhân"), lambda f: f.case.child.id_number or "—"),
                Line(gettext_lazy("Khuyết tật"), lambda f: str(f.case.child.get_disability_display())),
                Line(gettext_lazy("Nơi cư trú"), lambda f: f.case.child.commune.full_name),
                Line(gettext_lazy("Loại vụ việc"), lambda f: str(f.case.get_kind_display())),
                Line(gettext_lazy("Hình thức xâm hại"), lambda f: labels(f.case.abuse_forms, AbuseForm.choices) or "—"),
                Line(
                    gettext_lazy("Chi tiết hình thức"),
                    lambda f: labels(f.case.abuse_subtypes, AbuseSubtype.choices) or "—",
                ),
                Line(gettext_lazy("Nhóm trẻ em có hoàn cảnh đặc biệt"), lambda f: special_group_text(f.case) or "—"),
                Line(
                    gettext_lazy("Địa điểm xảy ra vụ việc"),
                    lambda f: (
                        f.case.incident_commune.full_name
                        if f.case.incident_commune_id
                        else _("Nơi trẻ cư trú (không ghi riêng)")
                    ),
                ),
                Line(gettext_lazy("Ngày xảy ra"), lambda f: day(f.case.incident_date) or "—"),
                Line(gettext_lazy("Trẻ đang gặp nguy hiểm khi tiếp nhận"), lambda f: yes_no(f.case.immediate_danger)),
                Line(gettext_lazy("Cha mẹ, người chăm sóc trẻ em"), caregivers_text, long=True),
            ),
        ),
        Part(
            gettext_lazy("3. Thông tin người cung cấp thông tin (nếu đồng ý cung cấp)"),
            (
                Line(gettext_lazy("Họ và tên"), reporter_value("name")),
                Line(gettext_lazy("Số điện thoại"), reporter_value("phone")),
                Line(gettext_lazy("Quan hệ với trẻ em"), reporter_value("relationship")),
            ),
        ),
        Part(
            gettext_lazy("Ghi thêm"),
            (
                Line(
                    gettext_lazy("Tóm tắt sự việc, tình trạng hiện tại của trẻ em"),
                    lambda f: f.case.summary or "—",
                    long=True,
                ),
            ),
        ),
    ),
    signers=lambda f: _signer(_("CÁN BỘ TIẾP NHẬN THÔNG TIN"), f.case.created_by),
    document_date=lambda f: _local_day(f.case.received_at),
)

MAU_02 = FormSpec(
    slug="mau-02",
    short=gettext_lazy("Mẫu 02"),
    name=gettext_lazy("Đánh giá nguy cơ ban đầu, mức độ tổn hại"),
    section="initial-assessment",
    records=lambda cf: cf.initial_assessments,
    symbol="BC",
    title=lambda f: _("BÁO CÁO"),
    subject=lambda f: _("Đánh giá nguy cơ ban đầu, mức độ tổn hại của trẻ em"),
    parts=(
        Part(
            gettext_lazy("1. Thông tin về trẻ em"),
            (*CHILD_LINES, Line(gettext_lazy("Thông tin tiếp nhận lúc"), lambda f: when(f.case.received_at))),
        ),
        Part(
            gettext_lazy("2. Đánh giá nguy cơ ban đầu"),
            (
                *LEVEL_LINES,
                Line(
                    gettext_lazy(
                        "Trẻ em đang bị hoặc có nguy cơ bị tổn hại nghiêm trọng về tính mạng, sức khỏe, nhân phẩm"
                    ),
                    lambda f: yes_no(f.record.serious_danger),
                ),
                Line(gettext_lazy("Nhận định"), lambda f: f.record.findings or "—", long=True),
            ),
        ),
        Part(
            gettext_lazy("3. Kết luận"),
            paragraphs=(
                lambda f: (
                    _(
                        "Cần áp dụng biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em trong vòng 12 giờ kể từ "
                        "khi nhận thông tin (Điều 26 khoản 3 Nghị định 56/2017/NĐ-CP)."
                    )
                    if f.record.serious_danger
                    else _(
                        "Không cần áp dụng biện pháp can thiệp khẩn cấp; tiếp tục thu thập thông tin, đánh giá nguy cơ."
                    )
                ),
            ),
        ),
    ),
    signers=lambda f: _signer(_("NGƯỜI ĐÁNH GIÁ"), f.record.assessed_by),
    document_date=lambda f: _local_day(f.record.assessed_at),
)

MAU_03 = FormSpec(
    slug="mau-03",
    short=gettext_lazy("Mẫu 03"),
    name=gettext_lazy("Thu thập thông tin, đánh giá nguy cơ cụ thể"),
    section="detailed-assessment",
    records=lambda cf: cf.detailed_assessments,
    symbol="BC",
    title=lambda f: _("BÁO CÁO"),
    subject=lambda f: _("Thu thập thông tin, đánh giá nguy cơ cụ thể đối với trẻ em"),
    parts=(
        Part(
            gettext_lazy("1. Thông tin về trẻ em"),
            (
                *CHILD_LINES,
                *LEVEL_LINES,
                Line(
                    gettext_lazy("Trẻ vẫn có nguy cơ bị tổn hại nghiêm trọng"),
                    lambda f: yes_no(f.record.serious_danger),
                ),
            ),
        ),
        Part(
            gettext_lazy("2. Nội dung đánh giá (Điều 27 khoản 1 Nghị định 56/2017/NĐ-CP)"),
            tuple(Line(label, _attribute(name), long=True) for name, label in DETAILED_ASSESSMENT_POINTS),
        ),
        Part(
            gettext_lazy("3. Nhận định chung"),
            (Line(gettext_lazy("Nhận định"), lambda f: f.record.findings or "—", long=True),),
        ),
    ),
    signers=lambda f: _signer(_("NGƯỜI ĐÁNH GIÁ"), f.record.assessed_by),
    document_date=lambda f: _local_day(f.record.assessed_at),
)

MAU_04 = FormSpec(
    slug="mau-04",
    short=gettext_lazy("Mẫu 04"),
    name=gettext_lazy("Kế hoạch hỗ trợ, can thiệp"),
    section="plan",
    records=_plans_with_items,
    symbol="KH",
    title=lambda f: _("KẾ HOẠCH"),
    subject=lambda f: (
        _("Hỗ trợ, can thiệp đối với trẻ em %(name)s (chu kỳ %(cycle)s)")
        % {"name": f.case.child.full_name, "cycle": f.record.cycle}
    ),
    parts=(
        Part(gettext_lazy("1. Thông tin về trẻ em"), CHILD_LINES),
        Part(
            gettext_lazy("2. Mục tiêu"),
            (Line(gettext_lazy("Mục tiêu của kế hoạch"), lambda f: f.record.goals or "—", long=True),),
        ),
        Part(
            gettext_lazy("3. Dịch vụ, hoạt động; người chịu trách nhiệm; thời gian; dự toán kinh phí"),
            plan_table=True,
        ),
        Part(
            gettext_lazy("4. Tổng dự toán kinh phí"),
            (Line(gettext_lazy("Tổng cộng"), lambda f: money(plan_total(f.record))),),
        ),
    ),
    signers=lambda f: _signer(_("NGƯỜI LẬP KẾ HOẠCH"), f.record.drafted_by),
    document_date=lambda f: _local_day(f.record.submitted_at),
    draft=lambda f: f.record.status in {PlanStatus.DRAFT, PlanStatus.RETURNED},
)


def _decision_authority(f: Filled) -> str:
    return _("CHỦ TỊCH ỦY BAN NHÂN DÂN %(commune)s") % {"commune": f.case.commune.full_name.upper()}


MAU_05 = FormSpec(
    slug="mau-05",
    short=gettext_lazy("Mẫu 05"),
    name=gettext_lazy("Quyết định phê duyệt kế hoạch hỗ trợ, can thiệp"),
    section="approval",
    records=_decided_plans,
    symbol="QĐ",
    title=lambda f: _("QUYẾT ĐỊNH"),
    subject=lambda f: _("Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em"),
    decision=True,
    parts=(
        Part(
            "",
            paragraphs=(
                lambda f: (
                    _(
                        "Điều 1. Phê duyệt kế hoạch hỗ trợ, can thiệp (chu kỳ %(cycle)s) đối với trẻ em %(child)s, "
                        "với tổng dự toán kinh phí %(total)s (kế hoạch kèm theo)."
                    )
                    % {"cycle": f.record.cycle, "child": child_line(f), "total": money(plan_total(f.record))}
                ),
                lambda f: _(
                    "Điều 2. Các cơ quan, tổ chức, cá nhân có tên trong kế hoạch thực hiện các dịch vụ, hoạt động "
                    "được giao theo đúng thời gian; người làm công tác bảo vệ trẻ em cấp xã theo dõi, đôn đốc, tổng "
                    "hợp kết quả thực hiện và đề xuất điều chỉnh khi cần (Điều 29 Nghị định 56/2017/NĐ-CP). Cha mẹ, "
                    "người chăm sóc trẻ em có trách nhiệm phối hợp thực hiện kế hoạch."
                ),
                lambda f: _(
                    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Ủy ban nhân dân, người làm công tác "
                    "bảo vệ trẻ em cấp xã, các cơ quan, tổ chức, cá nhân có tên trong kế hoạch và cha mẹ, người chăm "
                    "sóc trẻ em chịu trách nhiệm thi hành Quyết định này."
                ),
            ),
        ),
    ),
    recipients=(gettext_lazy("Như Điều 3"), gettext_lazy("Cha mẹ, người chăm sóc trẻ em")),
    number=lambda f: f.record.decision_number,
    signers=lambda f: [Signer(title=_("CHỦ TỊCH"), name=person(f.record.approved_by))],
    document_date=lambda f: _local_day(f.record.approved_at),
    draft=lambda f: f.record.approved_at is None,
    attach_plan=True,
)

MAU_06 = FormSpec(
    slug="mau-06",
    short=gettext_lazy("Mẫu 06"),
    name=gettext_lazy("Rà soát, đánh giá tình trạng của trẻ em sau khi thực hiện kế hoạch"),
    section="review",
    records=lambda cf: cf.reviews,
    symbol="BC",
    title=lambda f: _("RÀ SOÁT, ĐÁNH GIÁ"),
    subject=lambda f: _("Tình trạng của trẻ em sau khi thực hiện kế hoạch hỗ trợ, can thiệp"),
    parts=(
        Part(
            "",
            (
                Line(gettext_lazy("Họ và tên trẻ em"), child_name),
                Line(gettext_lazy("Họ và tên cán bộ thực hiện"), lambda f: person(f.record.reviewed_by)),
                Line(gettext_lazy("Ngày, tháng, năm thực hiện"), lambda f: when(f.record.reviewed_at)),
                Line(gettext_lazy("Kế hoạch được rà soát"), lambda f: _("Chu kỳ %(c)s") % {"c": f.record.plan.cycle}),
            ),
        ),
        Part(
            gettext_lazy("1. Đánh giá nguy cơ tại giai đoạn kết thúc"),
            (
                Line(gettext_lazy("Trẻ em không còn nguy cơ bị xâm hại"), lambda f: yes_no(f.record.child_safe)),
                Line(
                    gettext_lazy("Các yếu tố thể chất, tâm lý, nhận thức, tình cảm của trẻ em ổn định"),
                    lambda f: yes_no(f.record.child_stable),
                ),
                Line(gettext_lazy("Kết quả rà soát"), lambda f: f.record.findings, long=True),
            ),
        ),
        Part(
            gettext_lazy("2. Đề xuất"),
            (Line(gettext_lazy("Đề xuất"), lambda f: str(f.record.get_outcome_display())),),
        ),
    ),
    signers=lambda f: _signer(_("NGƯỜI RÀ SOÁT, ĐÁNH GIÁ"), f.record.reviewed_by),
    document_date=lambda f: _local_day(f.record.reviewed_at),
)


def _separated_from(f: Filled) -> str:
    names = [
        f"{c.full_name} ({c.relationship})" if c.relationship else c.full_name
        for c in f.cf.caregivers
        if c.is_alleged_perpetrator
    ]
    return ", ".join(names) or _("cha, mẹ, người chăm sóc trẻ em")


MAU_07 = FormSpec(
    slug="mau-07",
    short=gettext_lazy("Mẫu 07"),
    name=gettext_lazy("Quyết định tạm thời cách ly trẻ em"),
    section="emergency",
    records=lambda cf: cf.separations,
    symbol="QĐ",
    title=lambda f: _("QUYẾT ĐỊNH"),
    subject=lambda f: _("Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em"),
    decision=True,
    parts=(
        Part(
            "",
            paragraphs=(
                lambda f: (
                    _(
                        "Điều 1. Tạm thời cách ly trẻ em %(child)s khỏi %(from)s, từ %(start)s đến %(end)s (không quá "
                        "15 ngày, trừ khi cơ quan có thẩm quyền yêu cầu tiếp tục)."
                    )
                    % {
                        "child": child_line(f),
                        "from": _separated_from(f),
                        "start": when(f.record.started_at),
                        "end": when(f.record.ends_at),
                    }
                ),
                lambda f: (
                    _("Điều 2. Nơi ở an toàn, chăm sóc thay thế cho trẻ em: %(place)s. %(what)s")
                    % {"place": f.record.placement or "—", "what": f.record.description}
                ),
                lambda f: (
                    _("Gia hạn theo yêu cầu của: %(who)s.") % {"who": f.record.extended_by_authority}
                    if f.record.extended_by_authority
                    else ""
                ),
                lambda f: _(
                    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký và chấm dứt khi cha mẹ, người chăm sóc được "
                    "đánh giá có khả năng bảo đảm an toàn cho trẻ em (Điều 32 Nghị định 56/2017/NĐ-CP). Văn phòng Ủy "
                    "ban nhân dân, người làm công tác bảo vệ trẻ em cấp xã, cơ quan, tổ chức, cá nhân có liên quan và "
                    "cha mẹ, người chăm sóc trẻ em chịu trách nhiệm thi hành Quyết định này."
                ),
            ),
        ),
    ),
    recipients=(gettext_lazy("Như Điều 3"), gettext_lazy("Công an xã, phường")),
    number=lambda f: f.record.decision_number,
    signers=lambda f: [Signer(title=_("CHỦ TỊCH"), name=person(f.record.decided_by))],
    document_date=lambda f: _local_day(f.record.started_at),
)

MINUTES = FormSpec(
    slug="bien-ban-hop",
    short=gettext_lazy("Biên bản họp"),
    name=gettext_lazy("Biên bản họp xác định nhu cầu, biện pháp"),
    section="needs-meeting",
    records=lambda cf: cf.meetings,
    symbol="BB",
    title=lambda f: _("BIÊN BẢN"),
    subject=lambda f: _("Họp xác định nhu cầu, biện pháp bảo vệ trẻ em"),
    parts=(
        Part(
            "",
            (
                Line(gettext_lazy("Trẻ em"), child_line),
                Line(gettext_lazy("Số hồ sơ"), lambda f: f.case.case_number or ""),
                Line(gettext_lazy("Ngày họp"), lambda f: day(f.record.held_on)),
                Line(gettext_lazy("Thành phần"), lambda f: f.record.participants, long=True),
                Line(gettext_lazy("Kết luận về nhu cầu, biện pháp"), lambda f: f.record.decisions, long=True),
            ),
        ),
    ),
    signers=lambda f: [
        Signer(title=_("THƯ KÝ"), note=str(SIGN_NOTE), name=person(f.record.recorded_by)),
        Signer(title=_("CHỦ TRÌ"), note=str(SIGN_NOTE)),
    ],
    document_date=lambda f: f.record.held_on,
)

# In the order of the case file (NĐ56 Art. 28(2), domain.md §5.4).
FORMS: tuple[FormSpec, ...] = (MAU_01, MAU_02, MAU_07, MAU_03, MINUTES, MAU_04, MAU_05, MAU_06)
FORMS_BY_SLUG: dict[str, FormSpec] = {spec.slug: spec for spec in FORMS}
WHOLE_FILE = "ho-so"


# --- Filling a form --------------------------------------------------------------------------------------------------


@dataclass
class PrintedForm:
    """One form filled from one record, ready for templates/cases/print/form.html."""

    spec: FormSpec
    filled: Filled
    issuer: Issuer
    number_line: str
    place_date: str
    title: str
    subject: str
    parts: list[dict[str, Any]]
    signers: list[Signer]
    recipients: list[str] = field(default_factory=list)
    archive_line: str = ""
    authority_line: str = ""
    bases: list[str] = field(default_factory=list)
    draft: bool = False
    plan_items: list[Any] = field(default_factory=list)
    attached_note: str = ""


ARTICLE_LEAD = re.compile(r"^(Điều \d+\.)\s+")


def _article(text: str) -> dict[str, str]:
    """ "Điều 1. Phê duyệt …" → the article number (printed bold, NĐ 30/2020 §9.4) and its text."""
    match = ARTICLE_LEAD.match(text)
    if match is None:
        return {"lead": "", "text": text}
    return {"lead": match.group(1), "text": text[match.end() :]}


def fill(spec: FormSpec, cf: CaseFile, record: Any) -> PrintedForm:
    f = Filled(cf=cf, record=record)
    issuer = commune_issuer(f, receiving=spec is MAU_01)
    commune = cf.case.commune
    document_day = spec.document_date(f)
    place = commune.place_name or commune.name
    parts = [
        {
            "heading": str(part.heading),
            "lines": [{"label": str(line.label), "value": line.value(f), "long": line.long} for line in part.lines],
            "paragraphs": [_article(text) for text in (get(f) for get in part.paragraphs) if text],
            "plan_table": part.plan_table,
        }
        for part in spec.parts
    ]
    plan_items = list(record.items.all()) if (spec.attach_plan or any(p.plan_table for p in spec.parts)) else []
    bases = [str(b) for b in DECISION_BASES] if spec.decision else []
    if spec is MAU_05:
        bases.append(_("Xét đề nghị của người làm công tác bảo vệ trẻ em cấp xã,"))
    elif spec is MAU_07:
        bases.append(_("Xét kết quả đánh giá nguy cơ và đề nghị của người làm công tác bảo vệ trẻ em cấp xã,"))
    return PrintedForm(
        spec=spec,
        filled=f,
        issuer=issuer,
        number_line=number_line(spec.number(f) if spec.number else "", f"{spec.symbol}-{issuer.abbreviation}"),
        place_date=place_and_date(place, document_day)
        if document_day
        else _("%(place)s, ngày … tháng … năm …") % {"place": place},
        title=spec.title(f),
        subject=spec.subject(f),
        parts=parts,
        signers=spec.signers(f),
        recipients=[str(r) for r in spec.recipients],
        archive_line=_("Lưu: VT.") if spec.decision else "",
        authority_line=_decision_authority(f) if spec.decision else "",
        bases=bases,
        draft=spec.draft(f),
        plan_items=plan_items,
        attached_note=_attached_note(spec, f, document_day),
    )


def _attached_note(spec: FormSpec, f: Filled, document_day: datetime.date | None) -> str:
    """ "(Kèm theo Quyết định số 21/QĐ-UBND ngày 05/12/2026 của Chủ tịch Ủy ban nhân dân Phường …)"."""
    if not spec.attach_plan:
        return ""
    number = (spec.number(f) if spec.number else "") or "…"
    return _("(Kèm theo Quyết định số %(number)s ngày %(date)s của Chủ tịch Ủy ban nhân dân %(commune)s)") % {
        "number": number,
        "date": vn_date(document_day) if document_day else "…",
        "commune": f.case.commune.full_name,
    }


@dataclass
class Printable:
    """A link to print one form of one record, for the case page and the print page."""

    spec: FormSpec
    record_id: int
    label: str
    url: str

    @property
    def short(self) -> str:
        return str(self.spec.short)


def printable_forms(cf: CaseFile) -> list[Printable]:
    """Every form this case file can print now: one per record, in the order of the file."""
    out = []
    for spec in FORMS:
        records = spec.records(cf)
        for index, record in enumerate(records, start=1):
            label = str(spec.name) if len(records) == 1 else f"{spec.name} ({index})"
            url = reverse("cases:print-form", args=[cf.case.pk, spec.slug, record.pk])
            out.append(Printable(spec=spec, record_id=record.pk, label=label, url=url))
    return out


def printable_forms_by_section(cf: CaseFile) -> dict[str, list[Printable]]:
    grouped: dict[str, list[Printable]] = {}
    for printable in printable_forms(cf):
        grouped.setdefault(printable.spec.section, []).append(printable)
    return grouped


def record_for(spec: FormSpec, cf: CaseFile, record_id: int | str) -> Any | None:
    """The record `record_id` among those this form prints for this case (None: not this case's, or not printable)."""
    return next((r for r in spec.records(cf) if str(r.pk) == str(record_id)), None)
