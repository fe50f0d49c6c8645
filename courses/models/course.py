"""The course page: an ordered sequence of steps, with its audience and credit."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from quizzes.tagging import ClassificationCodesFormMixin

from ..conf import app_settings
from .pages import LearnerPageMixin
from .state import course_page_context, course_steps


def position_choices():
    return [(name, name) for name in app_settings.LMS_TARGET_POSITIONS]


class CoursePageForm(ClassificationCodesFormMixin, WagtailAdminPageForm):
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
    classification_codes = ParentalManyToManyField(
        "lms_quizzes.ClassificationCode",
        blank=True,
        related_name="courses",
        verbose_name=_("classification codes"),
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
    quiz_after_lessons = models.BooleanField(
        _("quizzes after the lessons"),
        default=True,
        help_text=_(
            "A quiz step opens once the learner has completed every required lesson of the "
            "course. Untick to let learners take the quiz first (e.g. a placement test)."
        ),
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
                FieldPanel("quiz_after_lessons"),
            ],
            heading=_("Audience and credit"),
        ),
        FieldPanel("classification_codes"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["lms_courses.CourseIndexPage"]
    subpage_types = ["lms_courses.LessonPage", "lms_courses.QuizStepPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def route(self, request, path_components):
        # The course's live steps are read here, once: the course page shows them, a step is
        # found among them (its page then shows prev/next and progress). This course object was
        # made for this request (by the catalog's route), or is a cached route's copy, which a
        # change of any page makes stale (courses.services.route_cache): the steps kept on it
        # are never older than the content.
        if not path_components:
            result = super().route(request, path_components)
            self._lms_routed_steps = course_steps(self)
            return result
        self._lms_routed_steps = course_steps(self)
        step = next((p for p in self._lms_routed_steps if p.slug == path_components[0]), None)
        if step is None:
            raise Http404
        step._cached_parent_obj = self
        return step.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(request.user, self))
        return context
