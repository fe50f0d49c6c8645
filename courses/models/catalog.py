"""The course catalog page (课程中心)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .course import CoursePage
from .pages import LearnerPageMixin


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
