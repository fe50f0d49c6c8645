"""``GET /api/v1/team/complaints``: the loops of my units as the phone page shows them —
counts, months, overdue first; scoped; 403 for a learner; a bad filter is a 422 saying which."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.models import Assignment
from lms.services.complaints.targeting import apply_rules
from tests.factories import UserFactory
from tests.lms.complaints_support import build_world, complaint
from tests.lms.compliance_support import complete

pytestmark = pytest.mark.django_db
URL = "/api/v1/team/complaints"


@pytest.fixture
def world(catalog):
    world = build_world(catalog)
    world["officer"] = UserFactory(username="officer", is_superuser=True)
    world["people"]["H"].managed_units.add(world["org"]["LZ0101"])
    rows = [
        complaint(world, "A-DONE", staff=("T2",)),
        complaint(world, "A-LATE", staff=("T1",)),
        complaint(world, "A-EAST", staff=("T3",), unit="LZ0102"),
        complaint(world, "A-NONE", reason="C.1", business="B.1"),
    ]
    apply_rules(rows)
    complete(world["people"]["T2"], world["course"], timezone.now())
    Assignment.objects.filter(staff=world["people"]["T1"]).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    return world


def test_the_officer_gets_every_loop_overdue_first(client, world):
    client.force_login(world["officer"])
    body = client.get(URL).json()
    assert [loop["number"] for loop in body["loops"]] == ["A-LATE", "A-EAST", "A-NONE", "A-DONE"]
    assert body["counts"] == {"overdue": 1, "in_progress": 1, "none": 1, "closed": 1}
    done = body["loops"][-1]
    assert (done["state"], done["done"], done["total"]) == ("closed", 1, 1)
    assert done["rectified_on"] == timezone.localdate().isoformat()
    month = timezone.localdate().month
    reasons = {row["code"]: row["months"] for row in body["by_month"]}
    assert reasons["C.5"][month - 1] == 3 and reasons["C.1"][month - 1] == 1
    overdue = client.get(URL, {"state": "overdue"}).json()
    assert [loop["number"] for loop in overdue["loops"]] == ["A-LATE"]


def test_a_manager_gets_their_units_and_a_learner_nothing(client, world):
    client.force_login(world["people"]["H"].user)
    body = client.get(URL).json()
    assert {loop["number"] for loop in body["loops"]} == {"A-LATE", "A-DONE", "A-NONE"}
    bad = client.get(URL, {"state": "nonsense"})
    assert bad.status_code == 422 and "state" in bad.json()["detail"]
    client.force_login(world["people"]["T1"].user)
    assert client.get(URL).status_code == 403
