"""The complaint loop on a 360×740 phone (Debian chromium): a teller sees the targeted training a
complaint caused, with the reason and nothing of the complaint itself; the officer opens the
loop list, the complaint and a unit's before/after table, all without sideways scrolling."""

import pytest
from django.utils import timezone

from config.demo.complaints import ensure_rules, ensure_targeted
from config.demo.loader import load_demo
from lms.models import Complaint, OrgUnit, StaffProfile
from lms.services.complaints.targeting import apply_rules
from quizzes.models import ClassificationCode
from tests.e2e.pages import fits_phone, log_in
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_teller_and_the_officer_follow_a_complaint_on_the_phone(live_server, phone, artifacts):
    ensure_wagtail_root()
    demo = load_demo(simulate=False)
    officer = demo["users"]["officer"]
    items = ensure_targeted(demo["plan"], demo["courses"])
    ensure_rules(items, officer)
    codes = {c.code: c for c in ClassificationCode.objects.all()}
    teller = StaffProfile.objects.get(employee_no="teller")
    complaint = Complaint.objects.create(
        number="TS-E2E-0001",
        received_on=timezone.localdate(),
        channel=codes["A.1.1"],
        business=codes["B.5"],
        reason=codes["C.5"],
        org_unit=teller.org_unit,
        summary="客户反映购买理财时未被告知赎回费用。",
        source=Complaint.IMPORT,
    )
    complaint.staff.set([teller])
    assert apply_rules([complaint]).assigned == 1

    log_in(phone, live_server, username="teller")
    card = phone.locator("li.learn-item", has_text="针对性培训：销售过程中的告知与适当性")
    assert card.count() == 1
    assert "信息披露" in card.inner_text() and "TS-E2E-0001" not in phone.content()
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-targeted-360x740.png"), full_page=True)

    log_in(phone, live_server, username="officer")
    phone.click("a[href='/learn/team/complaints/']")
    phone.wait_for_url("**/learn/team/complaints/")
    assert fits_phone(phone)
    row = phone.locator(f"[data-complaint='{complaint.pk}']")
    assert "整改培训进行中" in row.inner_text()
    phone.screenshot(path=str(artifacts / "e2e-complaints-360x740.png"), full_page=True)
    row.locator("a").click()
    phone.wait_for_url(f"**/learn/team/complaints/{complaint.pk}/")
    assert fits_phone(phone)
    assert "针对性培训：销售过程中的告知与适当性" in phone.content()
    outlet = OrgUnit.objects.get(code="LZ0101")
    phone.goto(f"{live_server.url}/learn/team/complaints/units/{outlet.pk}/")
    assert fits_phone(phone)
    assert phone.locator("[data-reason='C.5']").count() == 1
    phone.screenshot(path=str(artifacts / "e2e-complaints-unit-360x740.png"), full_page=True)
