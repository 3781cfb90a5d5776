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

        # The summary tables follow the cases: a database trigger marks the children changed (every code path),
        # and a transaction that saved a case or a child brings the summaries up to date when it commits.
        from django.db.models.signals import post_delete, post_save

        from cases.models import Case, Child
        from reporting.summaries import bring_up_to_date_on_commit

        for model in (Case, Child):
            post_save.connect(bring_up_to_date_on_commit, sender=model, dispatch_uid=f"summaries-{model.__name__}")
            post_delete.connect(
                bring_up_to_date_on_commit, sender=model, dispatch_uid=f"summaries-del-{model.__name__}"
            )
