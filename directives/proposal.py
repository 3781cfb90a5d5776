"""From the importer's proposal to the review form, and the leads the officer can choose from.

`Directory.for_user(user)` holds the province's agencies and current communes (two queries), and turns a lead
choice ("a12" an agency, "u34" a commune, "communes" every commune, "agencies" every province-level agency)
into a `LeadChoice` for the service.

`initial_from_proposal` maps each proposed lead: an agency the importer matched → that agency; "UBND các xã,
phường…" → every commune; "UBND xã X" → that commune; anything else ("các sở, ban, ngành", the pre-2025
districts) is left unchosen with a note saying why, for the officer to decide. Nothing is invented.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from childprotect.access import is_active_user
from childprotect.models import AdministrativeUnit, Agency
from childprotect.models.agencies import AgencyLevel
from childprotect.roles import Role
from childprotect.text.vietnamese import in_vietnamese_order
from directives.importer.normalise import fold
from directives.importer.references import REFERENCE_RE
from directives.models import DeadlineKind
from directives.models.choices import DOC_TYPE_FROM_NAME
from directives.recurrence import DeadlineRule
from directives.services.create import LeadChoice, ReferenceInput, province_communes

ALL_COMMUNES = "communes"
ALL_AGENCIES = "agencies"

_COMMUNES_RE = re.compile(
    r"^(?:(?:uy ban nhan dan|ubnd|chu tich ubnd)\s+)?(?:cac|tat ca cac|toan bo)\s+(?:xa|phuong|dac khu|thi tran)\b"
)
_DISTRICTS_RE = re.compile(r"\b(?:cac|tat ca cac)\s+(?:huyen|quan|thi xa)\b")
_ONE_COMMUNE_RE = re.compile(r"^(?:(?:uy ban nhan dan|ubnd)\s+)?(?:xa|phuong|dac khu|thi tran)\s+(?P<name>.+)$")


@dataclass
class Directory:
    province: AdministrativeUnit | None
    agencies: list[Agency] = field(default_factory=list)
    communes: list[AdministrativeUnit] = field(default_factory=list)

    @classmethod
    def for_user(cls, user: Any) -> Directory:
        """The province officer's directory (empty for anyone else)."""
        if not is_active_user(user) or user.role != Role.PROVINCE_OFFICER or user.unit is None:
            return cls(province=None)
        province = user.unit
        agencies = in_vietnamese_order(Agency.objects.active().within(province).select_related("unit"))
        return cls(province=province, agencies=agencies, communes=province_communes(province))

    @property
    def province_agencies(self) -> list[Agency]:
        return [a for a in self.agencies if a.level == AgencyLevel.PROVINCE]

    def agency_choices(self) -> list[tuple[str, str]]:
        return [(str(a.pk), a.name) for a in self.agencies]

    def lead_choices(self) -> list[tuple[str, Any]]:
        groups: list[tuple[str, Any]] = []
        shortcuts = []
        if self.province_agencies:
            shortcuts.append(
                (ALL_AGENCIES, _("Tất cả cơ quan cấp tỉnh trong danh bạ (%(n)s)") % {"n": len(self.province_agencies)})
            )
        if self.communes:
            shortcuts.append(
                (ALL_COMMUNES, _("Tất cả xã, phường, đặc khu của tỉnh (%(n)s)") % {"n": len(self.communes)})
            )
        if shortcuts:
            groups.append((_("Giao chung"), shortcuts))
        if self.agencies:
            groups.append((_("Cơ quan"), [(f"a{a.pk}", a.name) for a in self.agencies]))
        if self.communes:
            groups.append((_("Xã, phường, đặc khu"), [(f"u{c.pk}", c.full_name) for c in self.communes]))
        return groups

    def single_lead_choices(self) -> list[tuple[str, Any]]:
        """One agency or one commune (handing a task over: one lead takes it, no "every …" shortcut)."""
        groups: list[tuple[str, Any]] = []
        if self.agencies:
            groups.append((_("Cơ quan"), [(f"a{a.pk}", a.name) for a in self.agencies]))
        if self.communes:
            groups.append((_("Xã, phường, đặc khu"), [(f"u{c.pk}", c.full_name) for c in self.communes]))
        return groups

    def agency(self, pk: str | int | None) -> Agency | None:
        if pk in (None, ""):
            return None
        return next((a for a in self.agencies if str(a.pk) == str(pk)), None)

    def agency_by_code(self, code: str | None) -> Agency | None:
        return next((a for a in self.agencies if a.code == code), None) if code else None

    def commune_by_code(self, code: str | None) -> AdministrativeUnit | None:
        return next((c for c in self.communes if c.code == code), None) if code else None

    def resolve_lead(self, value: str) -> list[LeadChoice]:
        """A lead choice of the form as LeadChoice(s); [] for an unknown value."""
        if value == ALL_COMMUNES:
            return [LeadChoice(all_communes=True)]
        if value == ALL_AGENCIES:
            return [LeadChoice(agency=a) for a in self.province_agencies]
        if value[:1] == "a":
            agency = self.agency(value[1:])
            return [LeadChoice(agency=agency)] if agency else []
        if value[:1] == "u":
            commune = next((c for c in self.communes if str(c.pk) == value[1:]), None)
            return [LeadChoice(commune=commune)] if commune else []
        return []

    def match_commune(self, name: str) -> AdministrativeUnit | None:
        m = _ONE_COMMUNE_RE.match(fold(name))
        if not m:
            return None
        found = [c for c in self.communes if fold(c.name) == m.group("name").strip(" .,;")]
        return found[0] if len(found) == 1 else None


def lead_value(name: str, code: str | None, directory: Directory) -> tuple[str | None, str | None]:
    """(choice value, note) for one proposed lead; the note says why nothing was chosen."""
    agency = directory.agency_by_code(code)
    if agency is not None:
        return f"a{agency.pk}", None
    folded = fold(name)
    if _COMMUNES_RE.search(folded) and directory.communes:
        return ALL_COMMUNES, None
    commune = directory.match_commune(name)
    if commune is not None:
        return f"u{commune.pk}", None
    if _DISTRICTS_RE.search(folded):
        return None, _(
            "“%(name)s”: cấp huyện không còn từ 01/7/2025. Nếu giao cho cấp xã, chọn “Tất cả xã, phường, đặc khu”."
        ) % {"name": name}
    return None, _("“%(name)s”: chưa khớp với cơ quan nào trong danh bạ — hãy chọn cơ quan chủ trì.") % {"name": name}


def initial_from_proposal(proposal: dict[str, Any], directory: Directory) -> dict[str, Any]:
    """{"directive": initial of DirectiveForm, "tasks": initial of the task formset, "notes": per task}."""
    signer = proposal.get("signer") or {}
    directive = {
        "doc_type": DOC_TYPE_FROM_NAME.get(proposal.get("doc_type") or "", ""),
        "number": proposal.get("number") or "",
        "symbol": proposal.get("symbol") or "",
        "issuer": proposal.get("issuer") or "",
        "place": proposal.get("place") or "",
        "issued_on": proposal.get("issued_on") or None,
        "subject": proposal.get("subject") or "",
        "recipients": "\n".join(proposal.get("recipients") or []),
        "signer_name": signer.get("name") or "",
        "signer_title": signer.get("title") or "",
        "signer_authority": signer.get("authority") or "",
        "references": "\n".join(r["text"] for r in proposal.get("references") or []),
    }
    tasks: list[dict[str, Any]] = []
    notes: list[list[str]] = []
    for item in proposal.get("tasks") or []:
        leads: list[str] = []
        task_notes: list[str] = []
        for lead in item.get("lead") or []:
            value, note = lead_value(lead["name"], lead.get("agency"), directory)
            if value and value not in leads:
                leads.append(value)
            if note:
                task_notes.append(note)
        coordinating = []
        unmatched = []
        for other in item.get("coordinating") or []:
            agency = directory.agency_by_code(other.get("agency"))
            if agency is not None:
                coordinating.append(str(agency.pk))
            else:
                unmatched.append(other["name"])
        report_to = directory.agency_by_code((item.get("report_to") or {}).get("agency"))
        rule = DeadlineRule.from_proposal(item.get("deadline"))
        if rule.kind == DeadlineKind.RECURRING and rule.errors():
            task_notes.append(_("Văn bản ghi định kỳ nhưng không ghi đủ ngày, tháng hạn: hãy nhập."))
        others = [d for d in item.get("deadlines") or [] if d != item.get("deadline") and d.get("kind") != "continuous"]
        task_notes.extend(
            _("Văn bản còn ghi thời hạn khác: %(rule)s.") % {"rule": DeadlineRule.from_proposal(other).describe()}
            for other in others
        )
        tasks.append(
            {
                "label": item.get("label") or "",
                "text": item.get("text") or "",
                "lead_as_written": "; ".join(lead["name"] for lead in item.get("lead") or []),
                "leads": leads,
                "coordinating": coordinating,
                "coordinating_as_written": "; ".join(unmatched),
                "report_to": str(report_to.pk) if report_to else "",
                "deadline_kind": rule.kind if rule.kind != DeadlineKind.NONE else "",
                "deadline_date": rule.date,
                "frequency": rule.frequency,
                "deadline_day": rule.day,
                "deadline_month": rule.month,
            }
        )
        notes.append(task_notes)
    return {"directive": directive, "tasks": tasks, "notes": notes}


def parse_reference_line(line: str) -> ReferenceInput:
    """One line of the "implements" box as a reference: number, symbol (as written), date and type when the line
    gives them."""
    from directives.importer.references import reference_fields

    text = " ".join(line.split())
    m = REFERENCE_RE.search(text)
    if m is None:
        return ReferenceInput(text=text)
    fields = reference_fields(m)
    issued_on = fields["issued_on"]
    return ReferenceInput(
        text=text,
        doc_type=fields["doc_type"],
        number=fields["number"],
        symbol=fields["symbol"],
        issued_on=datetime.date.fromisoformat(issued_on) if issued_on else None,
    )
