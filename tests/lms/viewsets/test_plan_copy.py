"""The "copy to next year" action on a plan: POST only, for those who may add plans, to the new
draft's edit page; a clash is a message, not an error page."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lms.models import PlanItem, TrainingPlan
from lms.services.plans import close_plan, publish_plan
from tests.factories import UserFactory, make_item, make_plan


def copy_url(plan):
    return reverse("lms_plan_actions:copy", args=(plan.pk,))


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


@pytest.fixture
def plan(people, org, course):
    plan = make_plan(2026)
    make_item(
        plan,
        "销售过程消保",
        course=course,
        positions=[people["teller"]],
        units=[org["LZ01"]],
        due_date=date(2026, 9, 30),
    )
    make_item(plan, "全员", course=course, everyone=True, sort_order=1)
    return plan


@pytest.fixture
def plan_keeper(roles):
    """May open, view and change plans, but not add them."""
    group = Group.objects.create(name="Plan keepers")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["wagtailadmin", "lms_core"],
            codename__in=["access_admin", "view_trainingplan", "change_trainingplan"],
        )
    )
    user = UserFactory(username="keeper")
    user.groups.add(group)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "published", "closed"])
def test_the_officer_copies_a_plan_to_a_draft_of_next_year(officer_client, officer, plan, status):
    if status != "draft":
        publish_plan(plan)
    if status == "closed":
        assert close_plan(plan)
    response = officer_client.post(copy_url(plan))

    copy = TrainingPlan.objects.get(year=2027)
    assert response.status_code == 302
    assert response["Location"] == reverse("lms_trainingplan:edit", args=(copy.pk,))
    assert (copy.title, copy.status) == ("2027年度消保与服务培训计划", TrainingPlan.DRAFT)
    assert list(copy.items.order_by("sort_order").values_list("title", "due_date")) == [
        ("销售过程消保", date(2027, 9, 30)),
        ("全员", date(2027, 6, 30)),
    ]
    plan.refresh_from_db()
    assert plan.status == status
    entry = ModelLogEntry.objects.get(action="lms.plan_copy")
    assert (entry.object_id, entry.user_id, entry.data) == (
        str(copy.pk),
        officer.pk,
        {"from": plan.pk},
    )

    page = officer_client.get(response["Location"])
    assert messages_of(page) == [
        "已根据“2026年度消保与服务培训计划”创建草稿计划“2027年度消保与服务培训计划”："
        "请核对日期后再发布。"
    ]


@pytest.mark.django_db
def test_a_clash_is_a_message_and_creates_nothing(officer_client, plan):
    make_plan(2027)  # next year's plan, with the same title, already exists
    counts = (TrainingPlan.objects.count(), PlanItem.objects.count())
    response = officer_client.post(copy_url(plan), follow=True)
    assert response.redirect_chain == [(reverse("lms_trainingplan:edit", args=(plan.pk,)), 302)]
    assert messages_of(response) == ["2027年度已有计划“2027年度消保与服务培训计划”。"]
    assert (TrainingPlan.objects.count(), PlanItem.objects.count()) == counts


@pytest.mark.django_db
def test_get_is_refused(officer_client, plan):
    assert officer_client.get(copy_url(plan)).status_code == 405
    assert TrainingPlan.objects.count() == 1


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(officer, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(copy_url(plan)).status_code == 403
    assert TrainingPlan.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["plan_keeper", "trainer", "anonymous"])
def test_only_those_who_may_add_plans_copy_them(client, request, plan, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(copy_url(plan))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert not response["Location"].startswith("/admin/training/plans/")
    assert TrainingPlan.objects.count() == 1
    assert PlanItem.objects.count() == 2


@pytest.mark.django_db
def test_the_button_is_shown_only_to_those_who_may_add_plans(client, officer, plan_keeper, plan):
    marker = f'data-w-action-url-value="{copy_url(plan)}"'
    edit_url = reverse("lms_trainingplan:edit", args=(plan.pk,))
    index_url = reverse("lms_trainingplan:index")
    client.force_login(officer)
    assert marker in client.get(edit_url).content.decode()
    assert marker in client.get(index_url).content.decode()
    client.force_login(plan_keeper)
    page = client.get(edit_url)
    assert page.status_code == 200 and marker not in page.content.decode()
    page = client.get(index_url)
    assert page.status_code == 200 and marker not in page.content.decode()
