"""Complaint rules in the admin: the officer adds one (reason and/or business, targeted items
only), a rule naming neither is refused, a rule that caused training cannot be deleted."""

import pytest
from django.urls import reverse

from lms.models import ComplaintRule, PlanItem
from lms.services.complaints.targeting import apply_rules
from lms.services.roles import ensure_roles
from tests.factories import UserFactory, make_item
from tests.lms.complaints_support import build_world, code, complaint
from tests.lms.viewsets.admin_support import admin_form, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    world = build_world(catalog)
    _trainers, officers, _workflow = ensure_roles(catalog)
    officer = UserFactory(username="officer2")
    officer.groups.add(officers)
    world["officer"] = officer
    return world


def test_the_officer_adds_a_rule_for_targeted_items_only(client, world):
    client.force_login(world["officer"])
    url = reverse("lms_complaint_rule:add")
    page = client.get(url).content.decode()
    normal = make_item(world["plan"], "年度必修课", everyone=True)
    assert "信息披露要点" in page and "年度必修课" not in page
    data = admin_form(client, url)
    data["name"] = "销售告知"
    data["reason"] = str(code("C.4").pk)
    data.setlist("items", [str(world["item"].pk)])
    data["due_days"] = "10"
    response = post_form(client, url, data)
    assert response.status_code == 302
    rule = ComplaintRule.objects.get(name="销售告知")
    assert list(rule.items.all()) == [world["item"]]
    # Neither a reason nor a business category: refused, with a message.
    data["name"] = "全部投诉"
    data["reason"] = ""
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert "业务类别" in response.content.decode()
    assert not ComplaintRule.objects.filter(name="全部投诉").exists()
    # A normal (audience) item cannot be chosen.
    data["reason"] = str(code("C.4").pk)
    data.setlist("items", [str(normal.pk)])
    assert post_form(client, url, data).status_code == 200
    assert PlanItem.objects.get(pk=normal.pk).complaint_rules.count() == 0


def test_a_rule_that_caused_training_cannot_be_deleted(client, world):
    apply_rules([complaint(world, "R-1")])
    rule = ComplaintRule.objects.get(name="信息披露")
    client.force_login(world["officer"])
    url = reverse("lms_complaint_rule:delete", args=[rule.pk])
    client.post(url)
    assert ComplaintRule.objects.filter(pk=rule.pk).exists()
