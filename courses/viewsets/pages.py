"""Flat listings of the course and lesson pages (besides the page explorer's tree), so content
is findable by complaint classification: a filter by code (a code finds its sub-codes' content
too) and a column of each page's codes."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet

from quizzes.viewsets.classification import ClassificationCodeFilter, codes_column

from ..models import CoursePage, LessonPage


class TaggedPageFilterSet(PageFilterSet):
    classification_code = ClassificationCodeFilter(field_name="classification_codes")


class TaggedPageIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("classification_codes")


class CoursePageListingViewSet(PageListingViewSet):
    model = CoursePage
    name = "course_pages"
    icon = "doc-full-inverse"
    menu_label = _("Courses")
    index_view_class = TaggedPageIndexView
    filterset_class = TaggedPageFilterSet
    columns = [*IndexView.base_columns, codes_column()]


class LessonPageListingViewSet(CoursePageListingViewSet):
    model = LessonPage
    name = "lesson_pages"
    icon = "doc-full"
    menu_label = pgettext_lazy("admin menu", "Lessons")


class CourseContentGroup(ViewSetGroup):
    items = (CoursePageListingViewSet, LessonPageListingViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Course content")
    menu_name = "course-content"
    menu_order = 290
