"""Offline sessions (线下培训): a scheduled meeting for an offline plan item, and who checked in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OfflineSession(models.Model):
    """One meeting of an offline plan item: when, where, who trains, for which unit's people.
    Learners check in by scanning the QR code shown at the session, or are imported from the
    attendance sheet afterwards; each check-in writes a completion record with the session's
    hours."""

    wagtail_reference_index_ignore = True

    plan_item = models.ForeignKey(
        "lms_core.PlanItem",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("plan item"),
        limit_choices_to={"kind": "offline"},
    )
    title = models.CharField(_("title"), max_length=200)
    org_unit = models.ForeignKey(
        "lms_core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="offline_sessions",
        verbose_name=_("for the staff of"),
        help_text=_("The unit (with everything below it) whose staff attend this session."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=100)
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the plan item's hours."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("offline session")
        verbose_name_plural = _("offline sessions")

    def __str__(self):
        return self.title

    @property
    def hours(self):
        return self.credit_hours if self.credit_hours is not None else self.plan_item.credit_hours


class CheckIn(models.Model):
    """One person attended one session (at most once). Kept with the record it wrote."""

    wagtail_reference_index_ignore = True

    QR = "qr"
    IMPORT = "import"
    MANUAL = "manual"
    METHOD_CHOICES = [
        (QR, _("Scanned the QR code")),
        (IMPORT, _("Attendance sheet")),
        (MANUAL, _("Recorded by an officer")),
    ]

    session = models.ForeignKey(
        OfflineSession,
        on_delete=models.PROTECT,
        related_name="check_ins",
        verbose_name=pgettext_lazy("offline training", "session"),
    )
    staff = models.ForeignKey(
        "lms_core.StaffProfile",
        on_delete=models.PROTECT,
        related_name="check_ins",
        verbose_name=_("staff member"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    method = models.CharField(_("method"), max_length=8, choices=METHOD_CHOICES)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    record = models.OneToOneField(
        "lms_core.CompletionRecord",
        on_delete=models.PROTECT,
        related_name="check_in",
        verbose_name=_("completion record"),
    )

    class Meta:
        ordering = ["session", "checked_in_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="lms_core_checkin_once")
        ]

    def __str__(self):
        return f"{self.staff} · {self.session}"
