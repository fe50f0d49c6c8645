"""The complaint loop in the admin (Reports menu): the officer's loops overdue first with the
counts and months; a manager's units only; a unit's before/after table; trainers refused."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from lms.models import Assignment
from lms.services.complaints.targeting import apply_rules
from lms.services.roles import MANAGERS, ensure_roles
from tests.factories import UserFactory
from tests.lms.complaints_support import build_world, complaint
from tests.lms.compliance_support import complete

pytestmark = pytest.mark.django_db
URL = "lms_complaint_loop:index"


@pytest.fixture
def world(catalog):
    world = build_world(catalog)
    trainers, officers, _workflow = ensure_roles(catalog)
    world["officer"] = UserFactory(username="officer")
    world["officer"].groups.add(officers)
    world["trainer"] = UserFactory(username="trainer")
    world["trainer"].groups.add(trainers)
    head = world["people"]["H"]
    head.managed_units.add(world["org"]["LZ0101"])
    head.user.groups.add(Group.objects.get(name=MANAGERS))
    rows = [
        complaint(world, "M-DONE", staff=("T2",)),
        complaint(world, "M-LATE", staff=("T1",)),
        complaint(world, "M-EAST", staff=("T3",), unit="LZ0102"),
    ]
    apply_rules(rows)
    complete(world["people"]["T2"], world["course"], timezone.now())
    Assignment.objects.filter(staff=world["people"]["T1"]).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    return world


def listed(response):
    return [row.number for row in response.context["rows"]]


def test_the_officer_sees_the_loops_overdue_first(client, world):
    client.force_login(world["officer"])
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert listed(response) == ["M-LATE", "M-EAST", "M-DONE"]
    assert response.context["counts"]["closed"] == 1
    unit = world["org"]["LZ0101"]
    response = client.get(reverse(URL), {"unit": unit.pk})
    assert listed(response) == ["M-LATE", "M-DONE"]
    assert [m.reason.code for m in response.context["mapped"]] == ["C.5"]
    assert "data-complaint-mapped" in response.content.decode()


def test_a_manager_sees_their_units_and_a_trainer_nothing(client, world):
    client.force_login(world["people"]["H"].user)
    response = client.get(reverse(URL))
    assert set(listed(response)) == {"M-LATE", "M-DONE"}
    east = world["org"]["LZ0102"]
    assert client.get(reverse(URL), {"unit": east.pk}).status_code == 404
    client.force_login(world["trainer"])
    response = client.get(reverse(URL))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
