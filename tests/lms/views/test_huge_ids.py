"""An id too big for the database (20 digits) in any of the apps' URLs is a 404, never the
OverflowError / "value out of range" 500 of looking it up; the same for the API's path ids."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.api_support import API
from tests.factories import UserFactory

HUGE = "9" * 20
APPS = ("lms.", "quizzes.", "courses.")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "") or ""
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None:
                module = view_class.__module__
            if module.startswith(APPS) and re.search(r"<(?:int|dbid):", route):
                yield route


def _url(route):
    def fill(match):
        converter = match.group(1) or "str"
        return HUGE if converter in {"int", "dbid"} else "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route).lstrip("^").rstrip("$")


def app_routes():
    return sorted(set(_routes(get_resolver().url_patterns)))


def test_the_apps_have_id_urls_to_check():
    routes = app_routes()
    assert any("learn/attest/" in route for route in routes)
    assert any("attempts/" in route for route in routes)
    assert any(route.startswith("admin/") for route in routes)


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("route", app_routes())
def test_a_20_digit_id_in_a_page_url_is_404(superuser_client, route):
    url = _url(route)
    # A URL ending in ".csv" etc. is first redirected to the same with a slash (APPEND_SLASH).
    assert superuser_client.get(url, follow=True).status_code in {404, 405}, url
    assert superuser_client.post(url).status_code in {301, 404, 405}, url


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["learn/attest", "learn/offline", "quizzes", "quizzes/attempts"])
def test_a_20_digit_id_is_404_for_a_learner(learner_client, path):
    assert learner_client.get(f"/{path}/{HUGE}/").status_code == 404
    assert learner_client.post(f"/{path}/{HUGE}/").status_code in {404, 405}


API_PATHS = [
    ("get", f"/quizzes/{HUGE}"),
    ("post", f"/quizzes/{HUGE}/attempts"),
    ("get", f"/attempts/{HUGE}"),
    ("put", f"/attempts/{HUGE}/answers/{HUGE}"),
    ("put", f"/attempts/1/answers/{HUGE}"),
    ("post", f"/attempts/{HUGE}/submit"),
    ("post", f"/attempts/{HUGE}/events"),
    ("get", f"/practice/{HUGE}"),
    ("post", f"/practice/{HUGE}/submit"),
    ("post", f"/me/attestations/{HUGE}"),
    ("get", f"/team/units/{HUGE}"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), API_PATHS)
def test_a_20_digit_id_in_an_api_path_is_a_json_404(superuser_client, method, path):
    if method == "get":
        response = superuser_client.get(API + path)
    else:
        send = getattr(superuser_client, method)
        response = send(API + path, "{}", content_type="application/json")
    assert response.status_code == 404, response.content
    assert response.json()["detail"]
