"""Roster imports uploaded in the admin: the file as uploaded, who uploaded it and what it did.

An import runs as a django-tasks task (``lms.tasks.import_roster_task``), so a 20,000-row file
neither holds a web worker for seconds nor dies with it; the admin page follows the run. The rows
are kept as evidence of who changed the roster, when and from which file: nothing deletes them."""

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.models.runs import TaskRun


def private_storage():
    """Where roster files are stored: they hold names and employee numbers, so the site's
    ``"private"`` storage (``STORAGES["private"]``: no URL, served by no web server) when it has
    one, else the default storage. Only the import's admin view hands them out."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return default_storage


class RosterImport(TaskRun):
    file = models.FileField(_("file"), upload_to="roster-imports/%Y/%m/", storage=private_storage)
    filename = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=False)
    create_positions = models.BooleanField(_("create missing positions"), default=False)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirms = models.ForeignKey(
        "self",
        verbose_name=_("confirms dry run"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmations",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    #: What the import did or would do, once finished: the counts (``outcome``) and the first
    #: changes and problems row by row (``details``), see ``lms.services.roster.runs.outcome``.
    #: Apart so that listing runs does not load the rows.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
