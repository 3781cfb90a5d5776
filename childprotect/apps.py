from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildprotectConfig(AppConfig):
    name = "childprotect"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from childprotect import signals  # noqa: F401  (connects the login audit receivers)
