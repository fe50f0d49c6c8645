"""Roster import runs delivered to several workers at once (real threads and connections,
SQLite WAL and PostgreSQL): the run is imported once; and two different files importing at the
same moment never leave a half-written roster."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.models import RosterImport, StaffProfile
from lms.services.roster import runs
from tests.concurrency import run_concurrently
from tests.factories import make_org, make_position

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "工号,姓名,机构,岗位,入职日期,状态\n"


def roster_file(name, rows):
    text = HEADER + "".join(f"{no},{person},LZ0101,柜员,2020-01-01,在职\n" for no, person in rows)
    return SimpleUploadedFile(name, io.BytesIO(text.encode()).getvalue())


def queued(name, rows):
    return runs.create_run(
        roster_file(name, rows),
        dry_run=False,
        create_positions=False,
        user=None,
        language="zh-hans",
    )


@pytest.fixture
def org():
    make_position("柜员")
    return make_org()


def test_a_run_delivered_to_six_workers_is_imported_once(org):
    run = queued("a.csv", [(f"00{n:04d}", f"员工{n}") for n in range(50)])
    results, errors = run_concurrently(lambda: runs.run_import(run.pk))
    assert errors == []
    done = [result for result in results if result is not None]
    assert len(done) == 1 and done[0]["created"] == 50
    assert StaffProfile.objects.count() == 50
    run.refresh_from_db()
    assert run.status == RosterImport.FINISHED


def test_two_files_adding_the_same_people_at_once_leave_a_whole_roster(org):
    """Both files add the same 30 people. Whichever commits first adds them; the other either
    finds them there (after waiting) and changes nothing, or reports the clash and writes
    nothing — never a roster with part of a file."""
    people = [(f"01{n:04d}", f"新人{n}") for n in range(30)]
    first, second = queued("a.csv", people), queued("b.csv", people)
    order = iter([first.pk, second.pk])
    results, errors = run_concurrently(lambda: runs.run_import(next(order)), count=2)
    assert errors == []
    assert StaffProfile.objects.count() == 30
    assert get_user_model().objects.count() == 30
    written = [result for result in results if result["written"]]
    refused = RosterImport.objects.filter(outcome__ok=False)
    if refused:  # the two transactions overlapped: the later one gave up whole
        assert len(written) == 1 and written[0]["created"] == 30
        assert len(refused) == 1 and "员工名册发生了变化" in refused[0].details["errors"][0][1]
    else:  # one waited for the other and found the people there
        assert sorted(result["created"] for result in written) == [0, 30]
    assert set(RosterImport.objects.values_list("status", flat=True)) == {RosterImport.FINISHED}
