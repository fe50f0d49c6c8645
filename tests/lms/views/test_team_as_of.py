"""团队进度 and the team API "as of" a past day (``?as_of=YYYY-MM-DD``): the numbers of that day,
links that keep it, no reminders, a clear error for a bad or future day, and no wider scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import Assignment, Exemption
from lms.services.compliance import exemptions
from tests.lms import exemption_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, officer):
    world = exemption_world.build(officer)
    # Assigned a month ago (the world publishes its plan now).
    Assignment.objects.update(assigned_at=timezone.now() - timedelta(days=30))
    # Exempt from today: yesterday 李一 still counted, and the item was due that very day.
    exemptions.grant(
        officer, world.people["000101"], world.overdue_item, Exemption.EXEMPT, "长期病假"
    )
    return world


def yesterday():
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def rates(client, world, **params):
    response = client.get(
        f"/api/v1/team/units/{world.org['LZ0101'].pk}", {"plan": world.plan.pk, **params}
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_the_api_answers_as_of_a_past_day(world, client):
    client.force_login(world.manager)
    now = rates(client, world)
    then = rates(client, world, as_of=yesterday())
    assert now["as_of"] is None and then["as_of"] == yesterday()
    assert then["today"] == yesterday()
    # 李一's two items: today one is exempt; yesterday both counted, neither overdue yet.
    assert now["unit"]["rates"]["assigned"] == 1
    assert then["unit"]["rates"]["assigned"] == 2
    assert then["unit"]["rates"]["overdue"] == 0
    assert then["unit"]["rates"]["due_soon"] == 1
    listed = client.get("/api/v1/team/units/", {"plan": world.plan.pk, "as_of": yesterday()})
    assert listed.status_code == 200 and listed.json()["as_of"] == yesterday()


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "2999-01-01"])
def test_a_bad_or_future_day_is_a_400_with_a_message(world, client, value):
    client.force_login(world.manager)
    response = client.get("/api/v1/team/units/", {"plan": world.plan.pk, "as_of": value})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "YYYY-MM-DD" in detail or "过去某一天" in detail


def test_as_of_does_not_widen_the_scope(world, client):
    client.force_login(world.manager)
    other = world.org["LZ0201"]
    response = client.get(f"/api/v1/team/units/{other.pk}", {"as_of": yesterday()})
    assert response.status_code == 404
    page = client.get(reverse("lms:team_unit", args=[other.pk]), {"as_of": yesterday()})
    assert page.status_code == 404


def test_the_unit_page_as_of_keeps_the_day_and_offers_no_reminders(world, client):
    client.force_login(world.manager)
    unit = world.org["LZ0101"]
    url = reverse("lms:team_unit", args=[unit.pk])
    today_page = client.get(url, {"plan": world.plan.pk}).content.decode()
    page = client.get(url, {"plan": world.plan.pk, "as_of": yesterday()})
    text = page.content.decode()
    assert page.status_code == 200
    assert page.context["as_of"].isoformat() == yesterday()
    assert 'class="msg team-as-of"' in text and 'class="msg team-as-of"' not in today_page
    assert f"as_of={yesterday()}" in text  # the links keep the day
    # 王二 (东岗网点) is overdue today: reminders are offered now, not on a page as of a day.
    other = reverse("lms:team_unit", args=[world.org["LZ0102"].pk])
    now = client.get(other, {"plan": world.plan.pk}).content.decode()
    today = timezone.localdate().isoformat()
    then = client.get(other, {"plan": world.plan.pk, "as_of": today}).content.decode()
    assert "/remind/" in now and "/remind/" not in then
    person = client.get(
        reverse("lms:team_person", args=[world.people["000101"].pk]),
        {"plan": world.plan.pk, "as_of": yesterday()},
    )
    assert person.status_code == 200
    assert "team-assignment is-exempt" not in person.content.decode()
    assert person.context["counted"] == 2


def test_a_bad_day_on_a_page_says_so_and_shows_today(world, client):
    client.force_login(world.manager)
    page = client.get(reverse("lms:team"), {"plan": world.plan.pk, "as_of": "2026-13-01"})
    assert page.status_code == 200
    assert page.context["as_of"] is None
    text = page.content.decode()
    assert "msg-error" in text and "2026-13-01" in text
