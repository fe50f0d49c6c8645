"""A host site that keeps its own root and login includes only ``lms.urls``: every learner page
still works, anonymous visitors go to the host's ``LOGIN_URL``, and nothing links to the
reference site's ``lms.site_urls``."""

import pytest
from django.test import override_settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from courses.models import LessonPage

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("", include("lms.urls")),
    path("", include(wagtail_urls)),
]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
]


@override_settings(LOGIN_URL="/sso/login/")
def test_anonymous_visitors_go_to_the_host_login(client, course):
    lesson = LessonPage.objects.child_of(course).first()
    for url in ("/learn/", "/learn/notifications/", course.url, lesson.url):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sso/login/?next="), url


def test_learner_pages_render_without_the_site_urls(learner_client, course):
    lesson = LessonPage.objects.child_of(course).first()
    for url in ("/learn/", "/learn/notifications/", "/quizzes/", course.url, lesson.url):
        response = learner_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "/accounts/logout/" not in html and "/i18n/setlang/" not in html, url
    # The root is the host's (here Wagtail's root page), not our redirect to 我的学习.
    root = learner_client.get("/")
    assert root.status_code == 200 and "Location" not in root
