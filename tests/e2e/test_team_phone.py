"""An outlet head checks their team on a 360×740 phone (Debian chromium): 我的学习 → 团队进度 →
the overdue people of their outlet, without horizontal scrolling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.demo.loader import DEMO_PASSWORD, load_demo
from lms.models import Assignment, OrgUnit
from tests.e2e.pages import fits_phone
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_manager_finds_the_overdue_people_of_their_outlet(live_server, phone, artifacts):
    ensure_wagtail_root()
    load_demo(simulate=False)  # the simulated year takes minutes; an overdue item is made below
    outlet = OrgUnit.objects.get(code="LZ0101")
    # Before anything for everyone is past due (the first half of the year) the demo has nobody
    # overdue yet: a colleague's open item falls due yesterday, whatever the date.
    yesterday = timezone.localdate() - timedelta(days=1)
    late = (
        Assignment.objects.filter(org_unit=outlet, status=Assignment.OPEN)
        .exclude(staff__employee_no="manager")
        .order_by("pk")
        .first()
    )
    Assignment.objects.filter(pk=late.pk).update(due_date=min(late.due_date, yesterday))
    phone.goto(f"{live_server.url}/learn/")
    phone.fill("#id_username", "manager")
    phone.fill("#id_password", DEMO_PASSWORD)
    phone.click("form button[type=submit]")
    phone.wait_for_url("**/learn/")

    phone.click("a[href='/learn/team/']")  # 团队进度 (tap 1)
    phone.wait_for_url("**/learn/team/")
    assert fits_phone(phone)
    assert phone.locator(f"[data-unit='{outlet.pk}']").count() == 1
    assert phone.locator("[data-unit]").count() == 1  # their outlet only
    phone.screenshot(path=str(artifacts / "e2e-team-360x740.png"), full_page=True)

    phone.click(f"[data-unit='{outlet.pk}'] a.team-unit-name")
    phone.wait_for_url(f"**/learn/team/units/{outlet.pk}/**")
    assert fits_phone(phone)
    shown = int(phone.locator("a.team-overdue-filter .team-count").inner_text())
    phone.click("a.team-overdue-filter")  # the overdue people (tap 2 from the unit)
    phone.wait_for_url("**status=overdue**")
    people = phone.locator("li.team-person")
    assert people.count() >= 1
    assert phone.locator("li.team-person.is-overdue").count() == people.count()
    # The link's number is the people listed, and the tap lands on the list.
    assert people.count() == shown
    assert phone.url.endswith("#people")
    top = phone.locator("#people").evaluate("e => e.getBoundingClientRect().top")
    assert -2 <= top < 740  # scrolled to the list (sub-pixel rounding aside)
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-team-overdue-360x740.png"), full_page=True)

    people.first.locator("a").click()
    phone.wait_for_url("**/learn/team/people/**")
    assert phone.locator(".team-assignment.is-overdue").count() >= 1
    assert fits_phone(phone)
