"""The complaint register in the admin: managers list and inspect only their units' complaints
and cannot edit or import; officers filter, enter a complaint (masked like an imported one),
edit it and import the register (dry run, template); nobody deletes one; the listing's queries
do not grow with the rows."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from lms.models import Complaint
from lms.services.complaints.register_import import import_complaints
from quizzes.models import ClassificationCode
from tests.lms import register_support
from tests.lms.register_support import SUMMARY_WITH_NUMBERS, row, xlsx_bytes

pytestmark = pytest.mark.django_db
INDEX = "lms_complaint:index"


@pytest.fixture
def world(roles):
    world = register_support.build(roles)
    rows = [
        row("CG-1", unit="LZ0101", reason="C.5", received_on=date(2026, 3, 2)),
        row("CG-2", unit="LZ0102", reason="C.7", staff="000103", closed_on=""),
        row(
            "XZ-1",
            unit="LZ0201",
            reason="C.5",
            staff="000201",
            received_on=date(2026, 4, 1),
            closed_on=date(2026, 4, 5),
        ),
    ]
    assert import_complaints(xlsx_bytes(rows), "r.xlsx").written
    return world


def client_for(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def denied(response):
    """Wagtail's admin turns a 403 into a redirect to its home page with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def listed(client, numbers=("CG-1", "CG-2", "XZ-1"), **query):
    response = client.get(reverse(INDEX), query)
    assert response.status_code == 200
    return {number for number in numbers if number in response.content.decode()}


def test_a_manager_sees_only_their_units_complaints_read_only(world):
    manager = client_for(world["manager"])
    assert listed(manager) == {"CG-1", "CG-2"}
    outside = Complaint.objects.get(number="XZ-1")
    inside = Complaint.objects.get(number="CG-1")
    inspect = manager.get(reverse("lms_complaint:inspect", args=[inside.pk]))
    assert inspect.status_code == 200 and "李一 (000101)" in inspect.content.decode()
    assert manager.get(reverse("lms_complaint:inspect", args=[outside.pk])).status_code == 404
    assert denied(manager.get(reverse("lms_complaint:edit", args=[inside.pk])))
    assert denied(manager.get(reverse("lms_complaint:add")))
    assert denied(manager.get(reverse("lms_complaint:import")))
    assert denied(manager.get(reverse("lms_complaint:template")))


def test_an_officer_sees_all_and_filters(world, officer):
    client = client_for(officer)
    assert listed(client) == {"CG-1", "CG-2", "XZ-1"}
    reason = ClassificationCode.objects.get(code="C.5")
    assert listed(client, reason=reason.pk) == {"CG-1", "XZ-1"}
    assert listed(client, unit=world["units"]["LZ01"].pk) == {"CG-1", "CG-2"}
    assert listed(client, state="open") == {"CG-2"}
    assert listed(client, state="closed") == {"CG-1", "XZ-1"}
    assert listed(client, month="2026-04") == {"XZ-1"}
    assert listed(client, received_on_from="2026-03-01", received_on_to="2026-03-31") == {
        "CG-1",
        "CG-2",
    }
    assert listed(client, q="XZ-1") == {"XZ-1"}


def test_a_reason_filter_includes_the_banks_own_sub_codes(world, officer):
    parent = ClassificationCode.objects.get(code="C.7")
    ClassificationCode.objects.create(dimension="C", code="C.7.1", name="手续费", parent=parent)
    import_complaints(xlsx_bytes([row("CG-9", reason="C.7.1")]), "r.xlsx")
    numbers = ("CG-1", "CG-2", "XZ-1", "CG-9")
    assert listed(client_for(officer), numbers, reason=parent.pk) == {"CG-2", "CG-9"}


def form_data(world, **values):
    data = {
        "number": "ADM-1",
        "received_on": "2026-05-06",
        "channel": ClassificationCode.objects.get(code="A.1.1").pk,
        "business": ClassificationCode.objects.get(code="B.5").pk,
        "reason": ClassificationCode.objects.get(code="C.5").pk,
        "org_unit": world["units"]["LZ0102"].pk,
        "staff_numbers": "000103，000102",
        "summary": SUMMARY_WITH_NUMBERS,
        "closed_on": "",
        "at_fault": "",
    }
    data.update(values)
    return data


def test_an_officer_enters_and_corrects_a_complaint_masked_like_an_import(world, officer):
    client = client_for(officer)
    response = client.post(reverse("lms_complaint:add"), form_data(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get(number="ADM-1")
    assert complaint.source == Complaint.ADMIN and complaint.masked == 3
    assert "13812345678" not in complaint.summary
    assert sorted(complaint.staff.values_list("employee_no", flat=True)) == ["000102", "000103"]

    edit = reverse("lms_complaint:edit", args=[complaint.pk])
    response = client.post(
        edit, form_data(world, number="CHANGED", staff_numbers="000101", closed_on="2026-05-08")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint.refresh_from_db()
    assert complaint.number == "ADM-1"  # the number is the key: not editable
    assert complaint.closed_on == date(2026, 5, 8)
    assert list(complaint.staff.values_list("employee_no", flat=True)) == ["000101"]


def test_the_admin_form_refuses_a_known_number_and_unknown_staff(world, officer):
    client = client_for(officer)
    response = client.post(reverse("lms_complaint:add"), form_data(world, number="CG-1"))
    assert response.status_code == 200 and "already registered" in response.content.decode()
    response = client.post(reverse("lms_complaint:add"), form_data(world, staff_numbers="999999"))
    assert response.status_code == 200 and "999999" in response.content.decode()
    assert not Complaint.objects.filter(number="ADM-1").exists()


def test_nobody_deletes_a_complaint(world):
    with pytest.raises(NoReverseMatch):
        reverse("lms_complaint:delete", args=[1])


def upload(client, data, filename="register.xlsx", dry_run=False):
    body = {"file": io.BytesIO(data)}
    body["file"].name = filename
    if dry_run:
        body["dry_run"] = "on"
    return client.post(reverse("lms_complaint:import"), body)


def test_an_officer_imports_with_a_dry_run_first(world, officer):
    client = client_for(officer)
    assert client.get(reverse("lms_complaint:import")).status_code == 200
    data = xlsx_bytes([row("NEW-1"), row("CG-1", closed_on="")])
    response = upload(client, data, dry_run=True)
    html = response.content.decode()
    assert response.status_code == 200 and "data-complaints-report" in html
    assert "New: 1 · updated: 1" in html and not Complaint.objects.filter(number="NEW-1").exists()
    response = upload(client, data)
    assert "Import finished" in response.content.decode()
    assert Complaint.objects.filter(number="NEW-1").exists()
    assert Complaint.objects.get(number="CG-1").closed_on is None


def test_an_import_with_problems_shows_them_by_row(world, officer):
    client = client_for(officer)
    response = upload(client, xlsx_bytes([row("NEW-1"), row("NEW-2", unit="nowhere")]))
    html = response.content.decode()
    assert "data-import-errors" in html and "nowhere" in html
    assert not Complaint.objects.filter(number__startswith="NEW").exists()


def test_the_template_downloads(world, officer):
    response = client_for(officer).get(reverse("lms_complaint:template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == register_support.HEADER


def test_the_listing_queries_do_not_grow_with_the_rows(world, officer):
    client = client_for(officer)
    client.get(reverse(INDEX))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(INDEX))
    more = [row(f"M-{n}", reason="C.1", unit="LZ0201") for n in range(30)]
    assert import_complaints(xlsx_bytes(more), "r.xlsx").written
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(INDEX))
    assert len(many) == len(few)
