"""Login, lockout, idle sessions and the language switch."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture
def staff(db):
    return UserFactory(username="000123")


def login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_employee_number_with_leading_zeros_logs_in(client, staff):
    response = login(client, "000123", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


@pytest.mark.django_db
def test_wrong_password_gives_a_clear_chinese_message(client, staff):
    response = login(client, "000123", "wrong")
    assert response.status_code == 200
    html = response.content.decode()
    assert "工号或密码不正确" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_account_is_locked_after_repeated_failures_even_from_other_addresses(client, staff):
    for attempt in range(5):
        login(client, "000123", "wrong", ip=f"10.0.1.{attempt}")
    # The right password from yet another address is refused while the account is locked.
    response = login(Client(), "000123", PASSWORD, ip="10.0.2.1")
    assert response.status_code == 429
    assert "账户已被暂时锁定" in response.content.decode()


@pytest.mark.django_db
def test_failures_with_made_up_numbers_from_one_address_do_not_lock_the_real_user(client, staff):
    for number in range(5):
        assert login(client, f"99990{number}", "wrong", ip="10.0.3.3").status_code == 200
    assert login(Client(), "000123", PASSWORD, ip="10.0.3.3").status_code == 302


@pytest.mark.django_db
def test_failures_for_one_number_lock_that_number_only(client, staff):
    colleague = UserFactory(username="000456")
    for _ in range(5):
        login(client, "000123", "wrong", ip="10.0.3.5")
    assert login(Client(), "000123", PASSWORD, ip="10.0.3.5").status_code == 429
    other = Client()
    assert login(other, "000456", PASSWORD, ip="10.0.3.5").status_code == 302
    assert other.session["_auth_user_id"] == str(colleague.pk)


@pytest.mark.django_db
def test_an_address_trying_many_different_numbers_is_locked(client, staff):
    for number in range(20):
        login(client, f"9999{number:02d}", "wrong", ip="10.0.3.6")
    response = login(Client(), "000123", PASSWORD, ip="10.0.3.6")
    assert response.status_code == 429
    # Other addresses are not affected.
    assert login(Client(), "000123", PASSWORD, ip="10.0.3.7").status_code == 302


def login_via(client, username, password, forwarded_for, proxy="192.0.2.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_a_trusted_proxy_clients_are_counted_by_their_forwarded_address(
    client, staff, settings
):
    settings.LMS_TRUSTED_PROXIES = ["192.0.2.0/24"]
    for number in range(20):
        login_via(client, f"9999{number:02d}", "wrong", forwarded_for="203.0.113.5")
    assert login_via(Client(), "000123", PASSWORD, forwarded_for="203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert login_via(Client(), "000123", PASSWORD, forwarded_for="203.0.113.6").status_code == 302


@pytest.mark.django_db
def test_a_forwarded_address_from_an_untrusted_sender_is_ignored(client, staff, settings):
    settings.LMS_TRUSTED_PROXIES = []
    # Spoofing a new X-Forwarded-For on every try does not dodge the per-number lock ...
    for attempt in range(5):
        login_via(client, "000123", "wrong", forwarded_for=f"198.51.100.{attempt}")
    assert login_via(Client(), "000123", PASSWORD, forwarded_for="198.51.100.99").status_code == 429
    # ... nor the per-address lock: 20 numbers from one sender lock that sender.
    for number in range(20):
        login_via(client, f"9999{number:02d}", "wrong", forwarded_for=f"198.51.101.{number}")
    colleague = UserFactory(username="000456")
    assert login_via(Client(), colleague.username, PASSWORD, "198.51.102.1").status_code == 429


@pytest.mark.django_db
def test_the_lockout_page_says_in_minutes_when_to_try_again(client, staff):
    for _ in range(5):
        login(client, "000123", "wrong")
    response = login(Client(), "000123", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "请在 15 分钟后再试" in html
    # The login form is on the page, for when the time is up.
    assert 'name="username"' in html
    later = timezone.now() + timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        html = login(Client(), "000123", PASSWORD).content.decode()
    assert "请在 9 分钟后再试" in html


@pytest.mark.django_db
def test_a_lockout_answers_json_to_a_script(client, staff):
    for _ in range(5):
        login(client, "000123", "wrong")
    response = Client().post(
        LOGIN,
        {"username": "000123", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 429
    body = response.json()
    assert body["retry_after_minutes"] == 15
    assert "15 分钟" in body["detail"]
    assert response["Retry-After"] == "900"


@pytest.mark.django_db
def test_session_cookie_ends_with_the_browser(client, staff):
    response = login(client, "000123", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"]


@pytest.mark.django_db
def test_session_expires_after_30_idle_minutes_and_activity_extends_it(client, staff, course):
    login(client, "000123", PASSWORD)
    key = client.cookies["sessionid"].value
    first_expiry = Session.objects.get(session_key=key).expire_date
    assert timedelta(minutes=29) < first_expiry - timezone.now() <= timedelta(minutes=30)

    # Activity five minutes later pushes the expiry forward.
    later = timezone.now() + timedelta(minutes=5)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("lms.middleware.time.time", return_value=later.timestamp()),
    ):
        assert client.get(course.url).status_code == 200
    assert Session.objects.get(session_key=key).expire_date >= first_expiry + timedelta(minutes=4)

    # 31 idle minutes after that the session is gone: back to the login page.
    idle = later + timedelta(minutes=31)
    with mock.patch("django.utils.timezone.now", return_value=idle):
        response = client.get(course.url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_chinese_by_default_and_english_on_request(learner_client, course):
    html = learner_client.get(course.url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="zh-hans">' in html and "消保学堂" in html
    response = learner_client.post("/i18n/setlang/", {"language": "en", "next": course.url})
    assert response.status_code == 302
    html = learner_client.get(course.url).content.decode()
    assert '<html lang="en">' in html and "Consumer Protection Academy" in html
    learner_client.post("/i18n/setlang/", {"language": "zh-hans", "next": course.url})
    assert '<html lang="zh-hans">' in learner_client.get(course.url).content.decode()


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_session(learner_client, course):
    assert learner_client.get("/accounts/logout/").status_code == 405
    learner_client.post("/accounts/logout/")
    assert learner_client.get(course.url).status_code == 302


@pytest.mark.django_db
def test_a_leaver_cannot_log_in_with_a_local_password_even_if_the_account_was_left_active(client):
    """The roster marks a leaver inactive on the staff profile; an account left active by hand
    (or by a script) must not let them in with the password they had."""
    from tests.factories import make_org, make_staff

    staff = make_staff("000777", make_org()["LZ0102"])
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert staff.user.is_active

    response = login(client, "000777", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "已停用" in response.content.decode()
