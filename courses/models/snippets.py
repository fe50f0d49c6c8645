from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.search import index


class Topic(index.Indexed, models.Model):
    """A subject area such as 投诉分类标准 or 反诈宣传, used to filter the course catalog."""

    name = models.CharField(pgettext_lazy("topic", "name"), max_length=60, unique=True)
    slug = models.SlugField(
        pgettext_lazy("topic", "slug"), max_length=60, unique=True, allow_unicode=True
    )
    description = models.CharField(
        pgettext_lazy("topic", "description"), max_length=255, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name
