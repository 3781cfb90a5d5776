from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from reporting.models import ReportKind, ReportRun


class ReportRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        help_text=(
            "Năm báo cáo (năm của hạn gửi). Kỳ số liệu theo lịch báo cáo (quản trị sửa được); mặc định: 6 tháng "
            "01/11 năm trước – 30/4, chốt 05/5, hạn 15/5; năm 01/11 năm trước – 31/10, chốt 05/11, hạn 15/11."
        ),
    )
    unit = serializers.CharField(max_length=8, help_text="Mã tỉnh (2 chữ số) hoặc xã (5 chữ số).")
    document_number = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReportAcceptedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()


class ReportRunSerializer(serializers.ModelSerializer[ReportRun]):
    unit = serializers.SerializerMethodField()
    locked = serializers.BooleanField(read_only=True)
    is_provisional = serializers.BooleanField(
        read_only=True, help_text="Số liệu lấy trước thời điểm chốt số liệu (dự thảo), hoặc chưa lấy."
    )
    late_entries = serializers.JSONField(
        read_only=True,
        help_text=(
            "Vụ việc tiếp nhận trong kỳ nhưng nhập sau thời điểm chốt: policy (correction | next_period), count, "
            "by_kind, counted_at; carried_in: số vụ của các kỳ trước được tính vào kỳ này (chế độ next_period)."
        ),
    )
    pdf = serializers.SerializerMethodField()
    xlsx = serializers.SerializerMethodField()
    generated_by = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id", "kind", "year", "unit", "version", "status", "locked", "period_start", "period_end",
            "data_cutoff", "due_date", "pdf", "xlsx", "warnings", "generated_by", "requested_at", "finished_at",
            "reviewed_at", "locked_at", "document_number", "figures", "is_provisional", "figures_as_of",
            "frozen_at", "late_entries",
        ]  # fmt: skip
        read_only_fields = fields

    def get_unit(self, run: ReportRun) -> dict[str, str]:
        return {"code": run.unit.code, "name": run.unit.full_name}

    def _file_url(self, run: ReportRun, file_format: str) -> str | None:
        if not (run.pdf if file_format == "pdf" else run.xlsx):
            return None
        path = reverse(f"report-{file_format}", args=[run.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_pdf(self, run: ReportRun) -> str | None:
        return self._file_url(run, "pdf")

    def get_xlsx(self, run: ReportRun) -> str | None:
        return self._file_url(run, "xlsx")

    def get_generated_by(self, run: ReportRun) -> str | None:
        return run.generated_by.get_username() if run.generated_by is not None else None

    def get_figures(self, run: ReportRun) -> dict[str, Any]:
        """The report's figures keyed `<table>.<row>.<column>`, and its indicators."""
        data = run.figures or {}
        return {"figures": data.get("figures", {}), "indicators": data.get("indicators", [])}
