"""What the learner home (/learn/) costs: a number of queries that does not grow with what I
have, and the site and catalog it links kept between requests under the content state."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms import services
from lms.models import Assignment, CompletionRecord, PlanItem, PositionHours, Reminder
from lms.services.records.certificates import issue_certificate
from tests.factories import (
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_quiz,
    make_session,
    make_staff,
)

LEARN = "/learn/"


def record(user, staff, title):
    return services.record_completion(
        user,
        staff=staff,
        kind=CompletionRecord.COURSE,
        title=title,
        completed_at=timezone.now(),
        credit_hours=Decimal("1"),
        method=CompletionRecord.ONLINE,
    )


@pytest.mark.django_db
def test_the_catalog_link_follows_the_content(client, catalog):
    """The site and the catalog are kept between requests, under the content generation."""
    staff = make_staff("000901", make_org()["LZ0201"], make_position())
    link = f'<a href="{catalog.url}">'
    client.force_login(staff.user)
    assert link in client.get(LEARN).content.decode()
    assert link in client.get(LEARN).content.decode()  # from the kept site and catalog
    catalog.unpublish()
    assert link not in client.get(LEARN).content.decode()
    catalog.save_revision().publish()
    assert link in client.get(LEARN).content.decode()


# Per request to /learn/: the session, the user (the login middleware), the content generation
# (the site and the course catalog for the links are kept under it: courses.services.
# route_cache.prepare_site), my own row (my staff profile with its position and unit, my unread
# notifications, this year's hours and what the plan requires of my position, whether I hold
# the officers' permission directly or through a group and whether I manage a unit), my
# assignments (with their item and course), my newest records (with their certificates), my
# upcoming offline sessions and my certificates.
LEARN_QUERIES = 8


@pytest.mark.django_db
def test_queries_do_not_grow_with_what_i_have(client, catalog):
    """Assignments, records, certificates, offline sessions and notifications: eight queries
    for a few of each and for many."""
    org = make_org()
    staff = make_staff("000500", org["LZ0101"], make_position("柜员"))
    courses = [make_course(catalog, title=f"课程{n}", slug=f"q{n}", lessons=1) for n in (1, 2)]
    quizzes = [make_quiz(title=f"测验{n}") for n in (1, 2)]
    today = timezone.localdate()
    plan = make_plan(today.year, required_hours=Decimal("10"))
    PositionHours.objects.create(plan=plan, position=staff.position, hours=Decimal("12"))

    def add_items(numbers):
        for n in numbers:
            if n % 5 == 0:
                kind = {"kind": PlanItem.OFFLINE}
            elif n % 3 == 0:
                kind = {"quiz": quizzes[n % 2]}
            else:
                kind = {"course": courses[n % 2]}
            make_item(
                plan,
                f"项目{n}",
                everyone=True,
                open_date=date(today.year, 1, 1),
                due_date=today + timedelta(days=n * 5 - 20),
                **kind,
            )
        services.publish_plan(plan)
        rows = Assignment.objects.filter(staff=staff)
        rows.filter(plan_item__title__in=[f"项目{n}" for n in numbers[::2]]).update(
            started_at=timezone.now()
        )
        rows.filter(plan_item__title__in=[f"项目{n}" for n in numbers[1::4]]).update(
            status=Assignment.COMPLETED, completed_at=timezone.now()
        )
        for item in PlanItem.objects.filter(kind=PlanItem.OFFLINE, sessions__isnull=True):
            make_session(item, org["LZ01"], starts_at=timezone.now() + timedelta(days=1))
        for n in numbers[:3]:
            issue_certificate(record(staff.user, staff, f"记录{n}"))
            Reminder.objects.create(
                recipient=staff.user,
                kind=Reminder.DIGEST,
                day=today - timedelta(days=n),
                subject=f"提醒{n}",
                body="",
                language="zh-hans",
            )

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LEARN)
        assert response.status_code == 200
        home = response.context["home"]
        shown = (
            home.assignment_count,
            len(home.certificates),
            len(home.sessions),
            response.context["unread_notifications"],
        )
        return len(queries), shown

    client.force_login(staff.user)
    add_items(list(range(1, 6)))
    client.get(LEARN)  # warm-up: session touch, site root paths, the site and catalog kept
    few, few_shown = measure()
    add_items(list(range(6, 21)))
    many, many_shown = measure()
    assert (few_shown, many_shown) == ((5, 3, 1, 3), (20, 6, 3, 6))
    assert few == many == LEARN_QUERIES, (few, many)
