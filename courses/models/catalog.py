"""The course catalog page (课程中心) and what it lists: every live course with my progress."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, Site

from .course import CoursePage
from .pages import LearnerPageMixin
from .progress import CourseProgress
from .snippets import Topic
from .state import completed_step_ids, step_models


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
        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_listing(request.user, self, request.GET))
        return context


@dataclass
class CourseCard:
    course: CoursePage
    completed_count: int
    required_count: int
    started: bool
    #: When the learner completed the course, if they did: it stays completed (``CourseState``).
    completed_at: object = None

    @property
    def percent(self):
        if self.completed_at is not None:
            return 100
        if not self.required_count:
            return 0
        return round(100 * self.completed_count / self.required_count)

    @property
    def is_complete(self):
        if self.completed_at is not None:
            return True
        return self.required_count > 0 and self.completed_count == self.required_count


def catalog_listing(user, catalog, params):
    """The catalog's live courses for ``user``, filtered by ``topic`` and ``q`` from ``params``.

    The number of queries does not grow with the number of courses or lessons.
    """
    topics = list(Topic.objects.all())
    courses = (
        CoursePage.objects.child_of(catalog)
        .live()
        .select_related("cover")
        .prefetch_related("topics", "cover__renditions")
        .order_by("path")
    )
    topic = next((t for t in topics if t.slug == params.get("topic", "")), None)
    if topic is not None:
        courses = courses.filter(topics=topic)
    query = (params.get("q") or "").replace("\x00", "").strip()[:100]
    if query:
        # icontains rather than the full-text backend: Chinese has no spaces between words, so
        # token-based search misses most partial matches of a title.
        courses = courses.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(topics__name=query)
        ).distinct()
    mine = CourseProgress.objects.filter(user=user, course=OuterRef("pk"))
    courses = list(
        courses.annotate(
            lms_started=Exists(mine),
            lms_completed_at=Subquery(mine.values("completed_at")[:1]),
        )
    )

    # Every live step under the catalog with whether it is required, in one query (each step
    # model's table joined), then which of them I completed, in one more.
    models = step_models(CoursePage)
    names = [model._meta.model_name for model in models]
    rows = (
        Page.objects.descendant_of(catalog)
        .live()
        .filter(depth=catalog.depth + 2)
        .values_list("pk", "path", *[f"{name}__is_required" for name in names])
    )
    required = {}
    by_course_path = {course.path: course.pk for course in courses}
    step_ids = []
    for pk, path, *flags in rows:
        course_pk = by_course_path.get(path[: -CoursePage.steplen])
        is_required = next((flag for flag in flags if flag is not None), None)
        if course_pk is None or is_required is None:
            continue
        step_ids.append(pk)
        if is_required:
            required.setdefault(course_pk, set()).add(pk)
    completed = completed_step_ids(user, models, step_ids)
    cards = [
        CourseCard(
            course=course,
            completed_count=len(required.get(course.pk, set()) & completed),
            required_count=len(required.get(course.pk, set())),
            started=course.lms_started,
            completed_at=course.lms_completed_at,
        )
        for course in courses
    ]
    return {
        "catalog": catalog,
        "cards": cards,
        "topics": topics,
        "current_topic": topic,
        "query": query,
    }


def catalog_for_request(request):
    """The live course catalog of the request's site (memoised on the request)."""
    if not hasattr(request, "_lms_catalog"):
        site = Site.find_for_request(request)
        catalogs = CourseIndexPage.objects.live()
        if site is not None:
            catalogs = catalogs.descendant_of(site.root_page, inclusive=True)
        request._lms_catalog = catalogs.order_by("path").first()
    return request._lms_catalog
