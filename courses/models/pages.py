from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import LessonStreamBlock
from ..conf import app_settings


class LearnerPageMixin:
    """Course pages are for logged-in staff only, and their HTML is personal (progress).

    Enforced here in code rather than by a page view restriction that an editor could remove.
    """

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True, no_store=True)
        return response


class CourseIndexPage(LearnerPageMixin, Page):
    """The course catalog (课程中心): every live course below it, filterable by topic."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lms_courses.CoursePage"]
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalog")
        verbose_name_plural = _("course catalogs")

    def route(self, request, path_components):
        # One query for the course (its own model, cover joined) instead of Wagtail's
        # child-then-specific lookup; the catalog is cached as its parent for breadcrumbs.
        if not path_components:
            return super().route(request, path_components)
        course = (
            CoursePage.objects.child_of(self)
            .filter(slug=path_components[0])
            .select_related("cover")
            .first()
        )
        if course is None:
            raise Http404
        course._cached_parent_obj = self
        return course.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        from ..services import catalog_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_listing(request.user, self, request.GET))
        return context


def position_choices():
    return [(name, name) for name in app_settings.LMS_TARGET_POSITIONS]


class CoursePageForm(WagtailAdminPageForm):
    target_positions = forms.MultipleChoiceField(
        label=_("Target positions"),
        choices=position_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CoursePage(LearnerPageMixin, Page):
    """A course: an ordered sequence of steps (its child pages: micro-lessons, later quizzes).

    The course is complete for a learner when every required step is complete.
    """

    summary = models.TextField(_("summary"), max_length=500)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    topics = ParentalManyToManyField(
        "lms_courses.Topic", blank=True, related_name="courses", verbose_name=_("topics")
    )
    target_positions = models.JSONField(_("target positions"), default=list, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1)]
    )
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=4,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("学时 credited when the course is completed (a bank rule, set per course)."),
    )

    base_form_class = CoursePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover"),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_positions"),
                FieldPanel("estimated_minutes"),
                FieldPanel("credit_hours"),
            ],
            heading=_("Audience and credit"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["lms_courses.CourseIndexPage"]
    subpage_types = ["lms_courses.LessonPage", "lms_courses.QuizStepPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def route(self, request, path_components):
        from ..services import STEP_MODELS

        if not path_components:
            return super().route(request, path_components)
        for model in STEP_MODELS:
            step = model.objects.child_of(self).filter(slug=path_components[0]).first()
            if step is not None:
                step._cached_parent_obj = self
                return step.route(request, path_components[1:])
        raise Http404

    def get_context(self, request, *args, **kwargs):
        from ..services import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(request.user, self))
        return context


class LessonPage(LearnerPageMixin, RoutablePageMixin, Page):
    """A 3–10 minute micro-lesson, one step of its course."""

    step_kind = "lesson"

    intro = models.CharField(_("summary"), max_length=255, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    is_required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required lessons must be completed for the course to count as completed."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    settings_panels = Page.settings_panels + [
        FieldPanel("estimated_minutes"),
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
    def completed_step_ids(cls, user, page_ids):
        """The ids among ``page_ids`` of lessons ``user`` has completed (one query)."""
        from .progress import LessonProgress

        return set(
            LessonProgress.objects.filter(user=user, lesson_id__in=page_ids).values_list(
                "lesson_id", flat=True
            )
        )

    def get_context(self, request, *args, **kwargs):
        from ..services import lesson_context, record_visit

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request.user, self))
        if not getattr(request, "is_preview", False):
            record_visit(request.user, context["course"], self)
        return context

    @path("complete/", name="complete")
    def complete(self, request):
        from ..services import complete_lesson

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        result = complete_lesson(request.user, self)
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
        _("required"),
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
    def completed_step_ids(cls, user, page_ids):
        """The ids among ``page_ids`` of quiz steps whose quiz ``user`` has passed (2 queries)."""
        from quizzes.models import Attempt

        quiz_of = dict(cls.objects.filter(pk__in=page_ids).values_list("pk", "quiz_id"))
        passed = set(
            Attempt.objects.filter(
                user=user, quiz_id__in=set(quiz_of.values()), status=Attempt.FINAL, passed=True
            ).values_list("quiz_id", flat=True)
        )
        return {pk for pk, quiz_id in quiz_of.items() if quiz_id in passed}

    def get_context(self, request, *args, **kwargs):
        from ..services import lesson_context, quiz_step_context, record_visit

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request.user, self))
        context.update(quiz_step_context(request.user, self))
        if not getattr(request, "is_preview", False):
            record_visit(request.user, context["course"], self)
        return context
