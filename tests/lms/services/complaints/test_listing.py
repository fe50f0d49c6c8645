"""The register-scale list of loops agrees with the loop states counted by the database, in
order and counts, across page boundaries."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from lms.models import Assignment, Complaint
from lms.services.complaints import listing, loop
from lms.services.complaints.targeting import apply_rules
from tests.lms.complaints_support import build_world, complaint
from tests.lms.compliance_support import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def test_the_list_matches_the_counted_loops_page_by_page(world):
    made = []
    for n in range(5):
        made.append(complaint(world, f"N-{n}", reason="C.1", business="B.1"))  # no rule
    made.append(complaint(world, "D-1", staff=("T2",)))
    made.append(complaint(world, "O-1", staff=("T1",)))
    made.append(complaint(world, "P-1", staff=("T3",), unit="LZ0102"))
    for n, row in enumerate(made):
        Complaint.objects.filter(pk=row.pk).update(
            received_on=timezone.localdate() - timedelta(days=n)
        )
    apply_rules(made)
    complete(world["people"]["T2"], world["course"], timezone.now())
    Assignment.objects.filter(staff=world["people"]["T1"]).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    everything = Complaint.objects.all()
    index = listing.loop_index(everything)
    expected = [
        c.number for c in loop.with_loop(everything).order_by("loop_rank", "-received_on", "-pk")
    ]
    for per_page in (1, 2, 3, 8):
        pages = Paginator(listing.LoopSequence(everything, index), per_page)
        got = []
        for number in pages.page_range:
            ids = pages.page(number).object_list
            got += [row.number for row in listing.page_rows(ids, index)]
        assert got == expected, per_page
    counted = Counter(loop.state_of(c) for c in loop.with_loop(everything))
    assert listing.state_counts(everything, index) == {s: counted[s] for s in loop.ORDER}
    overdue = listing.LoopSequence(everything, index, loop.OVERDUE)
    assert [row.number for row in listing.page_rows(overdue[0:10], index)] == ["O-1"]
