"""Wagtail's own spreadsheet exports (the site history, page and snippet listings with
``?export=csv``/``xlsx``) neutralise text a spreadsheet would run as a formula, like our exports:
a trainer's page titled ``=HYPERLINK(…)`` must not become a live link in the officer's Excel."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.log_actions import log

from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db

TITLE = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def admin_client(client, catalog):
    course = make_course(catalog, title=TITLE, slug="evil", lessons=0)
    admin = UserFactory(username="admin", is_superuser=True)
    log(course, "wagtail.edit", user=admin)
    client.force_login(admin)
    return client


def rows_of_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_site_history_csv_neutralises_formulas(admin_client):
    response = admin_client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    assert response.status_code == 200
    cells = [cell for row in rows_of_csv(response)[1:] for cell in row]
    assert "'" + TITLE in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells), cells


def test_the_site_history_xlsx_neutralises_formulas(admin_client):
    response = admin_client.get(reverse("wagtailadmin_reports:site_history") + "?export=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell.value for row in book.active.iter_rows(min_row=2) for cell in row]
    assert "'" + TITLE in cells
    assert TITLE not in cells


def test_numbers_and_dates_are_left_alone(admin_client):
    response = admin_client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    header, *rows = rows_of_csv(response)
    row = next(row for row in rows if "'" + TITLE in row)
    assert row[0].isdigit()  # the object id
    assert row[-1][:2] == "20"  # the time
