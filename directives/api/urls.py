"""Directive API routes, mounted under "api/v1/" by childprotect/api/urls.py (the pages: directives/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from directives.api import DirectiveParseView
from directives.api.changes import (
    DirectiveTaskAddView,
    TaskCancelView,
    TaskChangesView,
    TaskReassignView,
    TaskRedateView,
)
from directives.api.directives import DirectiveViewSet
from directives.api.tasks import DirectiveComplianceView, DirectiveTaskViewSet, TaskReportViewSet

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="directive")
router.register("directive-tasks", DirectiveTaskViewSet, basename="directive-task")
router.register("directive-reports", TaskReportViewSet, basename="directive-report")

urlpatterns = [
    path("directives/parse/", DirectiveParseView.as_view(), name="directive-parse"),
    path("directive-compliance/", DirectiveComplianceView.as_view(), name="directive-compliance"),
    path("directives/<int:pk>/tasks/", DirectiveTaskAddView.as_view(), name="directive-task-add"),
    path("directive-tasks/<int:pk>/reassign/", TaskReassignView.as_view(), name="directive-task-reassign"),
    path("directive-tasks/<int:pk>/redate/", TaskRedateView.as_view(), name="directive-task-redate"),
    path("directive-tasks/<int:pk>/cancel/", TaskCancelView.as_view(), name="directive-task-cancel"),
    path("directive-tasks/<int:pk>/changes/", TaskChangesView.as_view(), name="directive-task-changes"),
    *router.urls,
]
