"""Per-person overrides of a quiz's rules (after Moodle's user overrides): an extra attempt, a
later closing time, a longer time limit, or an exemption, each with a reason and who granted it.

Evidence, so append-only: a grant is never edited or deleted. A grant that no longer applies is
revoked — who, when and why are kept on it — and a new grant is made if needed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuizOverrideQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)


class QuizOverride(models.Model):
    wagtail_reference_index_ignore = True

    quiz = models.ForeignKey(
        "lms_quizzes.Quiz",
        on_delete=models.PROTECT,
        related_name="overrides",
        verbose_name=_("quiz"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quiz_overrides",
        verbose_name=_("learner"),
    )
    extra_attempts = models.PositiveSmallIntegerField(
        _("extra attempts"), default=0, help_text=_("Attempts on top of the quiz's maximum.")
    )
    closes_at = models.DateTimeField(
        _("later closing time"),
        null=True,
        blank=True,
        help_text=_("The quiz closes for this person at this time instead."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("longer time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    exempt = models.BooleanField(
        _("exempt"), default=False, help_text=_("This person need not take the quiz.")
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = QuizOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("quiz override")
        verbose_name_plural = _("quiz overrides")
        indexes = [models.Index(fields=["quiz", "user"], name="lms_quizzes_override_who")]

    def __str__(self):
        return f"{self.quiz} · {self.user} · {self.summary()}"

    @property
    def in_force(self):
        return self.revoked_at is None

    def summary(self):
        """What the grant gives, in words."""
        parts = []
        if self.extra_attempts:
            parts.append(_("+%(n)d attempts") % {"n": self.extra_attempts})
        if self.closes_at:
            closes = timezone.localtime(self.closes_at).strftime("%Y-%m-%d %H:%M")
            parts.append(_("closes %(at)s") % {"at": closes})
        if self.time_limit_minutes:
            parts.append(_("%(n)d minutes") % {"n": self.time_limit_minutes})
        if self.exempt:
            parts.append(str(_("exempt")))
        return ", ".join(str(p) for p in parts)

    def clean(self):
        if not (self.extra_attempts or self.closes_at or self.time_limit_minutes or self.exempt):
            raise ValidationError(
                _(
                    "Grant something: an extra attempt, a later closing time, a longer time "
                    "limit or an exemption."
                )
            )
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for the override.")})
