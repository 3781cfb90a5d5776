"""Shapes of changes after saving in the API: what a client sends to add, hand over, re-date or cancel a task
(each with the version it saw, the follow-up document and a reason), and a task's history."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from directives.api.serializers.directives import DeadlineInSerializer, TaskInSerializer
from directives.api.serializers.tasks import UserOutSerializer
from directives.models import TaskChange
from directives.services import ChangeOrder


class ChangeOrderSerializer(serializers.Serializer[dict[str, Any]]):
    version = serializers.IntegerField(help_text=_("Phiên bản đã xem (của nhiệm vụ; của văn bản khi thêm nhiệm vụ)"))
    order = serializers.CharField(
        max_length=500, help_text=_("Văn bản chỉ đạo việc thay đổi, ví dụ “Công văn số 812/UBND-KGVX ngày 04/3/2026”")
    )
    reason = serializers.CharField(max_length=2000, help_text=_("Lý do thay đổi"))

    def change_order(self) -> ChangeOrder:
        return ChangeOrder(reason=self.validated_data["reason"], order_text=self.validated_data["order"])


class LeadPickSerializer(serializers.Serializer[dict[str, Any]]):
    agency = serializers.CharField(required=False, allow_null=True, default=None, help_text=_("Mã cơ quan"))
    commune = serializers.CharField(required=False, allow_null=True, default=None, help_text=_("Mã xã, phường"))


class ReassignSerializer(ChangeOrderSerializer):
    lead = LeadPickSerializer(help_text=_("Đơn vị nhận nhiệm vụ: một cơ quan hoặc một xã, phường của tỉnh"))


class RedateSerializer(ChangeOrderSerializer):
    deadline = DeadlineInSerializer(help_text=_("Thời hạn mới"))
    effective_from = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Định kỳ: áp dụng từ ngày (mặc định hôm nay)")
    )


class AddTaskSerializer(ChangeOrderSerializer):
    task = TaskInSerializer(help_text=_("Nhiệm vụ thêm, như khi nhập văn bản"))


class TaskChangeSerializer(serializers.ModelSerializer[TaskChange]):
    changed_by = UserOutSerializer(read_only=True)

    class Meta:
        model = TaskChange
        fields = [
            "id", "task", "kind", "reason", "order_text", "order_number", "order_symbol", "order_issued_on",
            "order_directive", "before", "after", "changed_by", "changed_at",
        ]  # fmt: skip
