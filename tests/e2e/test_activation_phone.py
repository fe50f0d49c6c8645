"""First-login activation on a 360×740 phone: from the login page to 首次登录激活, the code from
the officer's slip, a new password, and the learner home. And 企业微信 sign-in in WeCom's in-app
browser, through the fake WeCom server (its authorize page returns straight with a code)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from lms import services
from tests.e2e.pages import fits_phone
from tests.factories import UserFactory, ensure_wagtail_root, make_catalog, make_org, make_staff
from tests.lms.identity.wecom_fake import AGENT_ID, CORP_ID, SECRET, FakeWeCom

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WXWORK_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2217A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh_CN"
)


def test_a_teller_activates_with_the_code_on_her_slip(live_server, phone, artifacts):
    ensure_wagtail_root()
    roles = services.ensure_roles(make_catalog())
    org = make_org()
    teller = make_staff("000101", org["LZ0101"], name="王芳")
    teller.user.set_unusable_password()
    teller.user.save()
    officer = UserFactory(username="officer")
    officer.groups.add(roles[1])

    admin = Client()
    admin.force_login(officer)
    slips = admin.post("/admin/activation-codes/", {"unit": org["LZ01"].pk, "scope": "all"})
    [code] = re.findall(r"data-code>([A-Z0-9-]+)<", slips.content.decode())

    phone.goto(f"{live_server.url}/accounts/login/")
    assert fits_phone(phone)
    phone.click("a[href='/accounts/activate/']")
    phone.wait_for_url("**/accounts/activate/")
    assert fits_phone(phone)
    phone.fill("#id_employee_no", "000101")
    phone.fill("#id_code", code.lower().replace("-", " "))
    phone.fill("#id_new_password1", "Gansu-Teller-2026")
    phone.fill("#id_new_password2", "Gansu-Teller-2026")
    phone.screenshot(path=str(artifacts / "e2e-activation-360x740.png"), full_page=True)
    phone.click("main form button[type=submit]")
    phone.wait_for_url("**/learn/")
    assert fits_phone(phone)
    teller.user.refresh_from_db()
    assert teller.user.check_password("Gansu-Teller-2026")

    # The slip's code is spent: a second try is refused with a message, on the phone too.
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/accounts/activate/")
    phone.fill("#id_employee_no", "000101")
    phone.fill("#id_code", code)
    phone.fill("#id_new_password1", "Another-Pass-2026")
    phone.fill("#id_new_password2", "Another-Pass-2026")
    phone.click("main form button[type=submit]")
    phone.wait_for_selector(".form-error")
    assert fits_phone(phone)


@pytest.fixture
def wecom_browser(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        user_agent=WXWORK_UA,
    )
    yield context.new_page()
    context.close()


def test_wecom_workbench_signs_the_teller_in(live_server, wecom_browser, settings):
    fake = FakeWeCom().start()
    settings.LMS_WECOM_CORP_ID = CORP_ID
    settings.LMS_WECOM_AGENT_ID = AGENT_ID
    settings.LMS_WECOM_SECRET = SECRET
    settings.LMS_WECOM_API_BASE = fake.url
    settings.LMS_WECOM_OAUTH_BASE = fake.url
    cache.clear()
    try:
        ensure_wagtail_root()
        org = make_org()
        make_staff("000101", org["LZ0101"], name="王芳")
        fake.signed_in_userid = "000101"
        wecom_browser.goto(f"{live_server.url}/accounts/login/?next=/learn/")
        # The browser keeps WeCom's "#wechat_redirect" fragment across the redirects back.
        wecom_browser.wait_for_url(re.compile(r"/learn/(#wechat_redirect)?$"))
        assert fits_phone(wecom_browser)
        assert len(fake.called("/connect/oauth2/authorize")) == 1
        assert len(fake.called("/cgi-bin/auth/getuserinfo")) == 1
    finally:
        fake.stop()
        cache.clear()
