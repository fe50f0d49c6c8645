"""Audience rules, publishing, roster sync and assignment status."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from lms import services
from lms.models import Assignment, TrainingPlan
from tests.factories import make_item, make_org, make_plan, make_position, make_staff


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def people(org):
    teller, manager = make_position("柜员", high_complaint=True), make_position("网点负责人")
    return {
        "teller_cg": make_staff("000101", org["LZ0101"], teller, date(2020, 3, 1)),
        "teller_dg": make_staff("000102", org["LZ0102"], teller, date(2026, 2, 1)),
        "manager_cg": make_staff("000103", org["LZ0101"], manager, date(2015, 1, 1)),
        "teller_xz": make_staff("000201", org["LZ0201"], teller, date(2019, 5, 1)),
        "teller": teller,
        "manager": manager,
    }


def assigned(item):
    return set(
        Assignment.objects.filter(plan_item=item, status=Assignment.OPEN).values_list(
            "staff__employee_no", flat=True
        )
    )


@pytest.mark.django_db
def test_audience_rules(org, people):
    plan = make_plan()
    everyone = make_item(plan, "全员", everyone=True)
    tellers = make_item(plan, "柜员", positions=[people["teller"]])
    chengguan = make_item(plan, "城关支行", units=[org["LZ01"]])
    chengguan_tellers = make_item(
        plan, "城关柜员", positions=[people["teller"]], units=[org["LZ01"]]
    )
    new_hires = make_item(plan, "新员工", new_hires_only=True)
    nobody = make_item(plan, "未设置对象")
    services.publish_plan(plan)
    assert assigned(everyone) == {"000101", "000102", "000103", "000201"}
    assert assigned(tellers) == {"000101", "000102", "000201"}
    assert assigned(chengguan) == {"000101", "000102", "000103"}
    assert assigned(chengguan_tellers) == {"000101", "000102"}
    assert assigned(new_hires) == {"000102"}
    assert assigned(nobody) == set()
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.PUBLISHED and plan.published_at
    # The service and the per-person check agree.
    for item in (everyone, tellers, chengguan, chengguan_tellers, new_hires, nobody):
        for key in ("teller_cg", "teller_dg", "manager_cg", "teller_xz"):
            staff = people[key]
            assert services.item_matches(item, staff) == (staff.employee_no in assigned(item))


@pytest.mark.django_db
def test_publish_is_idempotent_and_reports_progress(org, people):
    plan = make_plan()
    make_item(plan, "全员", everyone=True)
    make_item(plan, "柜员", positions=[people["teller"]])
    steps = []
    assert (
        services.publish_plan(plan, progress=lambda done, total: steps.append((done, total))) == 7
    )
    assert steps == [(1, 2), (2, 2)]
    assert services.publish_plan(plan) == 0
    assert Assignment.objects.count() == 7


@pytest.mark.django_db
def test_roster_changes_keep_assignments_in_step(org, people):
    plan = make_plan()
    everyone = make_item(plan, "全员", everyone=True)
    chengguan = make_item(plan, "城关支行", units=[org["LZ01"]])
    qilihe = make_item(plan, "七里河支行", units=[org["LZ02"]])
    services.publish_plan(plan)

    # A new hire at 西站 gets the items of their unit and everyone's.
    hire = make_staff("000202", org["LZ0201"], people["teller"], date(2026, 9, 1))
    services.sync_staff(hire)
    assert set(Assignment.objects.filter(staff=hire).values_list("plan_item_id", flat=True)) == {
        everyone.pk,
        qilihe.pk,
    }

    # A transfer 城关 → 西站: 城关's open item is withdrawn (kept), 七里河's assigned, and the open
    # "everyone" item moves to the new outlet.
    mover = people["teller_cg"]
    mover.org_unit = org["LZ0201"]
    mover.save()
    result = services.sync_staff(mover)
    assert result == {"created": 1, "withdrawn": 1, "reopened": 0, "moved": 1}
    rows = {a.plan_item_id: a for a in Assignment.objects.filter(staff=mover)}
    assert rows[chengguan.pk].status == Assignment.WITHDRAWN and rows[chengguan.pk].withdrawn_at
    assert rows[qilihe.pk].status == Assignment.OPEN
    assert rows[everyone.pk].org_unit_id == org["LZ0201"].pk

    # A leaver: every open assignment is withdrawn, none deleted.
    leaver = people["manager_cg"]
    leaver.is_active = False
    leaver.save()
    services.sync_staff(leaver)
    statuses = set(Assignment.objects.filter(staff=leaver).values_list("status", flat=True))
    assert statuses == {Assignment.WITHDRAWN}


@pytest.mark.django_db
def test_completed_assignments_are_never_withdrawn_or_moved(org, people):
    plan = make_plan()
    item = make_item(plan, "城关支行", units=[org["LZ01"]])
    services.publish_plan(plan)
    staff = people["teller_cg"]
    Assignment.objects.filter(staff=staff).update(status=Assignment.COMPLETED)
    staff.org_unit = org["LZ0201"]
    staff.save()
    services.sync_staff(staff)
    row = Assignment.objects.get(staff=staff, plan_item=item)
    assert row.status == Assignment.COMPLETED and row.org_unit_id == org["LZ0101"].pk


@pytest.mark.django_db
def test_overdue_is_computed_in_the_sites_time_zone(org, people):
    plan = make_plan()
    item = make_item(plan, "全员", everyone=True, due_date=date(2026, 3, 31))
    services.publish_plan(plan)
    row = Assignment.objects.filter(plan_item=item).first()
    # 2026-03-31 17:00 UTC is already 1 April 01:00 in Shanghai: overdue there.
    utc_evening = datetime(2026, 3, 31, 17, 0, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=utc_evening):
        assert services.assignment_status(row) == "overdue"
    # 2026-03-31 15:00 UTC is 23:00 in Shanghai, still the due date: not overdue.
    utc_afternoon = datetime(2026, 3, 31, 15, 0, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=utc_afternoon):
        assert services.assignment_status(row) == "not_started"
    row.status = Assignment.COMPLETED
    with mock.patch("django.utils.timezone.now", return_value=utc_evening):
        assert services.assignment_status(row) == "completed"
