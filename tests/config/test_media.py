"""The media URL serves images and renditions only: roster imports and documents are never
reachable through it, not even by a ``..`` (plain or percent-encoded) in the path."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from wagtail.documents import get_document_model

from lms.models import RosterImport
from tests.factories import make_image

SECRET = "工号,姓名\n100001,张三\n".encode()


@pytest.fixture
def media_served(settings):
    """The site as ``make demo`` runs it (media served by Django), with the URLconf rebuilt."""
    import config.urls

    settings.DEBUG = True
    settings.SERVE_MEDIA = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    settings.SERVE_MEDIA = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def roster_file(db):
    run = RosterImport(filename="roster.csv")
    run.file.save("roster.csv", ContentFile(SECRET), save=False)
    run.save()
    return run.file.name  # roster-imports/YYYY/MM/roster….csv


@pytest.fixture
def legacy_roster_file():
    """A roster import as stored before private files had their own root: under MEDIA_ROOT."""
    target = Path(settings.MEDIA_ROOT) / "roster-imports" / "2025" / "01" / "legacy.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(SECRET)
    yield "roster-imports/2025/01/legacy.csv"
    target.unlink()


@pytest.fixture
def document_file(db):
    document = get_document_model()(title="内部制度")
    document.file.save("policy.pdf", ContentFile(b"%PDF-1.4\n%internal\n"), save=True)
    return document.file.name  # documents/policy….pdf


@pytest.fixture
def legacy_document_file():
    target = Path(settings.MEDIA_ROOT) / "documents" / "legacy-policy.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"%PDF-1.4\n%internal\n")
    yield "documents/legacy-policy.pdf"
    target.unlink()


TRAVERSALS = [
    "/media/images/..%2f{name}",
    "/media/images/../{name}",
    "/media/images/%2e%2e/{name}",
    "/media/images/%2e%2e%2f{name}",
    "/media/original_images/..%2f{name}",
    "/media/images/.%2e/{name}",
    "/media/images/..%5c{name}",
    "/media/{name}",
]


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", TRAVERSALS)
@pytest.mark.parametrize(
    "fixture", ["roster_file", "legacy_roster_file", "document_file", "legacy_document_file"]
)
def test_private_files_are_never_served_from_the_media_url(
    client, media_served, request, pattern, fixture
):
    name = request.getfixturevalue(fixture)
    response = client.get(pattern.format(name=name))
    assert response.status_code == 404, (pattern, name)


@pytest.mark.django_db
def test_image_renditions_and_originals_are_still_served(client, media_served):
    image = make_image()
    rendition = image.get_rendition("max-100x100")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] in (b"\x89PNG", b"RIFF")
    original = client.get(image.file.url)
    assert original.status_code == 200


@pytest.mark.django_db
def test_media_is_not_served_unless_debug_or_serve_media(client, settings):
    image = make_image()
    rendition = image.get_rendition("max-100x100")
    settings.DEBUG = False
    settings.SERVE_MEDIA = False
    assert client.get(rendition.url).status_code == 404


@pytest.mark.django_db
def test_private_uploads_are_stored_outside_media_root(roster_file, document_file):
    media = Path(settings.MEDIA_ROOT)
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not private.is_relative_to(media) and not media.is_relative_to(private)
    for name in (roster_file, document_file):
        assert (private / name).read_bytes()
        assert not (media / name).exists()
    image = make_image()
    assert (media / image.file.name).exists()
    assert not (private / image.file.name).exists()


def test_serve_media_is_read_from_the_environment():
    from tests.config.test_settings import run_manage

    code = "from django.conf import settings; print('serve', settings.SERVE_MEDIA)"
    on = run_manage("shell", "-c", code, env={"DJANGO_SETTINGS_MODULE": "config.settings.dev",
                                              "SERVE_MEDIA": "1"})  # fmt: skip
    off = run_manage("shell", "-c", code, env={"DJANGO_SETTINGS_MODULE": "config.settings.dev"})
    assert "serve True" in on.stdout, on.stderr
    assert "serve False" in off.stdout, off.stderr


@pytest.mark.django_db
def test_private_files_have_no_url_and_documents_link_to_the_serve_view(document_file):
    from django.core.files.storage import default_storage, storages

    for storage in (default_storage, storages["private"]):
        with pytest.raises(NotImplementedError):
            storage.url(document_file)
    document = get_document_model().objects.get(file=document_file)
    assert document.url.startswith("/documents/")
    assert default_storage.url("images/a.max-100x100.png") == "/media/images/a.max-100x100.png"
