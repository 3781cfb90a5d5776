from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Thống kê, báo cáo")

    def ready(self) -> None:
        # The sections of the dashboard and the reports, shown in the order of their `order` whatever the order
        # of registration (see reporting/figures/registry.py).
        from reporting.figures import cases, directive_tasks, referrals
        from reporting.figures.registry import register_section_provider

        register_section_provider("cases", cases.provide)
        register_section_provider("referrals", referrals.provide)
        register_section_provider("directive_tasks", directive_tasks.provide)

        # The province officer's reports to review, in the home page's "Việc cần làm" panel.
        from childprotect.home import register_home_panel, register_todo
        from reporting.home import national_home_panel, report_todo

        register_todo(report_todo)
        # The national role's country figures and report archive on its home page.
        register_home_panel(national_home_panel)
