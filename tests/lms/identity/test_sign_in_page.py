"""The login page and the settings: the bank's sign-in button when OIDC is configured, and nothing
at all (no backend, no button, no page, no library imported) when it is not."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from config.settings import identity
from lms.services.identity import providers
from tests.lms.identity.support import provider_environ, turn_on

ROOT = Path(__file__).resolve().parents[3]
LOGIN = "/accounts/login/"
DEFAULT_LABEL = "Sign in with the bank's unified identity"

# Starts the site as the web process would and reports what it loaded.
PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse
page = Client(SERVER_NAME="localhost").get("/accounts/login/")
try:
    start = Client(SERVER_NAME="localhost").get(reverse("lms_sso:oidc_login")).status_code
except NoReverseMatch:
    start = None
print(json.dumps({
    "backends": settings.AUTHENTICATION_BACKENDS,
    "button": 'class="btn btn-primary btn-block sign-in-service"' in page.content.decode(),
    "start": start,
    "loaded": sorted(m for m in ("mozilla_django_oidc", "django_auth_ldap", "ldap")
                     if m in sys.modules),
}))
"""


def probe(tmp_path, **environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LMS_OIDC_", "LMS_LDAP_", "LMS_SSO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path}/probe.sqlite3",
        **environ,
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_without_configuration_nothing_changes_and_no_library_is_loaded(tmp_path):
    found = probe(tmp_path)
    assert found == {
        "backends": ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"],
        "button": False,
        "start": None,
        "loaded": [],
    }


@pytest.mark.slow
def test_the_environment_turns_oidc_and_ldap_on(tmp_path):
    found = probe(
        tmp_path,
        LMS_OIDC_CLIENT_ID="cplms",
        LMS_OIDC_CLIENT_SECRET="secret",
        # Not fetched as the site starts: only when someone signs in.
        LMS_OIDC_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration",
        LMS_LDAP_SERVER_URI="ldap://127.0.0.1:9",
        LMS_LDAP_USER_SEARCH_BASE="ou=Staff,dc=bank,dc=example",
    )
    assert found["backends"] == [
        "axes.backends.AxesBackend",
        providers.OIDC_BACKEND,
        providers.LDAP_BACKEND,
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert found["button"] is True
    assert found["start"] == 302  # to the login page: the provider cannot be reached
    assert "mozilla_django_oidc" in found["loaded"]


def test_the_settings_and_the_service_agree_on_the_backends():
    assert identity.OIDC_BACKEND == providers.OIDC_BACKEND
    assert identity.LDAP_BACKEND == providers.LDAP_BACKEND


def test_half_a_configuration_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="LMS_OIDC_DISCOVERY_URL"):
        identity.oidc_settings({"LMS_OIDC_CLIENT_ID": "cplms"})
    with pytest.raises(ImproperlyConfigured, match="LMS_OIDC_JWKS_ENDPOINT"):
        identity.oidc_settings(
            {
                "LMS_OIDC_CLIENT_ID": "cplms",
                "LMS_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.bank.example/authorize",
                "LMS_OIDC_TOKEN_ENDPOINT": "https://sso.bank.example/token",
            }
        )
    with pytest.raises(ImproperlyConfigured, match="LMS_LDAP_USER_SEARCH_BASE"):
        identity.ldap_settings({"LMS_LDAP_SERVER_URI": "ldaps://ad.bank.example"})
    assert identity.identity_settings({}, ["a", "b"]) == {"AUTHENTICATION_BACKENDS": ["a", "b"]}


@pytest.mark.django_db
def test_the_login_page_offers_the_banks_sign_in_first(client, settings, oidc_provider):
    turn_on(settings, provider_environ(oidc_provider))
    html = client.get(LOGIN, {"next": "/learn/"}).content.decode()
    with translation.override("zh-hans"):
        label = escape(gettext(DEFAULT_LABEL))
    button = (
        '<a class="btn btn-primary btn-block sign-in-service" '
        f'href="/accounts/oidc/login/?next=%2Flearn%2F" data-provider="oidc">{label}</a>'
    )
    assert button in html
    # The password form stays, below the button.
    assert html.index(button) < html.index('name="password"')


@pytest.mark.django_db
def test_the_button_says_what_the_bank_calls_its_sign_in(client, settings, oidc_provider):
    turn_on(settings, provider_environ(oidc_provider, LMS_SSO_LOGIN_LABEL="工行通行证登录"))
    assert ">工行通行证登录</a>" in client.get(LOGIN).content.decode()


@pytest.mark.django_db
def test_an_unsafe_next_is_not_passed_to_the_button(client, settings, oidc_provider):
    turn_on(settings, provider_environ(oidc_provider))
    html = client.get(LOGIN, {"next": "https://evil.example/"}).content.decode()
    assert 'href="/accounts/oidc/login/"' in html
    assert "evil.example" not in html.split('data-provider="oidc"')[0].rsplit("<a", 1)[1]


@pytest.mark.django_db
def test_no_button_without_oidc(client):
    html = client.get(LOGIN).content.decode()
    assert "sign-in-service" not in html
    assert 'name="password"' in html


@pytest.mark.django_db
def test_a_locked_out_number_can_still_use_the_banks_sign_in(client, settings, oidc_provider):
    turn_on(settings, provider_environ(oidc_provider))
    for _attempt in range(6):
        response = client.post(LOGIN, {"username": "000123", "password": "wrong"})
    assert response.status_code == 429
    assert 'data-provider="oidc"' in response.content.decode()
