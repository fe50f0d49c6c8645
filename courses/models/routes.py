"""The content generation: one number that changes whenever anything a page route is made of
changes (pages, sites, view restrictions, quizzes of quiz steps). ``courses.services.route_cache``
keys its cached routes on it, so every process sees a change with its next request."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentGeneration(models.Model):
    """A single row (``pk=1``), bumped in the same transaction as the change it follows."""

    value = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("content generation")
        verbose_name_plural = _("content generations")

    def __str__(self):
        return str(self.value)
