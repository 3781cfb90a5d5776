from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = _("Văn bản chỉ đạo")

    def ready(self) -> None:
        # The platform's home page shows each app's panel without importing the app (dependencies point one way).
        from childprotect.home import register_home_panel, register_todo
        from directives.home import directive_home_panel, directive_todo, national_directive_panel

        register_home_panel(directive_home_panel)
        register_home_panel(national_directive_panel)
        register_todo(directive_todo)
