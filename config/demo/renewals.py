"""Training that expires, in the demo: the complaint-handling course counts for 12 months, and a
few people completed it about a year ago, so whatever day the demo is built on, 团队进度 and
我的学习 show renewals coming due (the daily ``lms_recertify`` run has assigned them again),
one that has already lapsed, and one certificate still valid for a few weeks."""

import datetime
import random

from django.utils import timezone

from config.demo.clock import at
from lms.models import Assignment, StaffProfile
from lms.services.compliance.recertify import recertify
from lms.services.compliance.validity import add_months

#: Days from today to the end of each renewing person's validity: three coming due within the
#: lead time (renewed), one lapsed (expired), one beyond the lead time (still completed).
ENDS_IN = (6, 15, 24, -4, 45)
#: Where the renewals happen first: the demo manager's outlet.
OUTLET = "LZ0101"
#: The demo teller's own renewal falls due in this many days.
TELLER_ENDS_IN = 12


def completion_moment(days_from_today):
    """A working-hour moment a year before ``today + days_from_today``: a completion then, valid
    12 months, counts through ``today + days_from_today``."""
    today = timezone.localdate()
    day = add_months(today + datetime.timedelta(days=days_from_today + 1), -12)
    return datetime.datetime(
        day.year, day.month, day.day, 10, 30, tzinfo=timezone.get_current_timezone()
    )


def simulate_renewals(item, take_course):
    """Complete ``item``'s course (``take_course(user, rng)``) a year back for a few people who
    have not done it this year (of ``OUTLET`` first), then run today's renewals."""
    rng = random.Random(11)  # noqa: S311 - deterministic demo progress
    people = (
        StaffProfile.objects.filter(
            is_active=True,
            assignments__plan_item=item,
            assignments__status=Assignment.OPEN,
        )
        .exclude(employee_no__in=["teller", "teller2", "manager", "officer", "trainer"])
        .select_related("user", "org_unit")
        .order_by("employee_no")
    )
    # The demo manager's outlet first.
    people = sorted(people, key=lambda person: (person.org_unit.code != OUTLET, person.employee_no))
    for person, days in zip(people, ENDS_IN, strict=False):
        with at(completion_moment(days)):
            take_course(person.user, rng)
    return recertify()
