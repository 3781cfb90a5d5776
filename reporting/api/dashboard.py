"""GET /api/v1/dashboard/?unit=…&from=…&to=…[&kind=…] — the dashboard's figures as JSON.

Same access rule and figures as the page: the unit must lie inside the caller's jurisdiction (404 otherwise,
as for a unit that does not exist), and every figure is computed from `Case.objects.visible_to(caller)` — for the
national role, from the unit's own officers' view, without links to lists it may not open (reporting/access.py).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import CaseKind
from childprotect.api.filtering import blank_parameters
from childprotect.db_router import reads_from_replica
from childprotect.http import AuthenticatedRequest
from reporting.access import access_dashboard_unit, figures_viewer, statistics_only
from reporting.figures.compute import compute_figures
from reporting.figures.types import Scope
from reporting.forms import DashboardForm

_PARAMETERS = [
    OpenApiParameter("unit", str, description="Mã đơn vị (tỉnh 2 chữ số, xã 5 chữ số). Mặc định: địa bàn của bạn."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày tiếp nhận (mặc định 01/01 năm nay)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày tiếp nhận (mặc định hôm nay)."),
    OpenApiParameter("kind", str, enum=CaseKind.values, description="Chỉ một loại vụ việc."),
]


class DashboardView(APIView):
    @extend_schema(
        summary="Số liệu thống kê của một đơn vị trong một khoảng thời gian",
        description=(
            "`sections[].tables[].rows[]` holds each figure with its link to the matching list (cases, referrals "
            "or directive tasks); `figures` is the same numbers keyed `<table>.<row>.<column>`. Section "
            "`referrals` (table `referrals_by_agency`, rows by agency code, then `total`): referrals sent in the "
            "period, accepted, declined, overdue without an answer, `median_hours` to accept, `on_time_pct`. "
            "Section `directive_tasks` (table `directive_tasks_by_lead`, rows by lead agency or commune code, then "
            "`total`): due dates in the period met `on_time`, `late`, still `overdue`, and `on_time_rate`."
        ),
        parameters=_PARAMETERS,
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Tham số không hợp lệ."),
            404: OpenApiResponse(description="Không có đơn vị này, hoặc đơn vị ngoài phạm vi được xem."),
        },
    )
    @method_decorator(reads_from_replica)
    def get(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        if blank := blank_parameters(request.query_params, ["from", "to", "kind"]):
            return Response(blank, status=400)
        form = DashboardForm(request.query_params)
        if not form.is_valid():
            return Response({field: [str(e) for e in errors] for field, errors in form.errors.items()}, status=400)
        data = form.cleaned_data
        unit = access_dashboard_unit(user, data.get("unit"))
        scope = Scope(unit=unit, start=data["from"], end=data["to"], as_of=timezone.now(), kind=data.get("kind") or "")
        figures = compute_figures(figures_viewer(user, unit), scope, summaries=True)
        period = {key: request.query_params[key] for key in ("from", "to", "kind") if request.query_params.get(key)}
        return Response(statistics_only(user, figures, query=period).as_json())
