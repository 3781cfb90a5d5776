"""Directive API routes, mounted under "api/v1/" by childprotect/api/urls.py (the pages: directives/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from directives.api import DirectiveParseView
from directives.api.directives import DirectiveViewSet
from directives.api.tasks import DirectiveComplianceView, DirectiveTaskViewSet, TaskReportViewSet

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="directive")
router.register("directive-tasks", DirectiveTaskViewSet, basename="directive-task")
router.register("directive-reports", TaskReportViewSet, basename="directive-report")

urlpatterns = [
    path("directives/parse/", DirectiveParseView.as_view(), name="directive-parse"),
    path("directive-compliance/", DirectiveComplianceView.as_view(), name="directive-compliance"),
    *router.urls,
]
