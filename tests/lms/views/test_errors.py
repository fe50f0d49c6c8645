"""A database away for a moment is a 503 with Retry-After, in Chinese, as JSON under the API;
any other failure stays a 500 (lms.views.errors)."""

import pytest
from django.test import Client


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = "tests.lms.views.error_urls"
    return Client(raise_request_exception=False)


def test_a_database_away_is_a_503_that_tries_again(client):
    response = client.get("/boom/database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "服务暂时不可用" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_under_the_api_it_is_json(client):
    response = client.get("/api/v1/boom/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "5"
    assert response.json()["detail"]


def test_other_failures_stay_500(client):
    response = client.get("/boom/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
