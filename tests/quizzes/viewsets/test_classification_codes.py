"""The classification codes' admin: the tree list, adding the bank's sub-codes, the standard's
codes only deactivated, deletions refused with the reason; the question bank's filter by code."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lms.services import TRAINERS, ensure_roles
from quizzes.models import ClassificationCode, Question
from tests.factories import UserFactory, make_category, make_question

pytestmark = pytest.mark.django_db

INDEX = "classification_codes:index"


@pytest.fixture
def trainer_client(client):
    ensure_roles()
    user = UserFactory(username="trainer")
    user.groups.add(Group.objects.get(name=TRAINERS))
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def code(key):
    return ClassificationCode.objects.get(code=key)


def rows(html):
    start = html.index('<table class="listing')
    body = html[html.index("<tbody", start) : html.index("</tbody>", start)]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def form_data(**values):
    data = {"parent": "", "code": "", "name": "", "sort_order": "0", "is_active": "on"}
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_is_in_tree_order_with_paths_and_filters(admin_client):
    ClassificationCode.objects.create(
        dimension="C", code="C.5.1", name="费率未告知", parent=code("C.5")
    )
    html = admin_client.get(reverse(INDEX), {"dimension": "C"}).content.decode()
    keys = [row.split()[0] for row in rows(html)]
    assert keys[:7] == ["C.1", "C.2", "C.3", "C.4", "C.5", "C.5.1", "C.6"]
    assert keys[-3:] == ["C.10", "C.11", "C.12"]
    sub_row = next(row for row in rows(html) if row.startswith("C.5.1"))
    assert "信息披露 › 费率未告知" in sub_row
    found = admin_client.get(reverse(INDEX), {"standard": "false"}).content.decode()
    assert [row.split()[0] for row in rows(found)] == ["C.5.1"]
    searched = admin_client.get(reverse(INDEX), {"q": "盗刷"}).content.decode()
    assert [row.split()[0] for row in rows(searched)] == ["B.3.3"]


def test_a_trainer_adds_a_sub_code_under_its_parent(trainer_client):
    url = reverse("classification_codes:add")
    response = trainer_client.post(
        url, form_data(parent=code("B.3.3").pk, code="b.3.3.1", name="境外盗刷")
    )
    assert response.status_code == 302
    added = code("B.3.3.1")
    assert (added.dimension, added.parent, added.standard, added.name) == (
        "B",
        code("B.3.3"),
        False,
        "境外盗刷",
    )


def test_a_sub_code_not_extending_its_parents_key_is_refused_clearly(admin_client):
    url = reverse("classification_codes:add")
    with translation.override("en"):
        response = admin_client.post(url, form_data(parent=code("C.1").pk, code="C.10.1", name="x"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "须以 C.1 开头，后接点号" in errors["code"][0]
    assert not ClassificationCode.objects.filter(code="C.10.1").exists()
    response = admin_client.post(url, form_data(code="C.13", name="其他原因"))
    assert response.status_code == 200 and "parent" in response.context["form"].errors


def test_a_standard_code_is_only_deactivated(admin_client):
    target = code("C.5")
    url = reverse("classification_codes:edit", args=[target.pk])
    response = admin_client.post(
        url,
        form_data(parent=code("C.4").pk, code="C.55", name="改名", sort_order="9", is_active=None),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    # The disabled fields kept their values; only "in use" changed.
    assert (target.code, target.name, target.parent, target.sort_order, target.is_active) == (
        "C.5",
        "信息披露",
        None,
        5,
        False,
    )


def test_the_banks_code_is_renamed_but_keeps_its_key(admin_client):
    own = ClassificationCode.objects.create(
        dimension="C", code="C.5.1", name="旧名", parent=code("C.5")
    )
    url = reverse("classification_codes:edit", args=[own.pk])
    response = admin_client.post(
        url, form_data(parent=code("C.4").pk, code="C.4.1", name="新名", is_active=None)
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.code, own.parent_id, own.name, own.is_active) == (
        "C.5.1",
        code("C.5").pk,
        "新名",
        False,
    )


def test_deletion_is_refused_with_the_reason(admin_client):
    with translation.override("en"):
        standard = code("C.12")
        url = reverse("classification_codes:delete", args=[standard.pk])
        response = admin_client.get(url)
        assert "JR/T 0169-2018" in response.context["blocked_message"]
        assert response.context["is_protected"]
        assert 'method="POST"' not in response.content.decode().split("<main", 1)[1]
        assert admin_client.post(url).status_code == 200
        assert ClassificationCode.objects.filter(pk=standard.pk).exists()

        own = ClassificationCode.objects.create(
            dimension="C", code="C.12.1", name="夜间催收", parent=standard
        )
        question = make_question(make_category())
        question.classification_codes.set([own])
        question.save()
        url = reverse("classification_codes:delete", args=[own.pk])
        response = admin_client.get(url)
        # The message names how much content is tagged (the admin's language is Chinese).
        message = response.context["blocked_message"]
        assert f"1 {Question._meta.verbose_name_plural}" in message
        assert message in response.content.decode()
        admin_client.post(url)
        assert ClassificationCode.objects.filter(pk=own.pk).exists()

        question.classification_codes.set([])
        question.save()
        assert admin_client.post(url).status_code == 302
        assert not ClassificationCode.objects.filter(pk=own.pk).exists()


def test_the_question_bank_filters_by_code_with_descendants_in_constant_queries(admin_client):
    category = make_category()
    own = ClassificationCode.objects.create(
        dimension="B", code="B.3.3.1", name="境外盗刷", parent=code("B.3.3")
    )
    url = reverse("wagtailsnippets_lms_quizzes_question:list")

    def add(count, codes):
        for number in range(count):
            question = make_question(category, stem=f"题{Question.objects.count()}-{number}")
            question.classification_codes.set(codes)
            question.save()

    add(2, [code("B.3"), code("C.10")])
    add(1, [own])
    add(2, [code("C.1")])
    html = admin_client.get(url, {"classification_code": "B.3"}).content.decode()
    listed = rows(html)
    assert len(listed) == 3
    assert any("B.3.3.1" in row for row in listed) and any("B.3, C.10" in row for row in listed)
    assert (
        len(rows(admin_client.get(url, {"classification_code": "B.3.3.1"}).content.decode())) == 1
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url, {"classification_code": "B.3"}).status_code == 200
        return len(captured)

    before = queries()
    add(6, [code("B.3.1"), code("C.4"), code("C.5")])
    assert queries() == before
    assert len(rows(admin_client.get(url, {"classification_code": "B.3"}).content.decode())) == 9


def test_edit_forms_offer_the_active_codes_grouped_and_keep_a_deactivated_one(admin_client, course):
    ClassificationCode.objects.filter(code__in=["C.7", "C.8"]).update(is_active=False)
    question = make_question(make_category())
    question.classification_codes.set([code("C.8")])
    question.save()
    pages = {
        "question add": reverse("wagtailsnippets_lms_quizzes_question:add"),
        "question edit": reverse("wagtailsnippets_lms_quizzes_question:edit", args=[question.pk]),
        "course edit": reverse("wagtailadmin_pages:edit", args=[course.pk]),
        "lesson add": reverse(
            "wagtailadmin_pages:add", args=["lms_courses", "lessonpage", course.pk]
        ),
    }
    for name, url in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, name
        field = response.context["form"].fields["classification_codes"]
        offered = {str(value) for _group, choices in field.choices for value, _label in choices}
        assert str(code("C.5").pk) in offered and str(code("B.3.3").pk) in offered, name
        assert str(code("C.7").pk) not in offered, name
        assert (str(code("C.8").pk) in offered) == (name == "question edit"), name
        assert [str(group) for group, _choices in field.choices] == [
            str(label) for _key, label in ClassificationCode.DIMENSION_CHOICES
        ]
        assert "lms-code-choices" in response.content.decode(), name
