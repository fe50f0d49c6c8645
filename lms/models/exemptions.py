"""Exemptions and extensions (豁免 / 延期) of one person's plan item: evidence, append-only like
the completion records. A manager requests one, an officer approves or rejects it (or grants it
directly); lifting one is a new row that ``revokes`` it. Nothing is ever edited or deleted,
except the one decision step of a request (requested → approved / rejected), a conditional
UPDATE made only by ``lms.services.compliance.exemptions``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImmutableExemption(Exception):
    """Raised on any attempt to change or delete an exemption through the ORM."""


class ExemptionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableExemption("Exemptions are append-only.")

    def delete(self):
        raise ImmutableExemption("Exemptions are append-only.")

    def bulk_update(self, *args, **kwargs):
        raise ImmutableExemption("Exemptions are append-only.")

    def decide(self, pk, *, status, decided_by, decided_at, note=""):
        """The decision of a request: requested → ``status``, once. A conditional UPDATE, so of
        two officers deciding at once only one does; returns whether this call decided it. For
        ``lms.services.compliance.exemptions`` only."""
        if status not in (Exemption.APPROVED, Exemption.REJECTED):
            raise ImmutableExemption("A request is approved or rejected, nothing else.")
        rows = models.QuerySet.update(
            self.filter(pk=pk, status=Exemption.REQUESTED),
            status=status,
            decided_by=decided_by,
            decided_at=decided_at,
            decision_note=note,
        )
        return bool(rows)


class Exemption(models.Model):
    """An exemption (the item does not count as required for this person), an extension (a
    later due date for this person) or the lifting of one of them (``revokes``), with its reason,
    who requested it and when, and who decided and when."""

    wagtail_reference_index_ignore = True

    EXEMPT = "exempt"
    EXTENSION = "extension"
    LIFT = "lift"
    KIND_CHOICES = [
        (EXEMPT, pgettext_lazy("exemption kind", "Exemption")),
        (EXTENSION, pgettext_lazy("exemption kind", "Extension")),
        (LIFT, pgettext_lazy("exemption kind", "Lifted")),
    ]
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    STATUS_CHOICES = [
        (REQUESTED, pgettext_lazy("exemption", "Requested")),
        (APPROVED, pgettext_lazy("exemption", "Approved")),
        (REJECTED, pgettext_lazy("exemption", "Rejected")),
    ]

    staff = models.ForeignKey(
        "lms_core.StaffProfile",
        on_delete=models.PROTECT,
        related_name="exemptions",
        verbose_name=_("staff member"),
    )
    plan_item = models.ForeignKey(
        "lms_core.PlanItem",
        on_delete=models.PROTECT,
        related_name="exemptions",
        verbose_name=_("item"),
    )
    org_unit = models.ForeignKey(
        "lms_core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit at assignment"),
        help_text=_("The unit the assignment was credited to: who may see this row."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    due_date = models.DateField(
        _("new due date"), null=True, blank=True, help_text=_("Extensions: the later due date.")
    )
    previous_due_date = models.DateField(
        _("due date before"),
        null=True,
        blank=True,
        help_text=_("The assignment's due date when this was requested."),
    )
    revokes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_by",
        verbose_name=_("lifts"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        pgettext_lazy("exemption", "status"), max_length=10, choices=STATUS_CHOICES
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("exemption or extension")
        verbose_name_plural = _("exemptions and extensions")
        permissions = [("decide_exemption", _("Can grant, approve, reject and lift exemptions"))]
        indexes = [
            models.Index(fields=["staff", "plan_item"], name="lms_core_exempt_person_item"),
            models.Index(fields=["status", "requested_at"], name="lms_core_exempt_status"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.staff} · {self.plan_item}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableExemption("Exemptions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableExemption("Exemptions are append-only.")
