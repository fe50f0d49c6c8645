"""The steps of a course: micro-lessons and quiz steps (child pages of a course)."""

from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from quizzes.models import Attempt
from quizzes.tagging import ClassificationCodesFormMixin

from ..blocks import LessonStreamBlock
from ..conf import app_settings
from ..exceptions import CompletionRefused
from ..services.progress import (
    complete_lesson,
    reading_left,
    record_heartbeat,
    record_lesson_view,
    record_visit,
)
from .pages import LearnerPageMixin
from .progress import LessonProgress
from .state import PlainSelect, lesson_context, quiz_step_context


class LessonPageForm(ClassificationCodesFormMixin, WagtailAdminPageForm):
    pass


class LessonPage(LearnerPageMixin, RoutablePageMixin, Page):
    """A 3–10 minute micro-lesson, one step of its course."""

    step_kind = "lesson"

    intro = models.CharField(_("summary"), max_length=255, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    is_required = models.BooleanField(
        pgettext_lazy("course step", "required"),
        default=True,
        help_text=_("Required lessons must be completed for the course to count as completed."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    classification_codes = ParentalManyToManyField(
        "lms_quizzes.ClassificationCode",
        blank=True,
        related_name="lessons",
        verbose_name=_("classification codes"),
    )
    min_reading_seconds = models.PositiveIntegerField(
        _("minimum reading time (seconds)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3600)],
        help_text=_(
            "How long the lesson must be on the learner's screen before it can be completed. "
            "Empty: a third of the estimated minutes; 0: no minimum."
        ),
    )

    base_form_class = LessonPageForm
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("classification_codes"),
    ]
    settings_panels = Page.settings_panels + [
        FieldPanel("estimated_minutes"),
        FieldPanel("min_reading_seconds"),
        FieldPanel("is_required"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["lms_courses.CoursePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("micro-lesson")
        verbose_name_plural = _("micro-lessons")

    @classmethod
    def completed_condition(cls, user):
        """True for a ``Page`` row (``OuterRef("pk")``) that is a lesson ``user`` completed."""
        return Exists(LessonProgress.objects.filter(user=user, lesson_id=OuterRef("pk")))

    @classmethod
    def completed_keys(cls, user, pages):
        """The ``completion_key`` of each of these lessons (specific pages) that ``user``
        completed, as a plain query on one table (``courses.models.state.completed_steps``)."""
        ids = [page.pk for page in pages]
        return PlainSelect(LessonProgress, "lesson", {"user": user.pk, "lesson": ids})

    @property
    def completion_key(self):
        return self.pk

    def minimum_reading_seconds(self):
        """Seconds on screen before the lesson can be completed: the trainer's figure, else a
        third of the estimated minutes."""
        if self.min_reading_seconds is not None:
            return self.min_reading_seconds
        return self.estimated_minutes * 60 // 3

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific  # cached by CoursePage.route when served
        progress = None
        if not getattr(request, "is_preview", False):
            progress = record_visit(request.user, course, self)
        context.update(lesson_context(request.user, self, progress=progress))
        step = context["step"]
        if progress is not None and not (step and step.completed):
            # The reading clock of a lesson still to complete, started on its first serving (a
            # completed lesson has one already, and shows neither the clock nor the heartbeat).
            view = record_lesson_view(request.user, self)
            context.update(
                reading_left=reading_left(view, self),
                heartbeat_seconds=app_settings.LMS_LESSON_HEARTBEAT_SECONDS,
            )
        return context

    def prepare_cached_route(self):
        """Also render the body now, to be kept with the cached route: it is the same for every
        learner (its blocks read no request or user) and changes only with the content."""
        super().prepare_cached_route()
        self._lms_body_html = self.render_body()

    def render_body(self):
        if "body" in self.get_deferred_fields():
            # A step read with its course's steps (without bodies): read the body alone, not
            # through refresh_from_db, which would forget this page's parent (treebeard).
            body = type(self).objects.values_list("body", flat=True).get(pk=self.pk)
        else:
            body = self.body
        return mark_safe("".join(block.render_as_block() for block in body))  # noqa: S308

    @property
    def body_html(self):
        """The body's HTML: as kept with a cached route, else rendered now (previews)."""
        kept = getattr(self, "_lms_body_html", None)
        return kept if kept is not None else self.render_body()

    @path("heartbeat/", name="heartbeat")
    def heartbeat(self, request):
        """The page is on the learner's screen (its script posts this every few seconds while
        visible): ``{"active_seconds", "reading_left"}``, 409 for a lesson never served."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            view = record_heartbeat(request.user, self)
        except CompletionRefused as refused:
            return JsonResponse({"detail": str(refused.message)}, status=refused.status)
        return JsonResponse(
            {"active_seconds": view.active_seconds, "reading_left": reading_left(view, self)}
        )

    @path("complete/", name="complete")
    def complete(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            result = complete_lesson(request.user, self)
        except CompletionRefused as refused:
            context = {**self.get_context(request), "complete_error": refused.message}
            return TemplateResponse(
                request, self.get_template(request), context, status=refused.status
            )
        if result.course_newly_completed:
            messages.success(
                request,
                _("Well done: you have completed “%(course)s”.") % {"course": result.course.title},
            )
        elif result.lesson_newly_completed:
            messages.success(request, _("Lesson completed: %(title)s") % {"title": self.title})
        if result.next_step is not None:
            return redirect(result.next_step.url)
        return redirect(result.course.url + "?completed=1")


class QuizStepPage(LearnerPageMixin, Page):
    """A quiz as a step of its course (typically the final check). The step is complete once
    the learner has a passed, final attempt of the quiz."""

    step_kind = "quiz"

    quiz = models.ForeignKey(
        "lms_quizzes.Quiz", on_delete=models.PROTECT, related_name="+", verbose_name=_("quiz")
    )
    intro = models.CharField(_("summary"), max_length=255, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    is_required = models.BooleanField(
        pgettext_lazy("course step", "required"),
        default=True,
        help_text=_("Required quizzes must be passed for the course to count as completed."),
    )

    content_panels = Page.content_panels + [FieldPanel("quiz"), FieldPanel("intro")]
    settings_panels = Page.settings_panels + [
        FieldPanel("estimated_minutes"),
        FieldPanel("is_required"),
    ]

    parent_page_types = ["lms_courses.CoursePage"]
    subpage_types = []
    template = "courses/quiz_step_page.html"

    class Meta:
        verbose_name = _("quiz step")
        verbose_name_plural = _("quiz steps")

    @classmethod
    def completed_condition(cls, user):
        """True for a ``Page`` row (``OuterRef("pk")``) that is a quiz step whose quiz ``user``
        has passed (a final attempt)."""
        passed = Attempt.objects.filter(
            user=user, quiz_id=OuterRef("quiz_id"), status=Attempt.FINAL, passed=True
        )
        return Exists(cls.objects.filter(Exists(passed), pk=OuterRef("pk")))

    @classmethod
    def completed_keys(cls, user, pages):
        """The quizzes of these quiz steps that ``user`` passed (a final attempt)."""
        quizzes = sorted({page.quiz_id for page in pages})
        filters = {"user": user.pk, "quiz": quizzes, "status": Attempt.FINAL, "passed": True}
        return PlainSelect(Attempt, "quiz", filters)

    @property
    def completion_key(self):
        return self.quiz_id

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        progress = None
        if not getattr(request, "is_preview", False):
            progress = record_visit(request.user, self.get_parent().specific, self)
        context.update(lesson_context(request.user, self, progress=progress))
        context.update(quiz_step_context(request.user, self))
        return context
