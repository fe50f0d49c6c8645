"""Exemptions and extensions on the managers' pages: a person's page says "exempt" with the
reason, or the extended due date; the team API counts what each person is exempt from."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import Exemption
from lms.services.compliance import exemptions
from tests.lms import exemption_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, officer):
    world = exemption_world.build(officer)
    exemptions.grant(
        officer, world.people["000101"], world.overdue_item, Exemption.EXEMPT, "长期病假"
    )
    exemptions.grant(
        officer,
        world.people["000102"],
        world.overdue_item,
        Exemption.EXTENSION,
        "外派学习",
        timezone.localdate() + timedelta(days=14),
    )
    return world


def test_the_person_page_shows_exempt_with_the_reason_and_not_overdue(world, client):
    client.force_login(world.manager)
    url = reverse("lms:team_person", args=[world.people["000101"].pk])
    page = client.get(url, {"plan": world.plan.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "team-assignment is-exempt" in text and "长期病假" in text
    assert "team-assignment is-overdue" not in text
    assert page.context["counted"] == 1  # the exempt item is not counted
    assert page.context["overdue"] == 0


def test_the_person_page_shows_the_extended_due_date(world, client):
    client.force_login(world.manager)
    url = reverse("lms:team_person", args=[world.people["000102"].pk])
    page = client.get(url, {"plan": world.plan.pk})
    text = page.content.decode()
    new = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert "data-extension" in text and new in text
    assert world.overdue_item.due_date.isoformat() in text  # the date it replaced
    assert "team-assignment is-overdue" not in text


def test_the_team_api_counts_exempt_items_per_person(world, client):
    client.force_login(world.manager)
    response = client.get(f"/api/v1/team/units/{world.org['LZ0101'].pk}", {"plan": world.plan.pk})
    assert response.status_code == 200
    people = {p["employee_no"]: p for p in response.json()["people"]}
    assert people["000101"]["exempt"] == 1
    assert people["000101"]["assigned"] == 1 and people["000101"]["overdue"] == 0
