"""Reporting: indicators and age bands as data, the report calendar and the issuing body of each unit as
configuration, and the archive of report runs (versioned, reviewable, lockable artefacts)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from reporting.querysets import FrozenFiguresQuerySet, ReportRunQuerySet


class ReportKind(models.TextChoices):
    SEMIANNUAL = "semiannual", _("Báo cáo 6 tháng")
    ANNUAL = "annual", _("Báo cáo năm")


class Dimension(models.TextChoices):
    """The disaggregations (phân tổ) the case data can answer."""

    SEX = "sex", _("Giới tính")
    AGE_GROUP = "age_group", _("Nhóm tuổi")
    ETHNICITY = "ethnicity", _("Dân tộc")
    SETTING = "setting", _("Môi trường xâm hại")
    ABUSE_FORM = "abuse_form", _("Hình thức xâm hại")
    SPECIAL_GROUP = "special_group", _("Nhóm hoàn cảnh đặc biệt")
    ACCIDENT_TYPE = "accident_type", _("Loại tai nạn, thương tích")
    AREA = "area", _("Xã, phường (hoặc tỉnh)")


class Measure(models.TextChoices):
    """What an indicator counts, as the case data can count it (reporting/indicators.py)."""

    ABUSED_CHILDREN = "abused_children", _("Số trẻ em bị xâm hại")
    ABUSE_CASES = "abuse_cases", _("Số vụ việc xâm hại trẻ em")
    AT_RISK_CHILDREN = "at_risk_children", _("Số trẻ em có nguy cơ bị xâm hại")
    SPECIAL_CHILDREN = "special_children", _("Số trẻ em có hoàn cảnh đặc biệt")
    SPECIAL_CHILDREN_SUPPORTED = "special_children_supported", _("Số trẻ em có hoàn cảnh đặc biệt được hỗ trợ")
    ACCIDENT_CHILDREN = "accident_children", _("Số trẻ em bị tai nạn, thương tích")
    ACCIDENT_DEATHS = "accident_deaths", _("Số trẻ em tử vong do tai nạn, thương tích")


class Indicator(models.Model):
    """A statistical indicator (TT 13/2021/TT-BLĐTBXH model, domain.md §8.1), editable by an admin."""

    code = models.CharField(_("mã chỉ tiêu"), max_length=20, unique=True)
    group = models.CharField(_("nhóm"), max_length=120, blank=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    definition = models.TextField(_("khái niệm, phương pháp tính"), blank=True)
    measure = models.CharField(_("cách tính từ dữ liệu hồ sơ"), max_length=40, choices=Measure.choices)
    disaggregations = ArrayField(
        models.CharField(max_length=20, choices=Dimension.choices),
        verbose_name=_("phân tổ chủ yếu"),
        default=list,
        blank=True,
    )
    periods = ArrayField(
        models.CharField(max_length=12, choices=ReportKind.choices),
        verbose_name=_("kỳ báo cáo"),
        default=list,
        blank=True,
    )
    source = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)
    reference = models.CharField(_("căn cứ"), max_length=255, blank=True)
    active = models.BooleanField(_("đang sử dụng"), default=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu thống kê")
        verbose_name_plural = _("chỉ tiêu thống kê")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# The names of the seeded age groups (reporting/migrations/0002_seed_configuration.py): stored in Vietnamese, shown in
# the reader's language. A name an admin types is shown as typed.
SEEDED_AGE_BAND_LABELS = frozenset(
    {
        gettext_noop("Dưới 6 tuổi"),
        gettext_noop("Từ 6 đến 10 tuổi"),
        gettext_noop("Từ 11 đến dưới 16 tuổi"),
        gettext_noop("Từ 16 đến dưới 18 tuổi"),
    }
)


class AgeBand(models.Model):
    """One age group of the statistics (age in completed years when the case was received)."""

    min_age = models.PositiveSmallIntegerField(_("từ tuổi"), validators=[MaxValueValidator(30)])
    max_age = models.PositiveSmallIntegerField(_("đến tuổi"), validators=[MaxValueValidator(30)])
    label = models.CharField(_("tên nhóm"), max_length=60, blank=True, help_text=_("Để trống: “6–10 tuổi”."))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm tuổi")
        verbose_name_plural = _("nhóm tuổi")
        ordering = ["position", "min_age"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_age__gte=models.F("min_age")), name="age_band_ordered"),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if self.label in SEEDED_AGE_BAND_LABELS:
            return gettext(self.label)
        if self.label:
            return self.label
        return str(_("%(lo)s–%(hi)s tuổi") % {"lo": self.min_age, "hi": self.max_age})

    @property
    def key(self) -> str:
        return f"{self.min_age}-{self.max_age}"


def _day_fields(label: Any) -> tuple[models.PositiveSmallIntegerField[Any, Any], ...]:
    """A (day, month) pair of fields labelled "<label> (ngày)" and "<label> (tháng)"."""
    from django.utils.text import format_lazy

    return (
        models.PositiveSmallIntegerField(
            format_lazy("{} ({})", label, _("ngày")), validators=[MinValueValidator(1), MaxValueValidator(31)]
        ),
        models.PositiveSmallIntegerField(
            format_lazy("{} ({})", label, _("tháng")), validators=[MinValueValidator(1), MaxValueValidator(12)]
        ),
    )


class LateEntries(models.TextChoices):
    """Where a case received in a period but entered after the period's data cut-off is counted."""

    CORRECTION = "correction", _("Không cộng vào số liệu đã chốt; báo cáo lập lại của kỳ liệt kê là số liệu bổ sung")
    NEXT_PERIOD = "next_period", _("Tính vào kỳ báo cáo sau (cùng loại báo cáo)")


class ReportSchedule(models.Model):
    """The calendar of one kind of periodic report, as data (domain.md §8.2: "treat these dates as
    configuration"). Dates are day/month; `*_year_offset` says whether they fall in the report's year (0) or
    the year before (-1). The report of year Y covers start..end, counts what was recorded up to the data
    cut-off (end of that day), is generated by beat on the day after the cut-off, and is due on the due date."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=ReportKind.choices, unique=True)
    start_day, start_month = _day_fields(_("Kỳ báo cáo từ"))
    start_year_offset = models.SmallIntegerField(_("năm bắt đầu kỳ (0: năm báo cáo, -1: năm trước)"), default=0)
    end_day, end_month = _day_fields(_("Kỳ báo cáo đến"))
    end_year_offset = models.SmallIntegerField(_("năm kết thúc kỳ (0: năm báo cáo, -1: năm trước)"), default=0)
    cutoff_day, cutoff_month = _day_fields(_("Chốt số liệu"))
    due_day, due_month = _day_fields(_("Hạn gửi báo cáo"))
    auto_generate = models.BooleanField(_("tự động lập cho các tỉnh sau ngày chốt số liệu"), default=True)
    auto_generate_communes = models.BooleanField(_("tự động lập cả cho các xã"), default=False)
    late_entries = models.CharField(
        _("vụ việc của kỳ nhập sau ngày chốt số liệu"),
        max_length=12,
        choices=LateEntries.choices,
        default=LateEntries.CORRECTION,
        help_text=_(
            "Số liệu của kỳ không thay đổi sau ngày chốt. Vụ việc tiếp nhận trong kỳ nhưng nhập sau ngày chốt "
            "được liệt kê là số liệu bổ sung của kỳ, hoặc được tính vào kỳ báo cáo sau."
        ),
    )

    class Meta:
        verbose_name = _("lịch báo cáo định kỳ")
        verbose_name_plural = _("lịch báo cáo định kỳ")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ReportIssuer(models.Model):
    """How a unit's reports are headed and signed (NĐ 30/2020): issuing body, symbol, signer, recipients.
    Without a row, reporting/document.py derives a header from the unit and its child-protection agency."""

    unit = models.OneToOneField(
        "childprotect.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="report_issuer",
    )
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=160, blank=True)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=160)
    issuer_abbreviation = models.CharField(
        _("chữ viết tắt tên cơ quan"), max_length=20, help_text=_("Ví dụ SYT: ký hiệu văn bản là BC-SYT.")
    )
    document_symbol = models.CharField(
        _("ký hiệu văn bản"),
        max_length=40,
        blank=True,
        help_text=_("Để trống: BC- và chữ viết tắt tên cơ quan, ví dụ BC-SYT."),
    )
    drafting_unit = models.CharField(_("đơn vị soạn thảo (viết tắt)"), max_length=20, blank=True)
    signer_authority = models.CharField(
        _("thẩm quyền ký"),
        max_length=80,
        blank=True,
        help_text=_(
            "TM., KT., Q., TL. hoặc TUQ. và chức vụ người đứng đầu, ví dụ KT. GIÁM ĐỐC; để trống khi người đứng đầu ký."
        ),
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=80, blank=True, help_text=_("Ví dụ GIÁM ĐỐC hoặc PHÓ GIÁM ĐỐC.")
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận (mỗi dòng một nơi)"), blank=True)

    class Meta:
        verbose_name = _("cơ quan ban hành báo cáo")
        verbose_name_plural = _("cơ quan ban hành báo cáo")

    def __str__(self) -> str:
        return self.issuer_name


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ lập")
    RUNNING = "running", _("Đang lập")
    READY = "ready", _("Đã lập, chờ rà soát")
    REVIEWED = "reviewed", _("Đã rà soát")
    LOCKED = "locked", _("Đã khóa (đã gửi)")
    FAILED = "failed", _("Lập không thành công")


def report_file_path(instance: ReportRun, filename: str) -> str:
    # Opaque names under the run's id: no unit name or child data in a path.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"reports/{instance.pk}/{uuid.uuid4().hex}.{extension}"


class ReportLocked(Exception):
    """A locked report never changes; generate a new version instead."""


class ReportRun(models.Model):
    """One generated report: its period, unit, data cut-off, version and files. Kept for ever; once locked
    (submitted) nothing of it changes — a later run of the same report is a new version."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "childprotect.AdministrativeUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    # The unit's path, copied so that visible_to() is one indexed prefix match.
    unit_path = models.CharField(max_length=64, editable=False)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    data_cutoff = models.DateTimeField(_("thời điểm chốt số liệu"))
    due_date = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    generated_by = models.ForeignKey(
        "childprotect.User",
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Trống: lập tự động theo lịch."),
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The worker generating the run holds it until lease_until, renewing it while it works (childprotect/sweeps.py);
    # a run whose lease ran out is handed to another worker by the sweep. The token names the holder, so a worker
    # that lost its lease cannot store its result over the new holder's.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("lập xong lúc"), null=True, blank=True)
    # When the figures were taken: min(generation time, data cut-off) — what "overdue" and "recorded" mean.
    figures_as_of = models.DateTimeField(null=True, blank=True)
    # When the period's figures were frozen (reporting/snapshots.py): set when the run was generated after the
    # data cut-off and holds the frozen figures; empty for a run generated before it (provisional figures).
    frozen_at = models.DateTimeField(_("số liệu chốt lúc"), null=True, blank=True)
    # Cases of the period entered after its cut-off, as counted when this run was generated, and where the
    # schedule counts them (reporting/snapshots.py `late_entries`).
    late_entries = models.JSONField(default=dict, blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=12, blank=True)
    remarks = models.TextField(_("đánh giá, kiến nghị của đơn vị"), blank=True)
    figures = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    pdf = models.FileField(upload_to=report_file_path, max_length=200, blank=True)
    # The same PDF without "DỰ THẢO", rendered with it and put in `pdf`'s place when the run is locked; empty when
    # the figures were taken before the data cut-off (such a run stays a draft even once locked).
    signed_pdf = models.FileField(upload_to=report_file_path, max_length=200, blank=True)
    xlsx = models.FileField(upload_to=report_file_path, max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        "childprotect.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("rà soát lúc"), null=True, blank=True)
    review_note = models.TextField(_("ghi chú rà soát"), blank=True)
    locked_by = models.ForeignKey(
        "childprotect.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-year", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "unit", "version"], name="report_run_version_unique"),
        ]
        indexes = [
            # The archive of a jurisdiction (visible_to), newest first.
            models.Index(
                fields=["unit_path", "-requested_at"], name="report_run_unit_idx", opclasses=["varchar_pattern_ops", ""]
            ),
            # The sweep that re-queues runs a worker never finished.
            models.Index(
                fields=["status", "requested_at"],
                name="report_run_unfinished_idx",
                condition=models.Q(status__in=["pending", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} – {self.unit_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "_was_locked", False):
            raise ReportLocked("A locked report never changes; generate a new version.")
        if self.locked_at is not None:
            self._was_locked = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.locked_at is not None:
            raise ReportLocked("A locked report is kept for ever.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> ReportRun:
        instance = super().from_db(db, field_names, values)
        instance._was_locked = instance.locked_at is not None
        return instance

    def clean(self) -> None:
        if self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Ngày kết thúc kỳ phải sau ngày bắt đầu.")})

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_provisional(self) -> bool:
        """Figures taken before the data cut-off (or never taken): a draft (DỰ THẢO), whatever its status."""
        return self.figures_as_of is None or self.figures_as_of < self.data_cutoff

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportStatus.READY, ReportStatus.REVIEWED, ReportStatus.LOCKED}


class FrozenFigures(models.Model):
    """The figures of one unit's report period as they stood at the period's data cut-off, written once
    (reporting/snapshots.py): every run of that report generated after the cut-off renders these, so re-runs
    give the same numbers whatever is recorded later. Never edited; kept for ever."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "childprotect.AdministrativeUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=64, editable=False)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    data_cutoff = models.DateTimeField(_("thời điểm chốt số liệu"))
    # Next-period mode: the previous period's cut-off, after which entries received before period_start count here.
    late_since = models.DateTimeField(null=True, blank=True)
    frozen_at = models.DateTimeField(_("chốt lúc"))
    # Changes recorded between the cut-off and frozen_at that the freeze could not put back (reporting/rewind.py:
    # transfers, directive tasks): 0 when frozen on time, or when only rewindable changes came meanwhile.
    changes_after_cutoff = models.PositiveIntegerField(default=0)
    payload = models.JSONField()

    objects = FrozenFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu đã chốt")
        verbose_name_plural = _("số liệu đã chốt")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "period_start", "period_end", "data_cutoff"], name="frozen_figures_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} – {self.unit_id} @ {self.data_cutoff:%Y-%m-%d}"


class SummaryLevel(models.TextChoices):
    COUNTRY = "country", _("Toàn quốc")
    PROVINCE = "province", _("Tỉnh, thành phố")
    COMMUNE = "commune", _("Xã, phường")


class FigureSummary(models.Model):
    """The dashboard's figures, summed per unit × month of receipt × figure (a measure and one bucket of a
    disaggregation, named as in reporting/measures.py), kept equal to the cases by reporting/summaries.py.

    - A figure counting cases: the number of cases (`prev_month` and `deadline_day` empty).
    - A figure counting children: the children with a matching case in the unit that month, each once, by the
      month of the child's previous matching case in the unit (`prev_month`, empty for none): the distinct
      children of months [a, b] are the rows of those months with no previous month or one before a.
    - An overdue figure: open cases by when their earliest statutory step falls due, twice: by the day
      (`deadline_day`) and by the month (`deadline_month`). A dashboard judged today reads the month rows of the
      months before this one (every such deadline has passed) and the day rows of this month before today, so
      the rows it reads do not grow with the number of days on which steps fell due (the cost at a million
      cases stays that at ten thousand); reports read the cases.
    """

    level = models.CharField(max_length=10, choices=SummaryLevel.choices)
    unit = models.ForeignKey("childprotect.AdministrativeUnit", null=True, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    figure = models.CharField(max_length=120)
    prev_month = models.DateField(null=True)
    deadline_day = models.DateField(null=True)
    deadline_month = models.DateField(null=True)
    value = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "unit", "month", "figure", "prev_month", "deadline_day", "deadline_month"],
                name="figure_summary_key",
                nulls_distinct=False,
            )
        ]
        # The dashboard's reads (a unit's months, the areas of a province or of the country) answered from the
        # indexes alone: the key's columns and the value it sums (no visit to the table's pages). The day rows
        # of overdue figures have their own index, so that the other reads never step over them.
        indexes = [
            models.Index(
                fields=["level", "unit", "month", "figure", "deadline_month", "prev_month"],
                include=["value"],
                condition=models.Q(deadline_day__isnull=True),
                name="figure_summary_read_idx",
            ),
            models.Index(
                fields=["level", "unit", "figure", "deadline_day"],
                include=["month", "value"],
                condition=models.Q(deadline_day__isnull=False),
                name="figure_summary_days_idx",
            ),
            # The whole country's table of provinces: only the area figures' rows of every province.
            models.Index(
                fields=["figure", "month"],
                include=["unit", "deadline_month", "value"],
                condition=models.Q(level="province", deadline_day__isnull=True),
                name="figure_summary_provinces_idx",
            ),
        ]


class CaseFigureState(models.Model):
    """What each case contributes to the summaries as last summed: its child, units, month, figures and the day
    its earliest step falls due. A change to a case or its child marks the child (`SummaryDirtyChild`, by a
    database trigger, whatever the code path); the child's old contribution (from these rows) is then taken
    out of the summaries and its new one (from its cases) put in."""

    case_id = models.BigIntegerField(primary_key=True)
    child_id = models.BigIntegerField(db_index=True)
    province_id = models.BigIntegerField(null=True)
    commune_id = models.BigIntegerField(null=True)
    received_at = models.DateTimeField()
    month = models.DateField()
    figures = ArrayField(models.CharField(max_length=120), default=list)
    deadline_day = models.DateField(null=True)


class SummaryDirtyChild(models.Model):
    """Children whose cases changed since the summaries were last brought up to date (written by triggers on
    cases_case and cases_child in the same transaction as the change)."""

    child_id = models.BigIntegerField(primary_key=True)
