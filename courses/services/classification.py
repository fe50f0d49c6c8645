"""Courses and lessons tagged with classification codes (JR/T 0169-2018 and the bank's own
sub-codes): what to suggest as training for a complaint's reason or business category. The
rule of "a code and its descendants" is ``quizzes.services.classification``."""

from dataclasses import dataclass

from django.db.models import QuerySet

from quizzes.services.classification import tagged_with

from ..models import CoursePage, LessonPage


@dataclass(frozen=True)
class TaggedContent:
    """Live course pages and live lesson pages tagged with some codes (querysets)."""

    courses: QuerySet
    lessons: QuerySet


def content_for(codes):
    """The live courses and lessons tagged with ``codes`` (keys such as ``"C.5"`` or
    ClassificationCode objects) or any of their descendants. A lesson counts on its own: its
    course need not be tagged (the caller may suggest the lesson's course)."""
    return TaggedContent(
        courses=tagged_with(CoursePage.objects.live(), codes),
        lessons=tagged_with(LessonPage.objects.live(), codes),
    )
