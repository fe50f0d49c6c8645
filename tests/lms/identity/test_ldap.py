"""Signing in through the login form against the bank's directory (LDAP / Active Directory), a
real slapd: the directory checks the password, the roster decides who that is (by the entry's
employeeNumber), nobody is created, leavers are refused with the reason."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from lms.services.identity import SignInRefused, user_for_employee_number
from tests.factories import PASSWORD, UserFactory, make_org, make_staff
from tests.lms.identity.support import directory_environ, turn_on

LOGIN = "/accounts/login/"
BACKEND = "lms.services.identity.ldap.StaffLDAPBackend"
WRONG = "工号或密码不正确"

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(db):
    org = make_org()
    return {
        "teller": make_staff("000123", org["LZ0101"], name="王芳"),
        "leaver": make_staff("000200", org["LZ0102"], name="李强"),
    }


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def users():
    return get_user_model().objects.count()


def refusal_html(number):
    with translation.override("zh-hans"), pytest.raises(SignInRefused) as refused:
        user_for_employee_number(number)
    return escape(refused.value.message)


def test_the_directory_password_signs_in_the_roster_member(client, ldap_on, roster):
    teller = roster["teller"].user
    teller.set_unusable_password()  # the roster's account has no password of its own here
    teller.save()
    before = users()
    response = log_in(client, "000123", "ad-Pass-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(teller.pk)
    assert client.session["_auth_user_backend"] == BACKEND
    assert users() == before
    # The directory changed nothing in the account: the roster is the source of truth.
    teller.refresh_from_db()
    assert teller.first_name == "小明" and not teller.has_usable_password()
    assert client.get("/learn/").status_code == 200


def test_an_ad_that_signs_in_by_login_name_still_matches_by_employee_number(
    client, settings, directory, roster
):
    turn_on(settings, directory_environ(directory, LMS_LDAP_USER_SEARCH_FILTER="(uid=%(user)s)"))
    response = log_in(client, "wangfang", "ad-Pass-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(roster["teller"].user.pk)
    assert not get_user_model().objects.filter(username="wangfang").exists()


def test_a_wrong_password_is_refused(client, ldap_on, roster):
    response = log_in(client, "000123", "ad-Pass-wrong")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_someone_the_directory_knows_but_the_roster_does_not_is_refused(client, ldap_on, roster):
    before = users()
    response = log_in(client, "000999", "ad-Pass-999")
    assert response.status_code == 200
    assert refusal_html("000999") in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert users() == before


def test_an_entry_without_an_employee_number_is_refused(client, settings, directory, roster):
    turn_on(settings, directory_environ(directory, LMS_LDAP_USER_SEARCH_FILTER="(uid=%(user)s)"))
    response = log_in(client, "nonumber", "ad-Pass-000")
    assert refusal_html("") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_nobody_the_directory_does_not_know_gets_in(client, ldap_on, roster):
    before = users()
    response = log_in(client, "000777", "anything")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert users() == before


def test_the_roster_is_only_told_after_the_directory_accepted_the_password(client, ldap_on, roster):
    # A stranger guessing numbers learns nothing about the roster.
    response = log_in(client, "000999", "not-the-password")
    assert WRONG in response.content.decode()
    assert refusal_html("000999") not in response.content.decode()


@pytest.mark.parametrize("leaves", ["staff profile", "account"])
def test_a_leaver_is_refused_even_with_the_right_directory_password(
    client, ldap_on, roster, leaves
):
    leaver = roster["leaver"]
    if leaves == "staff profile":
        leaver.is_active = False
        leaver.save()
    else:
        leaver.user.is_active = False
        leaver.user.save()
    before = users()
    response = log_in(client, "000200", "ad-Pass-200")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert refusal_html("000200") in response.content.decode()
    assert users() == before


def test_a_leaver_signed_in_before_leaving_is_signed_out(client, ldap_on, roster):
    assert log_in(client, "000123", "ad-Pass-123").status_code == 302
    user = roster["teller"].user
    user.is_active = False
    user.save()
    assert client.get("/learn/").status_code == 302


def test_a_directory_that_cannot_be_reached_says_so_and_local_accounts_still_work(
    client, settings, directory, roster
):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    turn_on(
        settings,
        directory_environ(directory, LMS_LDAP_SERVER_URI=f"ldap://127.0.0.1:{port}"),
    )
    response = log_in(client, "000123", "ad-Pass-123")
    assert response.status_code == 200
    with translation.override("zh-hans"):
        unreachable = gettext(
            "The bank's directory cannot be reached just now, so your password could not be "
            "checked. Please try again in a few minutes."
        )
    assert escape(unreachable) in response.content.decode()
    # The site's own administrator (a local account) is not locked out by the outage.
    UserFactory(username="admin")
    assert log_in(client, "admin", PASSWORD).status_code == 302
