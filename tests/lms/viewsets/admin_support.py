"""Filling Wagtail admin forms in tests: the form as the page renders it, posted back."""

from wagtail.test.utils.form_data import querydict_from_html

FORM_ID = "w-editor-form"


def admin_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return querydict_from_html(response.content.decode(), form_id=FORM_ID)


def post_form(client, url, data):
    return client.post(url, dict(data.lists()))
