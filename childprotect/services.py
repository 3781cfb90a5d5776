"""Writes to the shared core. Each `do_*` is atomic, takes `acting_user`, and leaves an audit row.

`record_audit_event` is the one way any app writes the audit log; domain services call it inside their own
transaction, so the change and its audit row commit or roll back together.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from childprotect.models import AdministrativeUnit, Agency, AuditEvent, User
from childprotect.models.audit import AuditAction
from childprotect.models.units import UnitKind
from childprotect.request_context import current_origin
from childprotect.roles import COMMUNE_ROLES, NATIONAL_ROLES, PROVINCE_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def record_audit_event(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    unit_path: str | models.Expression | models.Subquery = "",
    details: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one audit row. `details` holds ids and field names only, never personal data."""
    origin = current_origin()
    real_actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=real_actor,
        actor_username=real_actor.get_username() if real_actor is not None else actor_username[:150],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        unit_path=unit_path,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        details=details or {},
    )


# Parameters whose value is, or may be, a child's data (a name, an ID number, a date of birth): the audit row says
# that such a search happened, never what was typed.
SEARCH_PARAMS = frozenset({"q", "search", "full_name", "id_number", "date_of_birth"})
# Parameters that only page through a list: left out, so that paging reads as the same query.
PAGING_PARAMS = frozenset({"page", "cursor", "page_size"})
MAX_AUDITED_VALUES = 10
MAX_AUDITED_CHARS = 64


def audited_query(params: Mapping[str, Any], allowed: Iterable[str]) -> tuple[dict[str, Any], bool]:
    """The filters of a list request as the audit log keeps them: only the parameters the list knows
    (`allowed`: its filters' names), each value cut to 64 characters and 10 values; search parameters reduced to
    the fact that a search happened. Returns (query, searched)."""
    query: dict[str, Any] = {}
    searched = False
    for name in sorted(set(allowed) - PAGING_PARAMS):
        raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
        values = [str(value)[:MAX_AUDITED_CHARS] for value in raw if value not in (None, "")][:MAX_AUDITED_VALUES]
        if not values:
            continue
        if name in SEARCH_PARAMS:
            searched = True
        else:
            query[name] = values[0] if len(values) == 1 else values
    return query, searched


def record_list_read(
    *,
    actor: User,
    list_name: str,
    params: Mapping[str, Any],
    allowed: Iterable[str],
    rows: int,
    panels: Mapping[str, int] | None = None,
) -> AuditEvent:
    """One audit row for a list or search that shows children (issue 13, finding 5): who (the actor and their
    jurisdiction, so province officers see their communes' rows), which list, which filters (never a name or
    an ID number: `audited_query`), how many rows were shown. One INSERT, nothing read.

    A page that shows children in several panels (the home page's to-do groups, the intake page's drafts and
    duplicate candidates) writes one row for the page: `panels` names each panel that showed rows and how many
    (`rows` is their sum), so a page view is one row however many panels it has.

    Audited: the case list, the referral lists and the agency inbox, the transfers, the duplicate check (pages,
    htmx partial and API); the home page's "Việc cần làm" groups that name children or their cases (list "home",
    childprotect/home.py `children_shown`); the intake page's drafts and the duplicate candidates shown when a case
    is submitted (list "intake"). A list is audited whenever it is answered, also with 0 rows (its filters were a
    question); a panel that is not shown (a to-do group with nothing waiting, an officer with no draft) shows no
    child and writes nothing. Not lists of children: the notifications (case numbers only, the same text as their
    email) and the home page's figures (counts)."""
    from django.db.models import Subquery

    from childprotect.access import jurisdiction_path

    query, searched = audited_query(params, allowed)
    details: dict[str, Any] = {"list": list_name, "query": query, "rows": rows}
    if panels:
        details["panels"] = dict(panels)
    if searched:
        details["search"] = True
    unit_path: Any
    if actor.role == Role.ADMIN or actor.unit_id is None or User.unit.is_cached(actor):
        unit_path = jurisdiction_path(actor) or ""
    else:  # the unit not loaded yet (an agency's API list): its path inside the INSERT, not a query of its own
        unit_path = Subquery(AdministrativeUnit.objects.filter(pk=actor.unit_id).values("path")[:1])
    return record_audit_event(actor=actor, action=AuditAction.LIST, unit_path=unit_path, details=details)


def lock(record: models.Model, *fields: str) -> None:
    """Lock the record's row until the end of the caller's transaction and reload `fields` (all when none are
    named): two people acting on it at once are served one after the other, and the second sees what the first
    did."""
    manager: models.Manager[Any] = type(record)._default_manager
    list(manager.select_for_update().filter(pk=record.pk).values_list("pk", flat=True))
    record.refresh_from_db(fields=list(fields) or None)


def do_set_language(user: User, *, language: str) -> None:
    """Remember the language a user chose (the language switcher): notification emails are written in it.
    An unknown language is ignored (the switcher falls back to the site's)."""
    from django.conf import settings

    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def text_problem(
    value: str | None,
    *,
    required: bool = True,
    max_chars: int | None = None,
    blank: Any = None,
    too_long: Any = None,
) -> str:
    """What is wrong with a typed text ("" when nothing): blank although required, or longer than `max_chars`.
    `blank` and `too_long` replace the usual messages (`too_long` may say %(max)s)."""
    text = (value or "").strip()
    if required and not text:
        return str(blank or _("Không được để trống."))
    if max_chars is not None and len(text) > max_chars:
        return str(too_long or _("Tối đa %(max)s ký tự.")) % {"max": max_chars}
    return ""


def checked_text(field: str, value: str | None, **rules: Any) -> str:
    """The typed text, stripped; ValidationError({field: …}) when it breaks `rules` (see text_problem)."""
    if problem := text_problem(value, **rules):
        raise ValidationError({field: problem})
    return (value or "").strip()


def require_text(**values: str | None) -> None:
    """Each named text is filled in; one ValidationError naming every blank one."""
    errors = {name: text_problem(value) for name, value in values.items() if text_problem(value)}
    if errors:
        raise ValidationError(errors)


def user_unit_path(user: User) -> str:
    """The jurisdiction an account belongs to: its unit, or its agency's unit."""
    if user.unit_id is not None and user.unit is not None:
        return user.unit.path
    if user.agency_id is not None and user.agency is not None:
        return user.agency.unit.path
    return ""


def check_role_placement(role: str, unit: AdministrativeUnit | None, agency: Agency | None) -> None:
    """A role only makes sense with the right kind of jurisdiction; refuse accounts that would see nothing
    (or too much) because of a typo."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("Vai trò không hợp lệ.")
    elif role in COMMUNE_ROLES and (unit is None or unit.kind != UnitKind.COMMUNE):
        errors["unit"] = _("Vai trò cấp xã cần địa bàn là một xã, phường hoặc đặc khu.")
    elif role in PROVINCE_ROLES and (unit is None or unit.kind != UnitKind.PROVINCE):
        errors["unit"] = _("Cán bộ cấp tỉnh cần địa bàn là một tỉnh, thành phố.")
    elif role == Role.AGENCY_FOCAL_POINT and agency is None:
        errors["agency"] = _("Đầu mối cơ quan phối hợp cần thuộc một cơ quan.")
    elif role in NATIONAL_ROLES and (unit is not None or agency is not None):
        errors["unit"] = _("Cán bộ cấp trung ương xem số liệu toàn quốc: không gắn với địa bàn hay cơ quan nào.")
    if unit is not None and not unit.is_current:
        errors["unit"] = _("Đơn vị hành chính này không còn hiệu lực.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_create_user(
    *,
    acting_user: User | None,
    username: str,
    role: str,
    unit: AdministrativeUnit | None = None,
    agency: Agency | None = None,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an account. A focal point with no unit takes the agency's unit as jurisdiction."""
    if role == Role.AGENCY_FOCAL_POINT and unit is None and agency is not None:
        unit = agency.unit
    check_role_placement(role, unit, agency)
    if User.objects.username_taken(username):
        raise ValidationError({"username": _("Tên đăng nhập đã được dùng.")})
    user = User(
        username=username,
        role=role,
        unit=unit,
        agency=agency,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record_audit_event(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=user,
        unit_path=user_unit_path(user),
        details={
            "role": role,
            "unit": unit.code if unit else None,
            "agency": agency.code if agency else None,
        },
        actor_username="system",
    )
    return user


@transaction.atomic
def do_create_agency(
    *,
    acting_user: User | None,
    code: str,
    name: str,
    sector: str,
    unit: AdministrativeUnit,
    level: str | None = None,
    short_name: str = "",
    email: str = "",
    phone: str = "",
    valid_from: datetime.date | None = None,
) -> Agency:
    """Create an agency of the directory; its level follows its unit unless given."""
    if level is None:
        level = "province" if unit.kind == UnitKind.PROVINCE else "commune"
    agency = Agency(
        code=code,
        name=name,
        sector=sector,
        unit=unit,
        level=level,
        short_name=short_name,
        email=email,
        phone=phone,
        valid_from=valid_from,
    )
    agency.full_clean()
    agency.save()
    record_audit_event(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=agency,
        unit_path=unit.path,
        details={"code": code, "sector": sector},
        actor_username="system",
    )
    return agency
