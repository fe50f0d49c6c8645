"""The admin's people, unit and record listings follow the scope, not only the group
permissions: a bank that lets outlet heads see their staff, units and records in the training
menu gives them their own units' rows, and another unit's row by id is a 404 (officers see all)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from lms.models import OrgUnit
from lms.services.roles import MANAGERS
from tests.lms.report_world import build_world

pytestmark = pytest.mark.django_db

GRANTED = [
    "view_staffprofile",
    "change_staffprofile",
    "view_orgunit",
    "change_orgunit",
    "view_completionrecord",
]


@pytest.fixture
def world(catalog):
    world = build_world(catalog)
    Group.objects.get(name=MANAGERS).permissions.add(
        *Permission.objects.filter(content_type__app_label="lms_core", codename__in=GRANTED)
    )
    return world


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_manager_lists_and_opens_only_their_own_units_people(client, world):
    client.force_login(world.users["manager"])
    page = html(client, reverse("lms_staffprofile:index"))
    assert "王晓燕" in page and "张建国" in page
    assert "孙六" not in page and "赵敏" not in page and "李四" not in page
    mine, theirs = world.staff["teller"], world.staff["200101"]
    assert client.get(reverse("lms_staffprofile:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("lms_staffprofile:edit", args=[theirs.pk])).status_code == 404
    before = (theirs.name, theirs.org_unit_id)
    client.post(reverse("lms_staffprofile:edit", args=[theirs.pk]), {"name": "改名"})
    theirs.refresh_from_db()
    assert (theirs.name, theirs.org_unit_id) == before


def test_a_manager_lists_and_opens_only_their_own_units(client, world):
    client.force_login(world.users["manager"])
    page = html(client, reverse("lms_orgunit:index"))
    assert "城关营业部" in page
    assert "西站网点" not in page and "七里河支行" not in page
    outlet, other = OrgUnit.objects.get(code="LZ0101"), OrgUnit.objects.get(code="LZ0201")
    assert client.get(reverse("lms_orgunit:edit", args=[outlet.pk])).status_code == 200
    assert client.get(reverse("lms_orgunit:edit", args=[other.pk])).status_code == 404


def test_a_manager_lists_and_inspects_only_records_credited_to_their_units(client, world):
    client.force_login(world.users["manager"])
    page = html(client, reverse("lms_completionrecord:index"))
    assert "王晓燕" in page and "孙六" not in page
    mine, theirs = world.records["teller"], world.records["200101"]
    assert client.get(reverse("lms_completionrecord:inspect", args=[mine.pk])).status_code == 200
    assert client.get(reverse("lms_completionrecord:inspect", args=[theirs.pk])).status_code == 404


def test_the_officer_sees_every_unit_person_and_record(client, world):
    client.force_login(world.users["officer"])
    staff = html(client, reverse("lms_staffprofile:index"))
    assert all(name in staff for name in ("王晓燕", "孙六", "赵敏"))
    assert "西站网点" in html(client, reverse("lms_orgunit:index"))
    theirs = world.records["200101"]
    assert client.get(reverse("lms_completionrecord:inspect", args=[theirs.pk])).status_code == 200
