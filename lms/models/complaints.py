"""The complaint register and the training it causes (投诉溯源整改).

``Complaint``: one customer complaint as the bank's complaint system exports it, classified on
the three dimensions of JR/T 0169-2018 (``quizzes.ClassificationCode``), with the unit and the
staff it concerns. No customer data is kept: the summary is masked on the way in.

``ComplaintRule``: an officer's rule — complaints of a reason (and/or business category) cause
these targeted plan items (``PlanItem.targeted``) for the staff named in the complaint or for
the front-line positions of its unit, due in N days.

``ComplaintTraining``: which assignment a complaint caused (or credited, when a valid
completion was already there), under which rule. One assignment may answer several complaints.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Complaint(models.Model):
    IMPORT = "import"
    API = "api"
    ADMIN = "admin"
    SOURCE_CHOICES = [
        (IMPORT, _("Imported register")),
        (API, _("Complaint system (API)")),
        (ADMIN, _("Entered in the admin")),
    ]

    wagtail_reference_index_ignore = True

    number = models.CharField(_("complaint number"), max_length=64, unique=True)
    received_on = models.DateField(_("received on"))
    channel = models.ForeignKey(
        "lms_quizzes.ClassificationCode",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
        limit_choices_to={"dimension": "A"},
    )
    business = models.ForeignKey(
        "lms_quizzes.ClassificationCode",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("business category"),
        limit_choices_to={"dimension": "B"},
    )
    reason = models.ForeignKey(
        "lms_quizzes.ClassificationCode",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("complaint reason"),
        limit_choices_to={"dimension": "C"},
    )
    org_unit = models.ForeignKey(
        "lms_core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("unit concerned"),
    )
    staff = models.ManyToManyField(
        "lms_core.StaffProfile",
        blank=True,
        related_name="complaints",
        verbose_name=_("staff concerned"),
    )
    summary = models.TextField(_("summary"), blank=True)
    masked = models.PositiveSmallIntegerField(
        _("personal data masked"),
        default=0,
        help_text=_("How many ID, phone or card numbers were masked in the summary."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    at_fault = models.BooleanField(_("the bank at fault"), null=True, blank=True)
    source = models.CharField(
        pgettext_lazy("complaint", "source"), max_length=8, choices=SOURCE_CHOICES
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        permissions = [("import_complaints", _("Can import the complaint register"))]
        indexes = [
            models.Index(fields=["org_unit", "received_on"], name="lms_core_complaint_unit_day"),
            models.Index(fields=["reason", "received_on"], name="lms_core_complaint_reason_day"),
        ]

    def __str__(self):
        return self.number


class ComplaintRule(models.Model):
    NAMED_STAFF = "named"
    FRONT_LINE = "front_line"
    AUDIENCE_CHOICES = [
        (NAMED_STAFF, _("The staff named in the complaint")),
        (FRONT_LINE, _("The front-line positions of its unit")),
    ]

    name = models.CharField(pgettext_lazy("rule", "name"), max_length=100)
    reason = models.ForeignKey(
        "lms_quizzes.ClassificationCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("complaint reason"),
        limit_choices_to={"dimension": "C"},
        help_text=_("Also matches the codes below it (the bank's own sub-codes)."),
    )
    business = models.ForeignKey(
        "lms_quizzes.ClassificationCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("business category"),
        limit_choices_to={"dimension": "B"},
        help_text=_("Also matches the codes below it."),
    )
    items = models.ManyToManyField(
        "lms_core.PlanItem",
        related_name="complaint_rules",
        verbose_name=_("targeted items"),
        limit_choices_to={"targeted": True},
    )
    audience = models.CharField(
        _("for"), max_length=12, choices=AUDIENCE_CHOICES, default=NAMED_STAFF
    )
    due_days = models.PositiveSmallIntegerField(_("due in (days)"), default=14)
    lookback_days = models.PositiveSmallIntegerField(
        _("credit completions of the last (days)"),
        default=180,
        help_text=_("A completion of the item this recent is credited instead of assigning it."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(
        pgettext_lazy("complaint rule", "created at"), auto_now_add=True
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("complaint rule")
        verbose_name_plural = _("complaint rules")

    def __str__(self):
        return self.name


class ComplaintTraining(models.Model):
    """One assignment a complaint caused or credited, under a rule: evidence, never edited."""

    wagtail_reference_index_ignore = True

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("complaint")
    )
    assignment = models.ForeignKey(
        "lms_core.Assignment",
        on_delete=models.PROTECT,
        related_name="complaint_links",
        verbose_name=_("assignment"),
    )
    rule = models.ForeignKey(
        ComplaintRule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("complaint rule"),
    )
    credited = models.BooleanField(
        _("credited an earlier completion"),
        default=False,
        help_text=_("A valid completion was already there: nothing new was assigned."),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["complaint", "pk"]
        verbose_name = _("complaint training")
        verbose_name_plural = _("complaint trainings")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "assignment"], name="lms_core_complaint_training_once"
            )
        ]

    def __str__(self):
        return f"{self.complaint} → {self.assignment}"
