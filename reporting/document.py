"""What a periodic report says, in the official layout's terms (NĐ 30/2020, domain.md §9): issuing body, number
and symbol, place and date, title and subject, the narrative of the period, the tables, the indicators, the
recipients and the signature block. Rendered to PDF (render_pdf.py) and XLSX (render_xlsx.py) from this one
object, so both carry the same figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import AbuseForm, AccidentType, CaseKind
from childprotect.models import AdministrativeUnit, Agency, Sector
from childprotect.models.units import UnitKind
from childprotect.official_documents import (
    Issuer,
    body_without_unit,
    number_line,
    place_and_date,
    unit_in_sentence,
    vn_date,
)
from childprotect.official_documents import abbreviation as initials
from reporting.figures.types import Figures, Row, Table
from reporting.indicators import IndicatorResult
from reporting.models import ReportIssuer, ReportKind, ReportRun


def number(value: Any) -> str:
    """Vietnamese digit grouping: 1.234."""
    return f"{int(value or 0):,}".replace(",", ".")


def decimal(value: float | None) -> str:
    """One decimal with a decimal comma, none for a whole number: 66,7 — 4 — 1.234,5."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return number(value)
    whole, _sep, fraction = f"{value:.1f}".partition(".")
    return f"{number(int(whole))},{fraction}"


def _agency_of(unit: AdministrativeUnit, level: str) -> Agency | None:
    return (
        Agency.objects.active().filter(sector=Sector.CHILD_PROTECTION, unit=unit, level=level).order_by("code").first()
    )


def default_symbol(abbreviation: str) -> str:
    """The symbol of a report (NĐ 30/2020, Appendix III): "BC-" and the issuing body's abbreviation, "BC-SYT"."""
    return f"BC-{abbreviation.upper()}"


def issuer_for(unit: AdministrativeUnit) -> Issuer:
    """The unit's ReportIssuer row if an admin entered one; otherwise a header derived from the unit and its
    child-protection agency in the directory (names are data: nothing here names a department)."""
    configured = ReportIssuer.objects.filter(unit=unit).first()
    if configured is not None:
        recipients = [line.strip(" -;.") for line in configured.recipients.splitlines() if line.strip(" -;.")]
        abbreviation = configured.issuer_abbreviation.strip().upper()
        return Issuer(
            parent_body=configured.parent_body.upper(),
            issuer_lines=[configured.issuer_name.upper()],
            abbreviation=abbreviation,
            drafting_unit=configured.drafting_unit.upper(),
            signer_authority=configured.signer_authority.upper(),
            signer_title=configured.signer_title.upper(),
            signer_name=configured.signer_name,
            recipients=recipients,
            symbol=configured.document_symbol.strip().upper() or default_symbol(abbreviation),
        )
    level = "province" if unit.kind == UnitKind.PROVINCE else "commune"
    agency = _agency_of(unit, level)
    province = unit.province()
    upper_recipients = (
        [_("Bộ Y tế (Cục Bà mẹ và Trẻ em)"), _("UBND %(unit)s") % {"unit": unit_in_sentence(unit.full_name)}]
        if unit.kind == UnitKind.PROVINCE
        else [
            str(_agency_of(province, "province") or _("UBND %(unit)s") % {"unit": unit_in_sentence(province.full_name)})
        ]
    )
    if agency is not None:
        # "Sở Y tế tỉnh Thái Nguyên" heads as "UBND TỈNH THÁI NGUYÊN / SỞ Y TẾ", symbol BC-SYT.
        body = body_without_unit(agency.name, [unit.full_name, unit.name])
        abbreviation = (agency.short_name or initials(body)).upper()
        return Issuer(
            parent_body=_("UBND %(unit)s") % {"unit": unit.full_name.upper()},
            issuer_lines=[body.upper()],
            abbreviation=abbreviation,
            drafting_unit="",
            signer_authority="",
            signer_title=_("GIÁM ĐỐC") if unit.kind == UnitKind.PROVINCE else _("TRƯỞNG PHÒNG"),
            signer_name="",
            recipients=upper_recipients,
            symbol=default_symbol(abbreviation),
        )
    return Issuer(
        parent_body="",
        issuer_lines=[_("ỦY BAN NHÂN DÂN"), unit.full_name.upper()],
        abbreviation="UBND",
        drafting_unit="",
        signer_authority=_("TM. ỦY BAN NHÂN DÂN"),
        signer_title=_("CHỦ TỊCH"),
        signer_name="",
        recipients=upper_recipients,
        symbol=default_symbol("UBND"),
    )


# The first header cell of a table: what its rows are. Tables not listed here hold indicators.
ROW_HEADINGS = {
    "cases_by_area": gettext_lazy("Đơn vị"),
    "cases_by_month": gettext_lazy("Tháng"),
    "referrals_by_agency": gettext_lazy("Cơ quan nhận"),
    "directive_tasks_by_lead": gettext_lazy("Đơn vị chủ trì"),
    "area": gettext_lazy("Đơn vị"),
}


SHORT_TABLE_LINES = 10


def row_heading(table: Table) -> str:
    """What the table's first column holds, for its first header cell ("Chỉ tiêu", "Đơn vị", "Tháng")."""
    key = table.key if table.key in ROW_HEADINGS else table.key.rsplit(".", 1)[-1]
    return str(ROW_HEADINGS.get(key, _("Chỉ tiêu")))


def _is_zero(row: Row) -> bool:
    return not row.total and all(not cell.value for cell in row.cells)


@dataclass
class PrintedTable:
    """A table as the PDF prints it: rows that are zero throughout folded into one line naming them (the XLSX
    keeps every row), the first header cell filled. A time series keeps its zero months, which read as such."""

    table: Table
    number: str
    heading: str
    rows: list[Row]
    zero_labels: list[str]

    @classmethod
    def of(cls, table: Table, number: str = "") -> PrintedTable:
        folds = table.chart != "trend"
        zero = [row for row in table.rows if folds and _is_zero(row)]
        # One zero row alone takes no more room than the line that would name it.
        if len(zero) < 2:
            zero = []
        return cls(
            table=table,
            number=number,
            heading=row_heading(table),
            rows=[row for row in table.rows if row not in zero],
            zero_labels=[row.label for row in zero],
        )

    @property
    def zero_line(self) -> str:
        if not self.zero_labels:
            return ""
        if not self.rows:
            return _("Tất cả các chỉ tiêu đều bằng 0: %(labels)s.") % {"labels": "; ".join(self.zero_labels)}
        return _("Các chỉ tiêu sau đều bằng 0: %(labels)s.") % {"labels": "; ".join(self.zero_labels)}

    @property
    def short(self) -> bool:
        """Short enough to keep whole on one page with its caption; a longer one may run on to the next page
        (its header row repeated there), which leaves no half-empty pages behind."""
        return len(self.rows) + bool(self.zero_labels) <= SHORT_TABLE_LINES


@dataclass
class ReportDocument:
    run: ReportRun
    issuer: Issuer
    number_line: str
    place_date: str
    date: datetime.date
    title: str
    subject: str
    period_line: str
    narrative: list[str]
    figures: Figures
    indicators: list[IndicatorResult]
    remarks: list[str]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # "DỰ THẢO" on every page: the run is not locked yet, or its figures were taken before the data cut-off.
    draft: bool = True
    provisional: bool = False  # figures taken before the data cut-off: a draft even once locked

    @property
    def numbered_sections(self) -> list[dict[str, Any]]:
        """Sections numbered 1, 2, … and their tables 1.1, 1.2, … for the PDF and the XLSX (which prints
        `table`, every row; the PDF prints `printed`)."""
        return [
            {
                "number": s_index,
                "section": section,
                "tables": [
                    {
                        "number": f"{s_index}.{t_index}",
                        "table": table,
                        "printed": PrintedTable.of(table, f"{s_index}.{t_index}"),
                    }
                    for t_index, table in enumerate(section.tables, start=1)
                ],
            }
            for s_index, section in enumerate(self.figures.sections, start=1)
        ]

    @property
    def printed_indicators(self) -> list[dict[str, Any]]:
        """The indicators as the PDF prints them, one table each with a group of rows per disaggregation; one
        whose total is 0 has no rows to show."""
        items = []
        for result in self.indicators:
            groups = [PrintedTable.of(table) for table in result.tables] if result.total.value else []
            lines = sum(1 + len(group.rows) + bool(group.zero_labels) for group in groups)
            items.append({"result": result, "groups": groups, "short": lines <= SHORT_TABLE_LINES})
        return items

    @property
    def archive_line(self) -> str:
        drafting = f", {self.issuer.drafting_unit}" if self.issuer.drafting_unit else ""
        return _("Lưu: VT%(drafting)s.") % {"drafting": drafting}


def subject_for(run: ReportRun, unit: AdministrativeUnit) -> str:
    if run.kind == ReportKind.SEMIANNUAL:
        return _("Kết quả công tác bảo vệ trẻ em 6 tháng năm %(year)s") % {"year": run.year}
    return _("Kết quả công tác bảo vệ trẻ em năm %(year)s") % {"year": run.year}


def build_document(
    run: ReportRun,
    figures: Figures,
    indicators: list[IndicatorResult],
    warnings: list[dict[str, Any]],
    *,
    document_date: datetime.date | None = None,
) -> ReportDocument:
    unit = run.unit
    issuer = issuer_for(unit)
    day = document_date or timezone.localdate()
    provisional = figures.scope.as_of < run.data_cutoff
    place = unit.place_name or unit.name
    period_line = _("(Số liệu từ ngày %(start)s đến ngày %(end)s, chốt số liệu ngày %(cutoff)s)") % {
        "start": vn_date(run.period_start),
        "end": vn_date(run.period_end),
        "cutoff": vn_date(timezone.localtime(run.data_cutoff).date()),
    }
    if provisional:
        period_line = _(
            "(Số liệu từ ngày %(start)s đến ngày %(end)s, tạm tính đến ngày %(as_of)s; chốt số liệu ngày %(cutoff)s)"
        ) % {
            "start": vn_date(run.period_start),
            "end": vn_date(run.period_end),
            "as_of": vn_date(timezone.localtime(figures.scope.as_of).date()),
            "cutoff": vn_date(timezone.localtime(run.data_cutoff).date()),
        }
    return ReportDocument(
        run=run,
        issuer=issuer,
        number_line=number_line(run.document_number, issuer.symbol),
        place_date=place_and_date(place, day),
        date=day,
        title=_("BÁO CÁO"),
        subject=subject_for(run, unit),
        period_line=period_line,
        narrative=narrative(run, figures),
        figures=figures,
        indicators=indicators,
        remarks=[p.strip() for p in run.remarks.split("\n") if p.strip()],
        warnings=warnings,
        draft=provisional or not run.locked,
        provisional=provisional,
    )


def narrative(run: ReportRun, figures: Figures, cited: list[tuple[str, Any]] | None = None) -> list[str]:
    """A short account of the period, every number taken from the tables that follow (cells of `figures`, each
    a measure of reporting/measures.py: "trẻ em" figures count children, "vụ việc" figures count cases). The
    cells read are appended to `cited` as (key, value): tests check every number of the text against them."""
    table_cells = figures.flat()
    quoted: list[tuple[str, Any]] = [] if cited is None else cited

    def optional(key: str) -> Any:
        value = table_cells.get(key)
        if value is not None:
            quoted.append((key, value))
        return value

    def v(key: str) -> int:
        value = int(table_cells.get(key) or 0)
        quoted.append((key, value))
        return value

    unit = run.unit
    paragraphs = [
        _(
            "Trong kỳ báo cáo, từ ngày %(start)s đến ngày %(end)s, trên địa bàn %(unit)s đã tiếp nhận %(cases)s vụ "
            "việc liên quan đến %(children)s trẻ em, gồm: %(abuse)s vụ việc trẻ em bị xâm hại, %(at_risk)s vụ việc "
            "trẻ em có nguy cơ bị xâm hại, %(special)s trường hợp trẻ em có hoàn cảnh đặc biệt và %(accident)s vụ "
            "tai nạn, thương tích."
        )
        % {
            "start": vn_date(run.period_start),
            "end": vn_date(run.period_end),
            "unit": unit_in_sentence(unit.full_name),
            "cases": number(v("cases_by_kind.total.cases")),
            "children": number(v("children_by_sex.total.children")),
            "abuse": number(v(f"cases_by_kind.{CaseKind.ABUSE}.cases")),
            "at_risk": number(v(f"cases_by_kind.{CaseKind.AT_RISK}.cases")),
            "special": number(v(f"cases_by_kind.{CaseKind.SPECIAL_CIRCUMSTANCE}.cases")),
            "accident": number(v(f"cases_by_kind.{CaseKind.ACCIDENT}.cases")),
        }
    ]
    forms = sorted(
        ((v(f"abuse_forms.{form}.cases"), str(label).lower()) for form, label in AbuseForm.choices),
        key=lambda item: -item[0],
    )
    listed = [_("%(form)s %(count)s vụ") % {"form": label, "count": number(count)} for count, label in forms if count]
    if listed:
        paragraphs.append(
            _("Về hình thức xâm hại (một vụ việc có thể có nhiều hình thức): %(forms)s.") % {"forms": ", ".join(listed)}
        )
    deaths = {t: v(f"accidents.{t}.death") for t in AccidentType.values}
    paragraphs.append(
        _(
            "Tai nạn, thương tích: %(deaths)s trẻ em tử vong (đuối nước %(drowning)s, tai nạn giao thông "
            "%(traffic)s, tai nạn, thương tích khác %(other)s) và %(injuries)s trẻ em bị thương."
        )
        % {
            "deaths": number(v("accidents.total.death")),
            "drowning": number(deaths["drowning"]),
            "traffic": number(deaths["traffic"]),
            "other": number(deaths["other_injury"]),
            "injuries": number(v("accidents.total.injury")),
        }
    )
    paragraphs.append(
        _(
            "Trẻ em có hoàn cảnh đặc biệt: %(special)s trẻ em, trong đó %(supported)s trẻ em đã có kế hoạch hỗ trợ, "
            "can thiệp được phê duyệt."
        )
        % {
            "special": number(v("special_groups.total.children")),
            "supported": number(v("special_groups.total.supported")),
        }
    )
    paragraphs.append(
        _(
            "Đến thời điểm chốt số liệu, %(open)s vụ việc đang được xử lý, %(closed)s vụ việc đã kết thúc; "
            "%(overdue)s vụ việc có bước quá thời hạn luật định."
        )
        % {
            "open": number(v("cases_by_status.open.cases")),
            "closed": number(v("cases_by_status.closed.cases")),
            "overdue": number(v("overdue_steps.total.cases")),
        }
    )
    if v("referrals_by_agency.total.referrals"):
        parts = [
            _("Chuyển gửi liên ngành: %(referrals)s lượt chuyển gửi đến các cơ quan, %(accepted)s lượt được tiếp nhận")
            % {
                "referrals": number(v("referrals_by_agency.total.referrals")),
                "accepted": number(v("referrals_by_agency.total.accepted")),
            }
        ]
        median = optional("referrals_by_agency.total.median_hours")
        if median is not None:
            parts.append(_("thời gian tiếp nhận trung vị %(median)s giờ") % {"median": decimal(median)})
        on_time_pct = optional("referrals_by_agency.total.on_time_pct")
        if on_time_pct is not None:
            parts.append(_("%(on_time)s%% được phản hồi đúng hạn") % {"on_time": decimal(on_time_pct)})
        paragraphs.append("; ".join(parts) + ".")
    on_time, late, overdue = (v(f"directive_tasks_by_lead.total.{k}") for k in ("on_time", "late", "overdue"))
    if on_time + late + overdue:
        paragraphs.append(
            _(
                "Thực hiện văn bản chỉ đạo: trong %(due)s hạn thực hiện nhiệm vụ đã đến, %(on_time)s hạn hoàn thành "
                "đúng hạn, %(late)s hạn hoàn thành trễ hạn và %(overdue)s hạn quá hạn chưa hoàn thành."
            )
            % {
                "due": number(on_time + late + overdue),
                "on_time": number(on_time),
                "late": number(late),
                "overdue": number(overdue),
            }
        )
    return paragraphs
