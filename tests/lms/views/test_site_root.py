import pytest


@pytest.mark.django_db
def test_root_sends_visitors_to_login_and_learners_to_their_learner_home(client, learner, catalog):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(learner)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/learn/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_login_page_lands_on_the_root_after_login(client, learner):
    from tests.factories import PASSWORD

    response = client.post(
        "/accounts/login/?next=/", {"username": learner.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_login_refuses_an_offsite_next(client, learner):
    from tests.factories import PASSWORD

    response = client.post(
        "/accounts/login/",
        {"username": learner.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_favicon_is_served_not_a_404(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("courses/favicon.svg")
    assert finders.find("courses/favicon.svg")


@pytest.mark.django_db
def test_learner_pages_declare_the_icon(client, learner, catalog):
    client.force_login(learner)
    html = client.get("/learn/").content.decode()
    assert 'rel="icon"' in html and "courses/favicon.svg" in html
