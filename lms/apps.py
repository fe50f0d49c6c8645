from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms_core"
    verbose_name = _("Learning management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.signal_handlers import register_signal_handlers

        register_signal_handlers()
