"""The procedure's pages (app namespace "cases"): one POST endpoint per action, and the plan page."""

from django.urls import path

from cases.views import workflow

urlpatterns = [
    path("<int:pk>/actions/<slug:action>/", workflow.workflow_action, name="workflow-action"),
    path("<int:pk>/plan/", workflow.plan_page, name="plan"),
]
