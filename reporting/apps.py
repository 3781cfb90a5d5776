from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Thống kê, báo cáo")

    def ready(self) -> None:
        # The sections of the dashboard and the reports. Referrals and directive tasks add their providers here
        # once those apps exist (see reporting/figures/registry.py).
        from reporting.figures import cases
        from reporting.figures.registry import register_section_provider

        register_section_provider("cases", cases.provide)
