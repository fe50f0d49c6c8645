"""The reminder log: every reminder and notification sent, one row per message, which is also
the learner's in-app notification list."""

import uuid
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Reminder(models.Model):
    """One reminder to one person, on one day (Asia/Shanghai).

    Two unique constraints make "never the same reminder twice on a day" a database guarantee,
    whoever inserts it and however many times:

    - about an assignment (due soon, overdue, a manager's manual reminder): one per assignment,
      kind and day (the recipient is the assignment's learner);
    - about no assignment (a chase list to a manager, the officer's weekly digest): one per
      recipient, kind and day.

    Rows are inserted with ``bulk_create(ignore_conflicts=True)`` (``ON CONFLICT DO NOTHING``)
    carrying the inserting run's ``run`` token; re-reading the rows with that token gives exactly
    the rows this run inserted, and only those are emailed (see ``lms.services.reminders.daily``).
    """

    wagtail_reference_index_ignore = True

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CHASE = "chase"
    DIGEST = "digest"
    MANUAL = "manual"
    KIND_CHOICES = [
        (DUE_SOON, _("Due soon")),
        (OVERDUE, _("Overdue")),
        (CHASE, _("Overdue list for a manager")),
        (DIGEST, _("Weekly digest")),
        (MANUAL, _("Reminder from a manager")),
    ]
    ASSIGNMENT_KINDS = (DUE_SOON, OVERDUE, MANUAL)

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lms_reminders",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    assignment = models.ForeignKey(
        "lms_core.Assignment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("assignment"),
    )
    org_unit = models.ForeignKey(
        "lms_core.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("The unit reminded (manual reminder) or chased (overdue list)."),
    )
    day = models.DateField(_("day"))
    subject = models.CharField(pgettext_lazy("reminder", "subject"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    in_app = models.BooleanField(_("in-app"), default=True)
    email = models.EmailField(
        pgettext_lazy("reminder", "email address"), blank=True, help_text=_("Empty: not emailed.")
    )
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)
    wecom_sent_at = models.DateTimeField(_("sent on WeCom at"), null=True, blank=True)
    wecom_error = models.CharField(_("WeCom error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    run = models.UUIDField(_("run"), default=uuid.uuid4, editable=False, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "day"],
                condition=Q(assignment__isnull=False),
                name="lms_core_reminder_once_per_assignment_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "day"],
                condition=Q(assignment__isnull=True),
                name="lms_core_reminder_once_per_recipient_day",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-sent_at"], name="lms_core_reminder_inbox"),
            models.Index(fields=["org_unit", "kind", "day"], name="lms_core_reminder_unit_day"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def path(self):
        """The in-app link: the path of ``link`` (rows stored before links were paths carry an
        absolute URL on ``WAGTAILADMIN_BASE_URL``, which need not be the host serving the page)."""
        if not self.link:
            return ""
        parts = urlsplit(self.link)
        return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
