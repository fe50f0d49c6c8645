"""The exemption admin: managers request for their own people only and cannot decide; officers
grant, decide, lift and import; nobody edits or deletes a row; the listing is scoped and its
queries do not grow with the rows."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import Workbook

from lms.models import Assignment, Exemption
from lms.services.compliance import exemptions
from tests.lms import exemption_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, officer):
    return exemption_world.build(officer)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def denied(response):
    """Refused: Wagtail's admin turns a 403 into a redirect to its home page with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def new_data(world, employee_no="000101", kind=Exemption.EXEMPT, **extra):
    return {
        "employee_no": employee_no,
        "plan_item": world.overdue_item.pk,
        "kind": kind,
        "due_date": "",
        "reason": "长期病假",
        **extra,
    }


def test_a_manager_requests_for_their_people_and_an_officer_approves(world):
    manager = client_for(world.manager)
    response = manager.post(reverse("lms_exemption:new"), new_data(world))
    assert response.status_code == 302
    row = Exemption.objects.get()
    assert row.status == Exemption.REQUESTED and row.requested_by == world.manager
    # The manager cannot decide (403) ...
    decide = reverse("lms_exemption:decide", args=[row.pk])
    assert denied(manager.get(decide))
    assert denied(manager.post(decide, {"decision": "approve"}))
    assert Exemption.objects.get().status == Exemption.REQUESTED
    # ... the officer does.
    officer = client_for(world.officer)
    assert officer.get(decide).status_code == 200
    response = officer.post(decide, {"decision": "approve", "note": "同意"})
    assert response.status_code == 302
    assert Exemption.objects.get().status == Exemption.APPROVED
    assignment = Assignment.objects.get(staff=row.staff, plan_item=row.plan_item)
    assert assignment.status == Assignment.EXEMPT
    # Deciding again: a form error, not a 500.
    again = officer.post(decide, {"decision": "reject"})
    assert again.status_code == 200 and "该申请已审批" in again.content.decode()


def test_a_manager_cannot_request_for_someone_outside_their_units(world):
    manager = client_for(world.manager)
    response = manager.post(reverse("lms_exemption:new"), new_data(world, employee_no="000201"))
    assert response.status_code == 200  # the form again, with the error
    assert Exemption.objects.count() == 0
    # A row of the other branch is not reachable by id.
    row = exemptions.grant(
        world.officer, world.people["000201"], world.overdue_item, Exemption.EXEMPT, "x"
    )
    for name in ("inspect", "lift", "decide"):
        assert manager.get(reverse(f"lms_exemption:{name}", args=[row.pk])).status_code == 404
    listing = manager.get(reverse("lms_exemption:index"))
    assert listing.status_code == 200 and "孙四" not in listing.content.decode()


def test_an_officer_grants_an_extension_and_lifts_it(world):
    officer = client_for(world.officer)
    later = timezone.localdate() + timedelta(days=10)
    bad = officer.post(
        reverse("lms_exemption:new"),
        new_data(world, "000102", Exemption.EXTENSION, due_date=world.overdue_item.due_date),
    )
    assert bad.status_code == 200 and Exemption.objects.count() == 0
    response = officer.post(
        reverse("lms_exemption:new"),
        new_data(world, "000102", Exemption.EXTENSION, due_date=later.isoformat()),
    )
    assert response.status_code == 302
    row = Exemption.objects.get()
    assert row.status == Exemption.APPROVED
    assignment = Assignment.objects.get(staff=row.staff, plan_item=row.plan_item)
    assert assignment.due_date == later
    lift = reverse("lms_exemption:lift", args=[row.pk])
    assert officer.post(lift, {"reason": ""}).status_code == 200  # reason required
    assert officer.post(lift, {"reason": "提前返岗"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_date == world.overdue_item.due_date
    assert Exemption.objects.filter(kind=Exemption.LIFT, revokes=row).count() == 1


def test_nobody_edits_or_deletes_a_row(world, superuser):
    row = exemptions.grant(
        world.officer, world.people["000101"], world.overdue_item, Exemption.EXEMPT, "x"
    )
    for name in ("edit", "delete", "add", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"lms_exemption:{name}", args=[row.pk] if name != "add" else [])
    root = client_for(superuser)
    assert root.get(reverse("lms_exemption:inspect", args=[row.pk])).status_code == 200
    assert root.get(f"/admin/training/exemptions/edit/{row.pk}/").status_code == 404
    assert root.get(f"/admin/training/exemptions/delete/{row.pk}/").status_code == 404


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "培训项目", "类型", "延期至", "原因"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "豁免.xlsx"
    return buffer


def test_the_import_is_for_officers_and_all_or_nothing(world):
    url = reverse("lms_exemption:import")
    manager = client_for(world.manager)
    assert denied(manager.get(url))
    assert denied(manager.get(reverse("lms_exemption:template")))
    officer = client_for(world.officer)
    assert officer.get(reverse("lms_exemption:template")).status_code == 200
    sheet = xlsx(
        [
            ["000101", "消保知识必修课", "豁免", None, "病假"],
            ["999999", "投诉处理", "豁免", None, "x"],
        ]
    )
    response = officer.post(url, {"plan": world.plan.pk, "file": sheet})
    assert response.status_code == 200 and "999999" in response.content.decode()
    assert Exemption.objects.count() == 0
    sheet = xlsx([["000101", "消保知识必修课", "豁免", None, "病假"]])
    response = officer.post(url, {"plan": world.plan.pk, "file": sheet})
    assert response.status_code == 200
    assert Exemption.objects.get().status == Exemption.APPROVED


def grant_many(world, count):
    people = [world.people[key] for key in ("000101", "000102", "000201")]
    items = [world.overdue_item, world.later_item]
    done = 0
    for person in people:
        for item in items:
            if done == count:
                return
            row = exemptions.request(world.officer, person, item, Exemption.EXEMPT, "x")
            if done % 2:
                exemptions.approve(world.officer, row)
            done += 1


@pytest.mark.parametrize(("user_key", "shown"), [("officer", "孙四"), ("manager", "王二")])
def test_the_listing_queries_do_not_grow_with_the_rows(
    world, user_key, shown, django_assert_max_num_queries
):
    client = client_for(getattr(world, user_key))
    url = reverse("lms_exemption:index")
    exemptions.grant(
        world.officer, world.people["000101"], world.overdue_item, Exemption.EXEMPT, "x"
    )
    row = exemptions.request(
        world.officer, world.people["000101"], world.later_item, Exemption.EXEMPT, "x"
    )
    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    exemptions.approve(world.officer, row)
    exemptions.lift(world.officer, row, "z")
    for key in ("000102", "000201"):
        for item in (world.overdue_item, world.later_item):
            exemptions.request(world.officer, world.people[key], item, Exemption.EXEMPT, "y")
    assert Exemption.objects.count() == 7
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and shown in response.content.decode()
