"""企业微信 sign-in through a fake WeCom server: the OAuth round trip, its failures, the token
cache and the login page's button and in-app redirect."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from lms.models import WeComIdentity
from tests.factories import make_org, make_staff
from tests.lms.identity.wecom_fake import AGENT_ID, CORP_ID

pytestmark = pytest.mark.django_db

START = "/accounts/wecom/"
CALLBACK = "/accounts/wecom/callback/"
WXWORK_UA = (
    "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Mobile Safari/537.36 "
    "wxwork/4.1.16 MicroMessenger/7.0.1 Language/zh"
)


@pytest.fixture
def roster(db):
    org = make_org()
    return {
        "000101": make_staff("000101", org["LZ0101"], name="张三"),
        "000102": make_staff("000102", org["LZ0102"], name="李四"),
    }


def zh(msgid):
    """``msgid`` as the (Chinese) site shows it, whether or not its catalog has it yet."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def start(client, next_url=""):
    """Begin the sign-in; returns WeCom's authorize URL's query."""
    response = client.get(START + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/connect/oauth2/authorize"
    assert location.fragment == "wechat_redirect"
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def test_the_roster_person_is_signed_in_and_no_account_is_made(client, fake_wecom, roster):
    users = get_user_model().objects.count()
    query = start(client, "/learn/notifications/")
    assert query["appid"] == CORP_ID and query["agentid"] == AGENT_ID
    assert query["scope"] == "snsapi_base" and query["response_type"] == "code"
    assert query["redirect_uri"] == "http://testserver/accounts/wecom/callback/"
    code = fake_wecom.code_for("000101")
    response = client.get(CALLBACK, {"code": code, "state": query["state"]})
    assert response.status_code == 302 and response["Location"] == "/learn/notifications/"
    assert client.session["_auth_user_id"] == str(roster["000101"].user.pk)
    assert get_user_model().objects.count() == users
    assert WeComIdentity.objects.get(user=roster["000101"].user).userid == "000101"
    [userinfo] = fake_wecom.called("/cgi-bin/auth/getuserinfo")
    assert userinfo[2]["code"] == code


def test_an_invalid_code_is_refused_with_a_message(client, fake_wecom, roster):
    query = start(client)
    response = client.get(CALLBACK, {"code": "not-a-code", "state": query["state"]})
    assert response.status_code == 400
    assert zh("WeCom did not confirm who you are. Please try again.") in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The password form on that page still logs in (it posts to the login page).
    assert 'action="/accounts/login/"' in response.content.decode()


def test_a_bad_or_replayed_state_is_refused(client, fake_wecom, roster):
    query = start(client)
    code = fake_wecom.code_for("000101")
    response = client.get(CALLBACK, {"code": code, "state": query["state"] + "x"})
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    # The state is single use: the right one after a wrong one is refused too.
    response = client.get(CALLBACK, {"code": code, "state": query["state"]})
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    # A callback in another browser (no state in its session) is refused.
    response = Client().get(CALLBACK, {"code": code, "state": query["state"]})
    assert response.status_code == 400
    assert not fake_wecom.called("/cgi-bin/auth/getuserinfo")


def test_an_unknown_userid_is_refused_without_making_an_account(client, fake_wecom, roster):
    users = get_user_model().objects.count()
    query = start(client)
    response = client.get(
        CALLBACK, {"code": fake_wecom.code_for("zhangsan-x"), "state": query["state"]}
    )
    assert response.status_code == 403
    assert (
        zh(
            "Employee number %(number)s is not in the staff roster. Ask your training officer to "
            "add you."
        )
        % {"number": "zhangsan-x"}
        in response.content.decode()
    )
    assert get_user_model().objects.count() == users and "_auth_user_id" not in client.session


def test_someone_outside_the_enterprise_is_refused(client, fake_wecom, roster):
    query = start(client)
    response = client.get(CALLBACK, {"code": fake_wecom.code_for(""), "state": query["state"]})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_a_leaver_is_refused(client, fake_wecom, roster):
    leaver = roster["000102"]
    leaver.is_active = False
    leaver.save()
    query = start(client)
    response = client.get(
        CALLBACK, {"code": fake_wecom.code_for("000102"), "state": query["state"]}
    )
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_the_token_is_fetched_once_for_two_sign_ins(fake_wecom, roster):
    for number in ("000101", "000102"):
        client = Client()
        query = start(client)
        client.get(CALLBACK, {"code": fake_wecom.code_for(number), "state": query["state"]})
        assert client.session["_auth_user_id"] == str(roster[number].user.pk)
    assert len(fake_wecom.called("/cgi-bin/gettoken")) == 1
    assert len(fake_wecom.called("/cgi-bin/auth/getuserinfo")) == 2


def test_an_expired_token_is_replaced_and_the_call_retried(client, fake_wecom, roster):
    start(Client())  # nothing fetched yet: the token comes with the first API call
    query = start(client)
    client.get(CALLBACK, {"code": fake_wecom.code_for("000101"), "state": query["state"]})
    fake_wecom.expire_tokens()
    other = Client()
    query = start(other)
    other.get(CALLBACK, {"code": fake_wecom.code_for("000102"), "state": query["state"]})
    assert other.session["_auth_user_id"] == str(roster["000102"].user.pk)
    assert len(fake_wecom.called("/cgi-bin/gettoken")) == 2


def test_the_employee_number_can_come_from_a_member_field(client, fake_wecom, roster, settings):
    settings.LMS_WECOM_EMPLOYEE_NUMBER_FIELD = "extattr:工号"
    fake_wecom.add_member(
        "zhangsan",
        extattr={"attrs": [{"type": 0, "name": "工号", "text": {"value": "000101"}}]},
    )
    query = start(client)
    client.get(CALLBACK, {"code": fake_wecom.code_for("zhangsan"), "state": query["state"]})
    assert client.session["_auth_user_id"] == str(roster["000101"].user.pk)
    assert WeComIdentity.objects.get(user=roster["000101"].user).userid == "zhangsan"
    settings.LMS_WECOM_EMPLOYEE_NUMBER_FIELD = "alias"
    fake_wecom.add_member("lisi", alias="000102")
    other = Client()
    query = start(other)
    other.get(CALLBACK, {"code": fake_wecom.code_for("lisi"), "state": query["state"]})
    assert other.session["_auth_user_id"] == str(roster["000102"].user.pk)


def test_wecom_out_of_reach_is_a_503_with_a_message(client, fake_wecom, roster, settings):
    query = start(client)
    settings.LMS_WECOM_API_BASE = "http://127.0.0.1:9"  # nothing listens
    response = client.get(CALLBACK, {"code": "x", "state": query["state"]})
    assert (
        response.status_code == 503
        and zh("WeCom cannot be reached right now. Please try again later.")
        in response.content.decode()
    )


def test_without_configuration_there_is_no_button_and_no_route(client, roster):
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404
    page = client.get("/accounts/login/", HTTP_USER_AGENT=WXWORK_UA)
    assert page.status_code == 200 and zh("Log in with WeCom") not in page.content.decode()


def test_the_login_page_offers_wecom_and_goes_there_inside_wecom(client, fake_wecom, roster):
    page = client.get("/accounts/login/?next=/learn/")
    assert page.status_code == 200 and zh("Log in with WeCom") in page.content.decode()
    assert zh("First-login activation") in page.content.decode()
    inside = client.get("/accounts/login/?next=/learn/", HTTP_USER_AGENT=WXWORK_UA)
    assert inside.status_code == 302 and inside["Location"] == "/accounts/wecom/?next=%2Flearn%2F"
    local = client.get("/accounts/login/?local=1", HTTP_USER_AGENT=WXWORK_UA)
    assert local.status_code == 200


def test_an_offsite_next_is_dropped(client, fake_wecom, roster):
    query = start(client, "https://evil.example/")
    response = client.get(
        CALLBACK, {"code": fake_wecom.code_for("000101"), "state": query["state"]}
    )
    assert response.status_code == 302 and response["Location"] == "/learn/"
