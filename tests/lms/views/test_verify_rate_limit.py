"""The public certificate check is rate-limited per client address (``LMS_VERIFY_RATE_LIMIT``):
nobody can walk the code space, and the address is the trusted-proxy aware one, so a made-up
``X-Forwarded-For`` neither dodges the limit nor locks another address."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from lms.services.rate_limit import parse_rate

pytestmark = pytest.mark.django_db

CODE = "ABCDEFGHJKMN"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def check(client, code=CODE, address="203.0.113.7", **headers):
    return client.get(reverse("lms:verify", args=[code]), REMOTE_ADDR=address, **headers)


@override_settings(LMS_VERIFY_RATE_LIMIT="3/10m")
def test_checks_over_the_limit_get_429_with_retry_after(client):
    assert [check(client).status_code for _ in range(3)] == [404, 404, 404]
    response = check(client)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "证书核验次数过多" in response.content.decode()  # in Chinese, the site's language
    # The form itself still opens; another address is not affected.
    assert client.get(reverse("lms:verify_form"), REMOTE_ADDR="203.0.113.7").status_code == 200
    assert check(client, address="203.0.113.8").status_code == 404


@override_settings(LMS_VERIFY_RATE_LIMIT="2/1h")
def test_the_typed_code_form_counts_too(client):
    url = reverse("lms:verify_form")
    for _ in range(2):
        assert client.get(url, {"code": CODE}, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert client.get(url, {"code": CODE}, REMOTE_ADDR="203.0.113.7").status_code == 429


@override_settings(LMS_VERIFY_RATE_LIMIT="2/10m", LMS_TRUSTED_PROXIES=["10.0.0.5"])
def test_the_limit_follows_the_trusted_proxy_client_address(client):
    for _ in range(2):
        check(client, address="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert check(client, address="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert check(client, address="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 404


@override_settings(LMS_VERIFY_RATE_LIMIT="2/10m")
def test_a_spoofed_forwarded_for_does_not_dodge_the_limit(client):
    for number in range(2):
        check(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert check(client, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_the_default_allows_thirty_checks_in_ten_minutes(client):
    statuses = [check(client).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


@pytest.mark.parametrize(
    ("rate", "expected"), [("30/10m", (30, 600)), ("5/s", (5, 1)), ("100/1h", (100, 3600))]
)
def test_rates_parse(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["30", "0/1m", "30/0m", "30/10d", "many/1m", ""])
def test_bad_rates_are_a_clear_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured, match="count>/<period"):
        parse_rate(rate)
