"""The procedure's API: one path per action (each documents its own body), and the plan."""

from django.urls import path

from cases.api import workflow

urlpatterns = [
    *(
        path(f"cases/<int:case_id>/actions/{action}/", view.as_view(), name=f"case-action-{action}")
        for action, view in workflow.ACTION_VIEWS.items()
    ),
    path("cases/<int:case_id>/plan/", workflow.CasePlanView.as_view(), name="case-plan"),
]
