"""Uploads are limited by type and size; documents are served to logged-in staff as attachments."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model


def png_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#0b5394").save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def trainer_client(client, catalog):
    from lms.services import ensure_roles
    from tests.factories import UserFactory

    trainers, _officers, _workflow = ensure_roles(catalog)
    user = UserFactory(username="trainer")
    user.groups.add(trainers)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_svg_image_upload_is_refused(trainer_client):
    from wagtail.images import get_image_model

    upload = SimpleUploadedFile("evil.svg", SVG, content_type="image/svg+xml")
    response = trainer_client.post(
        reverse("wagtailimages:add"), {"title": "evil", "file": upload, "collection": 1}
    )
    assert response.status_code == 200  # the form again, with an error
    assert "svg" in response.content.decode().lower()
    assert not get_image_model().objects.filter(title="evil").exists()


@pytest.mark.django_db
def test_png_image_upload_is_accepted(trainer_client):
    from wagtail.images import get_image_model

    response = trainer_client.post(
        reverse("wagtailimages:add"),
        {"title": "ok", "file": png_upload(), "collection": 1},
    )
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="ok").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["page.html", "page.htm", "drawing.svg", "run.js"])
def test_html_and_script_documents_are_refused(trainer_client, name):
    upload = SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>")
    response = trainer_client.post(
        reverse("wagtaildocs:add"), {"title": name, "file": upload, "collection": 1}
    )
    assert response.status_code == 200
    assert not get_document_model().objects.filter(title=name).exists()


@pytest.mark.django_db
@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_oversized_document_is_refused(trainer_client):
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    response = trainer_client.post(
        reverse("wagtaildocs:add"), {"title": "big", "file": upload, "collection": 1}
    )
    assert response.status_code == 200
    assert not get_document_model().objects.filter(title="big").exists()


@pytest.fixture
def document(db):
    doc = get_document_model()(title="双录操作指引")
    doc.file.save("guide.pdf", ContentFile(b"%PDF-1.4\n%demo\n"), save=True)
    return doc


@pytest.mark.django_db
def test_documents_need_login(client, document):
    response = client.get(document.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_documents_are_served_as_attachments_to_staff(learner_client, course, document):
    from tests.factories import make_lesson

    body = [("document", {"document": document, "label": ""})]
    make_lesson(course, "附件", "attachment", body=body)  # learners get linked documents only
    response = learner_client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
