"""Signing in with the bank's OpenID Connect provider, through a real provider stand-in on a local
port: the site's button → the provider's authorize page → the callback → a session. The roster
decides who that is; refusals land on the login page with the reason."""

import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from lms.services.identity import SignInRefused, user_for_employee_number
from lms.services.identity.oidc import refused_invalid, refused_unavailable
from tests.factories import make_org, make_staff
from tests.lms.identity.support import provider_environ, turn_on

LOGIN = "/accounts/login/"
START = "/accounts/oidc/login/"
CALLBACK = "/accounts/oidc/callback/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def teller(db):
    return make_staff("000123", make_org()["LZ0101"], name="王芳")


def users():
    return get_user_model().objects.count()


def in_chinese(make):
    """What ``make()`` (a refusal or a text) says in the site's language, as the page shows it."""
    with translation.override("zh-hans"):
        made = make()
        return escape(made.message if isinstance(made, SignInRefused) else made)


def refusal_for(number):
    with pytest.raises(SignInRefused) as refused:
        user_for_employee_number(number)
    return refused.value


def to_provider(client, next_url=None):
    """Press the button: where the site sends the browser."""
    response = client.get(START, {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response.url


def sign_in(client, provider, next_url=None):
    """The whole round trip; the site's answer to the callback."""
    authorize = to_provider(client, next_url)
    assert authorize.startswith(f"{provider.url}/authorize?")
    answer = requests.get(authorize, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.path == CALLBACK
    return client.get(f"{back.path}?{back.query}")


def login_page_after(client, response):
    """The refused sign-in's redirect, followed: the login page's HTML."""
    assert response.status_code == 302
    assert urlsplit(response.url).path == LOGIN
    page = client.get(response.url)
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    return page.content.decode()


def test_the_roster_member_signs_in_as_their_own_account(client, oidc_on, teller):
    before = users()
    response = sign_in(client, oidc_on, next_url="/learn/")
    assert response.status_code == 302 and response.url == "/learn/"
    assert client.session["_auth_user_id"] == str(teller.user.pk)
    assert client.session["_auth_user_backend"] == "lms.services.identity.oidc.StaffOIDCBackend"
    assert users() == before
    # The whole flow ran: discovery, authorize, token, keys, userinfo.
    paths = [path for _method, path in oidc_on.requests]
    assert paths[0] == "/.well-known/openid-configuration"
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(paths)
    assert client.get("/learn/").status_code == 200


def test_the_request_to_the_provider_carries_state_nonce_and_pkce(client, oidc_on):
    query = parse_qs(urlsplit(to_provider(client)).query)
    assert query["client_id"] == [oidc_on.client_id]
    assert query["redirect_uri"] == [f"http://testserver{CALLBACK}"]
    assert query["scope"] == ["openid profile"]
    assert query["code_challenge_method"] == ["S256"]
    assert all(query[name][0] for name in ("state", "nonce", "code_challenge"))


def test_the_employee_number_claim_is_configurable_and_leading_zeros_count(
    client, settings, oidc_provider, teller
):
    turn_on(settings, provider_environ(oidc_provider, LMS_OIDC_EMPLOYEE_NUMBER_CLAIM="emp_no"))
    oidc_provider.person = {"sub": "u-1", "emp_no": "000123", "employee_number": "999"}
    sign_in(client, oidc_provider)
    assert client.session["_auth_user_id"] == str(teller.user.pk)

    other = Client()
    oidc_provider.person = {"sub": "u-2", "emp_no": "123"}  # not the same person as 000123
    html = login_page_after(other, sign_in(other, oidc_provider))
    assert in_chinese(lambda: refusal_for("123")) in html


def test_an_unknown_employee_number_is_refused_and_no_account_is_made(client, oidc_on, teller):
    oidc_on.person = {"sub": "u-9", "employee_number": "000999", "name": "陌生人"}
    before = users()
    html = login_page_after(client, sign_in(client, oidc_on))
    assert in_chinese(lambda: refusal_for("000999")) in html
    assert "000999" in html
    assert users() == before
    assert not get_user_model().objects.filter(username="000999").exists()


def test_a_claim_without_an_employee_number_is_refused(client, oidc_on, teller):
    oidc_on.person = {"sub": "u-1", "name": "王芳"}
    html = login_page_after(client, sign_in(client, oidc_on))
    assert in_chinese(lambda: refusal_for("")) in html


@pytest.mark.parametrize("leaves", ["staff profile", "account"])
def test_a_leaver_cannot_sign_in_whatever_the_provider_says(client, oidc_on, teller, leaves):
    if leaves == "staff profile":
        teller.is_active = False
        teller.save()
    else:
        teller.user.is_active = False
        teller.user.save()
    expected = in_chinese(lambda: refusal_for("000123"))
    html = login_page_after(client, sign_in(client, oidc_on))
    assert expected in html


def test_a_leaver_signed_in_before_leaving_is_signed_out(client, oidc_on, teller):
    sign_in(client, oidc_on)
    assert client.get("/learn/").status_code == 200
    teller.user.is_active = False
    teller.user.save()
    response = client.get("/learn/")
    assert response.status_code == 302 and urlsplit(response.url).path == LOGIN


@pytest.mark.parametrize(
    "tamper", ["signature", "payload", "audience", "issuer", "expired", "nonce", "userinfo_sub"]
)
def test_a_token_that_does_not_check_out_is_refused(client, oidc_on, teller, tamper):
    oidc_on.tamper = tamper
    before = users()
    html = login_page_after(client, sign_in(client, oidc_on))
    assert in_chinese(refused_invalid) in html
    assert users() == before


def test_a_callback_this_browser_did_not_start_is_refused(client, oidc_on, teller):
    # Someone else's callback link (a code for their session), replayed in this browser.
    victim = Client()
    authorize = to_provider(victim)
    back = urlsplit(requests.get(authorize, allow_redirects=False, timeout=5).headers["Location"])
    to_provider(client)  # this browser has a sign-in under way, with another state
    html = login_page_after(client, client.get(f"{back.path}?{back.query}"))
    assert in_chinese(refused_invalid) in html


def test_a_callback_used_twice_is_refused_the_second_time(client, oidc_on, teller):
    authorize = to_provider(client)
    back = urlsplit(requests.get(authorize, allow_redirects=False, timeout=5).headers["Location"])
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    assert client.session["_auth_user_id"] == str(teller.user.pk)
    again = client.get(f"{back.path}?{back.query}")
    html = login_page_after(client, again)
    assert in_chinese(refused_invalid) in html


def test_a_sign_in_cancelled_at_the_provider_lands_on_the_login_page(client, oidc_on):
    state = parse_qs(urlsplit(to_provider(client)).query)["state"][0]
    response = client.get(CALLBACK, {"error": "access_denied", "state": state})
    html = login_page_after(client, response)
    cancelled = "Signing in with the bank's identity did not finish. Please try again."
    assert in_chinese(lambda: gettext(cancelled)) in html


def test_a_provider_that_cannot_be_reached_gives_a_message_not_an_error(client, settings):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    turn_on(
        settings,
        {
            "LMS_OIDC_CLIENT_ID": "cplms",
            "LMS_OIDC_CLIENT_SECRET": "secret",
            "LMS_OIDC_DISCOVERY_URL": f"http://127.0.0.1:{port}/.well-known/openid-configuration",
            "LMS_OIDC_TIMEOUT": "2",
        },
    )
    html = login_page_after(client, client.get(START))
    assert in_chinese(refused_unavailable) in html


def test_endpoints_can_be_given_one_by_one_without_discovery(
    client, settings, oidc_provider, teller
):
    meta = oidc_provider.metadata()
    turn_on(
        settings,
        {
            "LMS_OIDC_CLIENT_ID": oidc_provider.client_id,
            "LMS_OIDC_CLIENT_SECRET": oidc_provider.client_secret,
            "LMS_OIDC_AUTHORIZATION_ENDPOINT": meta["authorization_endpoint"],
            "LMS_OIDC_TOKEN_ENDPOINT": meta["token_endpoint"],
            "LMS_OIDC_JWKS_ENDPOINT": meta["jwks_uri"],
            "LMS_OIDC_ISSUER": meta["issuer"],
        },
    )
    sign_in(client, oidc_provider)
    assert client.session["_auth_user_id"] == str(teller.user.pk)
    paths = {path for _method, path in oidc_provider.requests}
    # No userinfo endpoint given: the ID token's claims are enough.
    assert "/.well-known/openid-configuration" not in paths and "/userinfo" not in paths


def test_the_password_form_never_reaches_the_provider(client, oidc_on, teller):
    response = client.post(
        f"{LOGIN}?code=stolen&state=guess",
        {"username": "000123", "password": "wrong"},
    )
    assert response.status_code == 200
    assert not [path for _method, path in oidc_on.requests if path == "/token"]
