"""Quizzes: settings, fixed questions and random-draw rules.

A quiz is a snippet under revisions and the approval workflow: the row is the live (published)
version that learners and new attempts use; a trainer's edit of a live quiz is a draft revision
until the consumer-protection officer approves it."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, WorkflowMixin
from wagtail.search import index


class QuizQuerySet(models.QuerySet):
    def available(self):
        """Quizzes learners may take: published (live) and not marked as a draft."""
        return self.filter(live=True, is_draft=False)


class Quiz(WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    FEEDBACK_IMMEDIATE = "immediate"
    FEEDBACK_AFTER_SUBMISSION = "after_submission"
    FEEDBACK_NEVER = "never"
    FEEDBACK_CHOICES = [
        (FEEDBACK_IMMEDIATE, _("After each question (practice: each answer is then locked)")),
        (FEEDBACK_AFTER_SUBMISSION, _("After submission")),
        (FEEDBACK_NEVER, _("Never")),
    ]
    REVIEW_ALWAYS = "always"
    REVIEW_AFTER_PASS = "after_pass"  # noqa: S105 - not a password
    REVIEW_WHEN_DONE = "when_done"
    REVIEW_NEVER = "never"
    REVIEW_CHOICES = [
        (
            REVIEW_WHEN_DONE,
            _("Show them once the learner has passed or has no attempts left"),
        ),
        (REVIEW_ALWAYS, _("Show correct answers and explanations after submission")),
        (REVIEW_AFTER_PASS, _("Show them only after passing")),
        (REVIEW_NEVER, _("Never show them")),
    ]

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(pgettext_lazy("quiz", "description"), blank=True)
    is_draft = models.BooleanField(
        _("draft"), default=True, help_text=_("Draft quizzes cannot be taken by learners.")
    )
    listed = models.BooleanField(
        _("show in the quiz list"),
        default=False,
        help_text=_(
            "Standalone tests such as the annual knowledge test; quizzes used as a course step "
            "are reached from their course instead."
        ),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    max_questions = models.PositiveSmallIntegerField(
        _("maximum questions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Optional: use at most this many of the questions (after shuffling)."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=0, help_text=_("0 means unlimited.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit. The server enforces it."),
    )
    feedback_mode = models.CharField(
        _("feedback"), max_length=20, choices=FEEDBACK_CHOICES, default=FEEDBACK_AFTER_SUBMISSION
    )
    review_policy = models.CharField(
        _("review"), max_length=12, choices=REVIEW_CHOICES, default=REVIEW_WHEN_DONE
    )
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, help_text=_("Optional: no attempt starts before.")
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Optional: no attempt starts after, and open attempts end then."),
    )
    focus_loss_limit = models.PositiveSmallIntegerField(
        _("submit after leaving the page"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Optional: submit the attempt automatically once the learner has left the page "
            "this many times. Empty: only count it (phones get calls)."
        ),
    )
    one_per_screen = models.BooleanField(
        _("one question per screen"),
        default=True,
        help_text=_("Show one question at a time (best on phones)."),
    )
    success_text = models.TextField(_("text when passed"), blank=True)
    fail_text = models.TextField(_("text when failed"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("quiz", "created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return self.title

    @property
    def is_available(self):
        return self.live and not self.is_draft

    @property
    def needs_confirmation(self):
        """A one-attempt or timed quiz: the learner confirms its rules before starting."""
        return self.max_attempts == 1 or bool(self.time_limit_minutes)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})


class QuizQuestion(Orderable):
    """A question every attempt gets."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        "lms_quizzes.Question",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("question"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("fixed question")
        verbose_name_plural = _("fixed questions")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="lms_quizzes_question_once")
        ]


class QuizDrawRule(Orderable):
    """N questions drawn at random, per attempt, from a category (and its sub-categories)."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules")
    category = models.ForeignKey(
        "lms_quizzes.QuestionCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=5, validators=[MinValueValidator(1)]
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Optional: only questions of this difficulty."),
    )
    include_subcategories = models.BooleanField(_("include sub-categories"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("random-draw rule")
        verbose_name_plural = _("random-draw rules")
