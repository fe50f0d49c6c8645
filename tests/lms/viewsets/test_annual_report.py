"""The annual training summary in the admin: officers download any unit's (or every unit's),
managers only their own units', trainers and learners are refused; a bad day is a form error."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.lms.report_world import build_world

pytestmark = pytest.mark.django_db
URL = "lms_annual_report:index"


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse(URL), params)


def test_the_officer_downloads_every_unit_as_pdf_and_xlsx(client, world):
    page = get(client, world.users["officer"])
    assert page.status_code == 200
    assert b"data-annual-report-form" in page.content
    pdf = get(client, world.users["officer"], plan=world.plan.pk, format="pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    day = min(world.today, datetime.date(world.plan.year, 12, 31))
    name = f"annual-report-{world.plan.year}-all-{day:%Y%m%d}.pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{name}"'
    xlsx = get(client, world.users["officer"], plan=world.plan.pk, format="xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    units = workbook.worksheets[3]
    codes = [row[1] for row in units.iter_rows(min_row=3, values_only=True)]
    assert {"LZ", "LZ01", "LZ02"} <= set(codes)


def test_a_manager_reports_on_their_units_only(client, world):
    manager = world.users["manager"]
    page = get(client, manager)
    html = page.content.decode()
    assert "城关营业部" in html and "西站网点" not in html  # the unit choices
    # Another unit: a form error, no file.
    other = get(client, manager, plan=world.plan.pk, unit=world.units["LZ0201"].pk, format="xlsx")
    assert other.status_code == 200 and other["Content-Type"].startswith("text/html")
    assert other.context["form"].errors["unit"]
    # No unit: a manager must choose one (their scope is not "all units").
    blank = get(client, manager, plan=world.plan.pk, format="xlsx")
    assert blank.context["form"].errors["unit"]
    mine = get(client, manager, plan=world.plan.pk, unit=world.units["LZ0101"].pk, format="xlsx")
    workbook = load_workbook(io.BytesIO(mine.content))
    names = {row[1] for row in workbook.worksheets[3].iter_rows(min_row=3, values_only=True)}
    assert "LZ0101" in names and "LZ0201" not in names


def test_a_bad_day_is_a_form_error(client, world):
    officer = world.users["officer"]
    future = world.today + datetime.timedelta(days=1)
    response = get(client, officer, plan=world.plan.pk, as_of=future.isoformat(), format="pdf")
    assert response["Content-Type"].startswith("text/html")
    assert "today or a past day" in str(response.context["form"].errors["as_of"])
    before = datetime.date(world.plan.year - 1, 12, 31).isoformat()
    response = get(client, officer, plan=world.plan.pk, as_of=before, format="pdf")
    assert "before the plan year" in str(response.context["form"].errors["as_of"])
    response = get(client, officer, plan=world.plan.pk, as_of="30/06/2026", format="pdf")
    assert response.context["form"].errors["as_of"]


def test_trainers_and_learners_are_refused(client, world):
    response = get(client, world.users["trainer"], plan=world.plan.pk, format="pdf")
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert reverse(URL) not in client.get(reverse("wagtailadmin_home")).content.decode()
    response = get(client, world.users["teller"], plan=world.plan.pk, format="pdf")
    assert response.status_code == 302
    client.force_login(world.users["officer"])
    assert reverse(URL) in client.get(reverse("wagtailadmin_home")).content.decode()
