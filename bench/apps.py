from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """The benchmarks' data generator (``manage.py lms_bench_data``): installed by the reference
    site only, never shipped with the apps."""

    name = "bench"
    label = "cplms_bench"
    verbose_name = _("Benchmarks")
