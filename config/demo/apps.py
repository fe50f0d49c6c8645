from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Chinese demo bank of the reference site (``manage.py lms_demo``): installed by
    ``config`` only, never shipped with the apps."""

    name = "config.demo"
    label = "cplms_demo"
    verbose_name = _("Demo data")
