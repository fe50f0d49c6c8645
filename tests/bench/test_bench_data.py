"""``lms_bench_data`` (small): a tree, staff with outlet heads, a published plan, a status mix and
records that still form a valid hash chain; it refuses a database that holds staff."""

import pytest
from django.core.management import CommandError, call_command

from lms.models import (
    Assignment,
    AssignmentTally,
    ChainHead,
    CompletionRecord,
    OrgUnit,
    StaffProfile,
)
from lms.services import verify_chain
from lms.services.dashboard import tallies
from lms.services.scope import visible_units
from tests.factories import UserFactory, make_org, make_staff

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_it_builds_a_small_data_set_with_a_valid_chain():
    call_command("lms_bench_data", staff=60, units=6, items=3, records=250, stdout=None)
    assert OrgUnit.objects.count() == 6
    assert StaffProfile.objects.count() == 60
    assert Assignment.objects.count() == 180
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert Assignment.COMPLETED in statuses and Assignment.OPEN in statuses
    done = Assignment.objects.filter(status=Assignment.COMPLETED)
    assert not done.filter(record__isnull=True).exists()
    assert CompletionRecord.objects.count() == 250 == ChainHead.objects.get().count
    report = verify_chain()
    assert (report.ok, report.checked, report.problems) == (True, 250, [])
    # The dashboards' tallies count what was written, even though PostgreSQL wrote it in
    # replica mode (no triggers).
    assert tallies.drift() == []
    assert sum(AssignmentTally.objects.values_list("n", flat=True)) == (
        Assignment.objects.exclude(status=Assignment.WITHDRAWN).count()
    )
    # Each outlet has a head who manages it.
    head = StaffProfile.objects.filter(managed_units__isnull=False).first()
    assert [u.kind for u in visible_units(head.user)] == [OrgUnit.OUTLET]
    # The chain continues: a record written afterwards through the services links on.
    from lms.services import record_completion

    record_completion(
        UserFactory(username="after"),
        kind="course",
        title="之后",
        completed_at=done[0].completed_at,
        method="online",
    )
    assert verify_chain().ok


def test_it_refuses_a_database_with_staff_unless_forced():
    make_staff("real01", make_org()["LZ0101"])
    with pytest.raises(CommandError, match="已有 1 名员工"):
        call_command("lms_bench_data", staff=10, units=3, items=1, records=5)
    assert StaffProfile.objects.count() == 1
    call_command("lms_bench_data", staff=10, units=3, items=1, records=5, force=True)
    assert StaffProfile.objects.count() == 11
    with pytest.raises(CommandError, match="已有基准测试数据"):
        call_command("lms_bench_data", staff=10, units=3, items=1, records=5, force=True)
