"""Simulated time for the demo: the services read the clock through
``django.utils.timezone.now``, which is set to a past moment while a piece of history is made."""

from datetime import datetime
from unittest import mock

from django.utils import timezone

from lms.services import publish_plan


def at(moment):
    """A context manager: ``timezone.now()`` returns ``moment`` inside it."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def start_of_year(year):
    """When the demo plan of ``year`` was published: 2 January, 09:00 local time."""
    return datetime(year, 1, 2, 9, tzinfo=timezone.get_current_timezone())


def publish_at_start_of_year(plan):
    """Publish ``plan`` as if at ``start_of_year`` (or now, if that is earlier), so the
    simulated history that follows comes after the assignments."""
    with at(min(start_of_year(plan.year), timezone.now())):
        return publish_plan(plan)
