"""Signing in with the bank's identity on a 360×740 phone (Debian chromium): the login page's
button → the bank's sign-in page (the test's OIDC provider, one tap on 同意) → 我的学习, signed
in as the roster's account; a stranger lands back on the login page with the reason."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from tests.e2e.pages import fits_phone
from tests.factories import ensure_wagtail_root, make_org, make_staff
from tests.lms.identity.oidc_provider import OIDCProvider
from tests.lms.identity.support import provider_environ, turn_on

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings):
    with OIDCProvider() as provider:
        provider.auto_approve = False  # the bank's page asks for one tap
        turn_on(settings, provider_environ(provider))
        yield provider


def signed_in_user_ids():
    return {session.get_decoded().get("_auth_user_id") for session in Session.objects.all()} - {
        None
    }


def test_a_teller_signs_in_with_the_banks_identity(live_server, phone, provider, artifacts):
    ensure_wagtail_root()
    teller = make_staff("000123", make_org()["LZ0101"], name="王芳")
    provider.person = {"sub": "bank-u-1", "employee_number": "000123", "name": "王芳"}
    users = get_user_model().objects.count()

    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/learn/")
    assert "/accounts/login/" in phone.url
    button = phone.locator("a.sign-in-service[data-provider=oidc]")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] <= 360
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-sso-login-360x740.png"), full_page=True)

    button.click()
    phone.wait_for_url(f"{provider.url}/authorize**")
    assert "王芳" in phone.locator("body").inner_text()
    phone.get_by_role("button", name="同意").click()
    phone.wait_for_url("**/learn/")
    assert phone.locator("main").is_visible()
    assert signed_in_user_ids() == {str(teller.user.pk)}
    assert get_user_model().objects.count() == users
    assert fits_phone(phone)


def test_a_stranger_lands_back_on_the_login_page_with_the_reason(
    live_server, phone, provider, artifacts
):
    ensure_wagtail_root()
    make_staff("000123", make_org()["LZ0101"], name="王芳")
    provider.person = {"sub": "bank-u-9", "employee_number": "000999", "name": "陌生人"}
    users = get_user_model().objects.count()

    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.click("a.sign-in-service")
    phone.wait_for_url(f"{provider.url}/authorize**")
    phone.get_by_role("button", name="同意").click()
    phone.wait_for_url("**/accounts/login/**")
    message = phone.locator(".msg-error")
    assert "000999" in message.inner_text()
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-sso-refused-360x740.png"), full_page=True)
    assert signed_in_user_ids() == set()
    assert get_user_model().objects.count() == users
