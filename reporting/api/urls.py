"""/api/v1/reports/ and /api/v1/dashboard/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reporting.api.dashboard import DashboardView
from reporting.api.reports import ReportRunViewSet

router = SimpleRouter()
router.register("reports", ReportRunViewSet, basename="report")

urlpatterns = [path("dashboard/", DashboardView.as_view(), name="api-dashboard"), *router.urls]
