"""Reporting pages (app namespace "reporting"), under /reports/."""

from django.urls import path

from reporting.views import dashboard, reports

app_name = "reporting"
urlpatterns = [
    path("", reports.archive, name="archive"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("generate/", reports.generate, name="generate"),
    path("<int:pk>/", reports.run_detail, name="run"),
    path("<int:pk>/review/", reports.review, name="review"),
    path("<int:pk>/lock/", reports.lock, name="lock"),
    path("<int:pk>/download/<slug:file_format>/", reports.download, name="download"),
]
