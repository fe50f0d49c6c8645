"""The clock for the compliance tests: a moment in Asia/Shanghai, and a course completed at one."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from tests.factories import finish_lesson, lessons_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts):
    return datetime(*parts, tzinfo=SHANGHAI)


def complete(staff, course, moment):
    """``staff`` reads every lesson of ``course`` at ``moment`` (the services' clock)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        for lesson in lessons_of(course):
            finish_lesson(staff.user, lesson)
