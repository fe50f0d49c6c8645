"""Background work as rows: every django-tasks task of the lms app that someone waits for (a
roster upload, a plan being published) is a ``TaskRun`` — queued when the request enqueues it,
claimed once by a worker (queued → running in one UPDATE), finished with its outcome or failed
with its error. The admin pages read the row, so progress is visible from every web process
whichever worker runs the task, and the rows stay as evidence of who changed what, when.
The rules are in ``lms.services.runs``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskRun(models.Model):
    wagtail_reference_index_ignore = True

    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    STATUS_CHOICES = [
        (QUEUED, _("Queued")),
        (RUNNING, _("Running")),
        (FINISHED, _("Finished")),
        (FAILED, _("Failed")),
    ]

    status = models.CharField(
        _("status"), max_length=16, choices=STATUS_CHOICES, default=QUEUED, db_index=True
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(
        pgettext_lazy("task run", "started at"), null=True, blank=True
    )
    finished_at = models.DateTimeField(
        pgettext_lazy("task run", "finished at"), null=True, blank=True
    )
    #: What the run did, once finished (see each model).
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def pending(self):
        return self.status in (self.QUEUED, self.RUNNING)


class PlanPublication(TaskRun):
    """One run of publishing (or syncing) a training plan: who started it, how far it got (items
    done of total) and how many assignments it created."""

    plan = models.ForeignKey(
        "lms_core.TrainingPlan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sync = models.BooleanField(_("sync of a published plan"), default=False)
    #: The django-tasks result id, to find the run from the task (and the task from the run).
    task_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    done = models.PositiveIntegerField(_("items done"), default=0)
    total = models.PositiveIntegerField(_("items"), null=True, blank=True)
    created = models.PositiveIntegerField(_("assignments created"), null=True, blank=True)
    #: Moved on with every item, so a run nobody has heard from for long is known to be dead.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("plan publication")
        verbose_name_plural = _("plan publications")

    def __str__(self):
        return f"{self.plan} ({self.created_at:%Y-%m-%d %H:%M})"


class TaskWorker(models.Model):
    """A running task worker (``manage.py lms_task_worker``), as it last reported: every few
    seconds while it lives. A worker not heard from for longer than its lease has died (killed,
    its machine lost): the tasks it had claimed are queued again (``lms.services.workers``)."""

    wagtail_reference_index_ignore = True

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(pgettext_lazy("task worker", "started at"))
    seen_at = models.DateTimeField(_("last heard from"), db_index=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return f"{self.worker_id} ({self.host}, pid {self.pid})"
