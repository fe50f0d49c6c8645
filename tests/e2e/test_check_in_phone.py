"""Checking in to an offline session on a 360×740 phone: the officer's QR page gives a link,
the learner's phone opens it, logs in and checks in with one tap (Debian chromium)."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from lms import services
from lms.models import CheckIn, PlanItem
from tests.factories import (
    PASSWORD,
    UserFactory,
    ensure_wagtail_root,
    make_catalog,
    make_item,
    make_org,
    make_plan,
    make_session,
    make_staff,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_teller_scans_the_code_logs_in_and_checks_in(live_server, phone, artifacts):
    ensure_wagtail_root()
    roles = services.ensure_roles(make_catalog())
    org = make_org()
    plan = make_plan(timezone.localdate().year)
    item = make_item(plan, "投诉处理实务工作坊", kind=PlanItem.OFFLINE, everyone=True)
    teller = make_staff("000101", org["LZ0101"], name="王芳")
    services.publish_plan(plan)
    session = make_session(item, org["LZ01"], title="城关支行投诉处理实务工作坊")
    officer = UserFactory(username="officer")
    officer.groups.add(roles[1])

    # What the projector shows: the QR code of a check-in link.
    admin = Client()
    admin.force_login(officer)
    present = admin.get(f"/admin/training/sessions/present/{session.pk}/")
    assert present.status_code == 200 and "<svg" in present.content.decode()
    link = urlsplit(present.context["check_in_url"])

    phone.goto(f"{live_server.url}{link.path}?{link.query}")
    assert "/accounts/login/" in phone.url
    phone.fill("#id_username", teller.employee_no)
    phone.fill("#id_password", PASSWORD)
    phone.click("form button[type=submit]")
    phone.wait_for_url("**/learn/check-in/")
    assert "城关支行投诉处理实务工作坊" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("main form button[type=submit]")
    phone.wait_for_selector(".done-banner")
    assert CheckIn.objects.filter(session=session, staff=teller).count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts / "e2e-check-in-360x740.png"), full_page=True)
