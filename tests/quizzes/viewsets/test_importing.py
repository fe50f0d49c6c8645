"""The admin question import/export: upload with a dry run, row errors, the template and the
export downloads, and who may use them."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from quizzes.models import Question
from quizzes.viewsets.importing import QuestionImportViewSet
from tests.factories import UserFactory, make_category, make_question
from tests.quizzes.question_files import (
    ROWS,
    XLSX,
    csv_bytes,
    xlsx_bytes,
)


def admin_user(username, *codenames):
    user = UserFactory(username=username)
    permissions = [
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    ]
    permissions += [
        Permission.objects.get(content_type__app_label="lms_quizzes", codename=codename)
        for codename in codenames
    ]
    user.user_permissions.add(*permissions)
    return user


@pytest.fixture
def question_editor(db):
    return admin_user("editor", "add_question", "change_question")


def upload(client, data, name, dry_run=False):
    file = io.BytesIO(data)
    file.name = name
    payload = {"file": file}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("lms_quizzes_import:import"), payload)


@pytest.mark.django_db
def test_admin_page_uploads_with_dry_run_then_imports(client, question_editor):
    client.force_login(question_editor)
    response = client.get(reverse("lms_quizzes_import:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html
    assert reverse("lms_quizzes_import:template") in html
    assert reverse("lms_quizzes_import:export") in html

    response = upload(client, xlsx_bytes(ROWS), "题库.xlsx", dry_run=True)
    assert response.status_code == 200
    assert response.context["report"].created == 4
    assert "data-import-counts" in response.content.decode()
    assert not Question.objects.exists()

    response = upload(client, xlsx_bytes(ROWS), "题库.xlsx")
    assert response.status_code == 200
    assert response.context["report"].written
    assert Question.objects.count() == 4


@pytest.mark.django_db
def test_admin_page_shows_row_errors(client, question_editor):
    client.force_login(question_editor)
    rows = [ROWS[0], ["填空", "A", "题", "", "", "", "", "", "", "", ""]]
    response = upload(client, csv_bytes(rows, encoding="gb18030"), "bad.csv")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-import-errors" in html and "填空" in html
    assert response.context["report"].errors[0][0] == 3
    assert not Question.objects.exists()
    response = upload(client, b"whatever", "notes.txt")
    assert "notes.txt" in response.content.decode()


@pytest.mark.django_db
def test_admin_downloads_template_and_export(client, question_editor):
    make_question(make_category(), "single", stem="导出题")
    client.force_login(question_editor)
    response = client.get(reverse("lms_quizzes_import:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    header = next(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())
    assert [cell.value for cell in header][:3] == ["题型", "分类", "题干"]

    response = client.get(reverse("lms_quizzes_import:export"))
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[1][2] == "导出题"


@pytest.mark.django_db
def test_users_without_the_permission_are_turned_away(client):
    client.force_login(admin_user("viewer", "change_question"))
    for name in ("import", "template", "export"):
        response = client.get(reverse(f"lms_quizzes_import:{name}"))
        assert response.status_code in (302, 403), name
    response = upload(client, xlsx_bytes(ROWS), "题库.xlsx")
    assert response.status_code in (302, 403)
    assert not Question.objects.exists()

    client.logout()
    response = client.get(reverse("lms_quizzes_import:import"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_menu_item_follows_the_permission(question_editor):
    request = RequestFactory().get("/admin/")
    item = QuestionImportViewSet().get_menu_item()
    request.user = question_editor
    assert item.is_shown(request)
    request.user = admin_user("viewer", "change_question")
    assert not item.is_shown(request)
