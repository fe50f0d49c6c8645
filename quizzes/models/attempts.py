"""Attempts and their answers. Evidence: written only by quizzes.services, never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Attempt(models.Model):
    """One learner's sitting of a quiz.

    ``questions`` is the frozen snapshot taken at start: each question's text, type, points,
    category and its choices in the order shown, with the correct flags, feedback and
    explanation. Marking uses only the snapshot, so editing the bank never changes a result.
    """

    wagtail_reference_index_ignore = True

    IN_PROGRESS = "in_progress"
    AWAITING_MARKING = "awaiting_marking"
    FINAL = "final"
    STATUS_CHOICES = [
        (IN_PROGRESS, pgettext_lazy("quiz attempt", "In progress")),
        (AWAITING_MARKING, _("Awaiting marking")),
        (FINAL, _("Final")),
    ]

    quiz = models.ForeignKey(
        "lms_quizzes.Quiz",
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("quiz"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
        verbose_name=_("learner"),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=20, choices=STATUS_CHOICES, default=IN_PROGRESS
    )
    questions = models.JSONField(_("question snapshot"), default=list)
    started_at = models.DateTimeField(
        pgettext_lazy("quiz attempt", "started at"), default=timezone.now
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    timed_out = models.BooleanField(_("ended by the time limit"), default=False)
    focus_losses = models.PositiveIntegerField(_("times the page was left"), default=0)
    focus_submitted = models.BooleanField(
        _("submitted for leaving the page too often"), default=False
    )
    submit_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # Together these make "max attempts" hold under concurrency without locks: a second
            # simultaneous start computes the same number and fails, then resumes the first.
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="lms_quizzes_attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(status="in_progress"),
                name="lms_quizzes_one_open_attempt",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="lms_quizzes_attempt_due")]

    def __str__(self):
        return f"{self.quiz} · {self.user} · #{self.number}"

    @property
    def is_final(self):
        return self.status == self.FINAL

    @property
    def is_open(self):
        return self.status == self.IN_PROGRESS

    def question(self, question_id):
        return next((q for q in self.questions if q["id"] == question_id), None)


class AttemptEvent(models.Model):
    """The learner left the attempt's page (it was hidden, or the window lost focus): logged,
    never blocking — phones get calls. Append-only evidence for markers and reports."""

    wagtail_reference_index_ignore = True

    HIDDEN = "hidden"
    BLUR = "blur"
    KIND_CHOICES = [(HIDDEN, _("Page hidden")), (BLUR, _("Window lost focus"))]

    attempt = models.ForeignKey(
        Attempt, on_delete=models.PROTECT, related_name="events", verbose_name=_("attempt")
    )
    kind = models.CharField(_("event"), max_length=10, choices=KIND_CHOICES)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("attempt event")
        verbose_name_plural = _("attempt events")

    def __str__(self):
        return f"{self.attempt_id} · {self.kind} · {self.at:%H:%M:%S}"


class Answer(models.Model):
    wagtail_reference_index_ignore = True

    attempt = models.ForeignKey(
        Attempt, on_delete=models.PROTECT, related_name="answers", verbose_name=_("attempt")
    )
    question_id = models.PositiveBigIntegerField(_("question"))
    choice_ids = models.JSONField(_("chosen choices"), default=list, blank=True)
    text = models.TextField(_("answer text"), blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    locked = models.BooleanField(_("locked"), default=False)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marker_comment = models.TextField(_("marker's comment"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="lms_quizzes_answer_once"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.question_id}"
