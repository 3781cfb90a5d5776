from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Hồ sơ vụ việc")

    def ready(self) -> None:
        # The platform's home page shows each app's panel without importing the app (dependencies point one way).
        from cases import checks  # noqa: F401 (registers the settings checks)
        from cases.home import (
            case_home_panel,
            case_todo,
            hotline_home_panel,
            referral_home_panel,
            referral_todo,
            transfer_home_panel,
        )
        from childprotect.home import register_home_panel, register_todo

        register_home_panel(hotline_home_panel)
        register_home_panel(case_home_panel)
        register_home_panel(referral_home_panel)
        register_home_panel(transfer_home_panel)
        register_todo(case_todo)
        register_todo(referral_todo)
