"""The annual training plan (年度消保与服务培训计划), its items and the assignments they make."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class TrainingPlan(ClusterableModel):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    STATUS_CHOICES = [(DRAFT, _("Draft")), (PUBLISHED, _("Published")), (CLOSED, _("Closed"))]

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    required_hours = models.DecimalField(
        _("required credit hours"),
        max_digits=5,
        decimal_places=1,
        default=0,
        help_text=_("学时 each person should earn this year (a bank rule, not a regulation)."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")

    def __str__(self):
        return self.title

    def hours_for(self, position):
        """Required hours for a position: its own rule, else the plan's default."""
        for rule in self.position_hours.all():
            if position is not None and rule.position_id == position.pk:
                return rule.hours
        return self.required_hours


class PositionHours(Orderable):
    plan = ParentalKey(TrainingPlan, on_delete=models.CASCADE, related_name="position_hours")
    position = models.ForeignKey(
        "lms_core.Position", on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    hours = models.DecimalField(_("required credit hours"), max_digits=5, decimal_places=1)

    class Meta(Orderable.Meta):
        verbose_name = _("required hours for a position")
        verbose_name_plural = _("required hours per position")


class PlanItem(models.Model):
    """One thing to learn: an online course, a quiz, an attestation ("I have read and
    understood …" a page) or an offline session, for an audience, within a window."""

    COURSE = "course"
    QUIZ = "quiz"
    ATTESTATION = "attestation"
    OFFLINE = "offline"
    KIND_CHOICES = [
        (COURSE, _("Online course")),
        (QUIZ, _("Quiz")),
        (ATTESTATION, _("Attestation")),
        (OFFLINE, _("Offline session")),
    ]

    plan = models.ForeignKey(
        TrainingPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES, default=COURSE)
    course = models.ForeignKey(
        "lms_courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("course"),
    )
    quiz = models.ForeignKey(
        "lms_quizzes.Quiz",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quiz"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("page to read"),
        help_text=_(
            "Attestation: the page (e.g. a lesson or a policy) the learner confirms having read. "
            "Publishing a new version of it asks everyone to confirm again."
        ),
    )
    statement = models.CharField(
        _("statement"),
        max_length=300,
        blank=True,
        help_text=_("Attestation: what the learner confirms, e.g. 我已阅读并理解上述内容."),
    )
    everyone = models.BooleanField(
        _("everyone"), default=False, help_text=_("All active staff, whatever the rules below.")
    )
    positions = models.ManyToManyField(
        "lms_core.Position", blank=True, related_name="+", verbose_name=_("positions")
    )
    org_units = models.ManyToManyField(
        "lms_core.OrgUnit",
        blank=True,
        related_name="+",
        verbose_name=_("units (with everything below them)"),
    )
    targeted = models.BooleanField(
        _("targeted training"),
        default=False,
        help_text=_(
            "针对性培训: assigned only by complaint rules to the staff a complaint concerns, "
            "never to an audience."
        ),
    )
    new_hires_only = models.BooleanField(
        _("new hires only"),
        default=False,
        help_text=_("Only staff hired in the plan's year."),
    )
    open_date = models.DateField(_("opens on"))
    due_date = models.DateField(_("due on"))
    credit_hours = models.DecimalField(_("credit hours"), max_digits=4, decimal_places=1, default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    NO_EXPIRY = ""
    MONTHS = "months"
    YEAR_END = "year_end"
    VALIDITY_CHOICES = [
        (NO_EXPIRY, _("Does not expire")),
        (MONTHS, _("For a number of months from the completion")),
        (YEAR_END, _("Until the end of the calendar year")),
    ]
    validity_kind = models.CharField(
        _("validity"),
        max_length=10,
        choices=VALIDITY_CHOICES,
        default=NO_EXPIRY,
        blank=True,
        help_text=_(
            "When a completion expires. Before it does, the person is assigned the item again "
            "(the daily lms_recertify run); the old record stays as evidence."
        ),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("With “for a number of months”: how many."),
    )
    quarterly_targets = models.JSONField(
        _("quarterly targets (%)"),
        default=list,
        blank=True,
        help_text=_(
            "Expected completion (percent) by the end of each quarter, e.g. [25, 50, 75, 100]."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["plan", "sort_order", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.validity_kind == self.MONTHS and not self.validity_months:
            raise ValidationError(
                {"validity_months": _("Give the number of months a completion is valid for.")}
            )
        if self.validity_kind != self.MONTHS:
            self.validity_months = None


class Assignment(models.Model):
    """One person must do one plan item. Keeps the unit it was made for, so a completion is
    credited to the outlet of that time even after a transfer."""

    wagtail_reference_index_ignore = True

    OPEN = "open"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    #: A renewal (``lms_recertify``) not done before the last completion lapsed.
    EXPIRED = "expired"
    #: Does not count as required (an approved exemption, ``lms.models.Exemption``).
    EXEMPT = "exempt"
    STATUS_CHOICES = [
        (OPEN, _("Open")),
        (COMPLETED, _("Completed")),
        (WITHDRAWN, _("Withdrawn")),
        (EXPIRED, _("Expired")),
        (EXEMPT, _("Exempt")),
    ]
    #: Still to do: what a completion completes, reminders chase and the learner sees.
    TO_DO = (OPEN, EXPIRED)

    staff = models.ForeignKey(
        "lms_core.StaffProfile",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("staff member"),
    )
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("item")
    )
    org_unit = models.ForeignKey(
        "lms_core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("unit at assignment"),
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=OPEN)
    due_date = models.DateField(_("due on"))
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    started_at = models.DateTimeField(
        pgettext_lazy("assignment", "started at"), null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reopened_at = models.DateTimeField(
        _("reopened at"),
        null=True,
        blank=True,
        help_text=_("When a new version of the attested content asked for a new confirmation."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    record = models.ForeignKey(
        "lms_core.CompletionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("completion record"),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the latest completion counts (items that expire)."),
    )
    prior_valid_until = models.DateField(
        _("renewing a completion valid until"),
        null=True,
        blank=True,
        help_text=_("Set when the item was assigned again before its completion expired."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["staff", "plan_item"], name="lms_core_assign_once")
        ]
        indexes = [
            models.Index(fields=["plan_item", "status"], name="lms_core_assign_item_status"),
            models.Index(fields=["org_unit", "status"], name="lms_core_assign_unit_status"),
            # A unit's people on the dashboards (the unit totals come from the tallies, see
            # lms.models.tallies): counted from the index alone (PostgreSQL).
            # The daily renewal run: completions expiring by a date.
            models.Index(fields=["plan_item", "valid_until"], name="lms_core_assign_valid"),
            # Counts as of a past day: the few assigned since (lms.services.compliance.as_of).
            models.Index(fields=["plan_item", "assigned_at"], name="lms_core_assign_since"),
            models.Index(
                fields=["org_unit", "plan_item", "status", "due_date"],
                include=["staff"],
                name="lms_core_assign_unit_rollup",
            ),
        ]

    def __str__(self):
        return f"{self.staff} · {self.plan_item}"
