"""Uploads on S3-compatible object storage (``LMS_S3_BUCKET``), against moto's server mode on a
loopback port: images land under the public prefix and their URL serves them to anyone;
documents, roster files and attachments land under the private prefix with a private ACL, have
no URL, an unsigned GET of their object is refused (moto enforces object ACLs for anonymous
reads, as S3 does), and the document view streams them to a permitted user only."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import Client
from wagtail.documents import get_document_model

from config.settings.s3 import s3_settings
from config.storages import NotPublic
from lms.models import RosterImport
from lms.models.roster import private_storage
from tests.factories import make_image, make_lesson

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (requirements.txt)")
pytest.importorskip("moto.server", reason="moto[server] is not installed (requirements-dev.txt)")
pytest.importorskip("storages.backends.s3", reason="django-storages is not installed")

KEY, SECRET = "testing-key", "testing-secret"  # moto accepts any credentials
PDF = b"%PDF-1.4\n%internal policy\n"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """``moto_server`` on a free loopback port for this module's tests, stopped after them."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start listening within 10 s")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )


def s3_environ(endpoint, bucket, **extra):
    return {
        "LMS_S3_BUCKET": bucket,
        "LMS_S3_ENDPOINT_URL": endpoint,
        "LMS_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        **extra,
    }


@pytest.fixture
def bucket(s3_endpoint, s3_client, settings, monkeypatch):
    """A fresh bucket, and the site's storages on it as ``LMS_S3_BUCKET`` would set them (the
    roster field's storage, chosen when the model class was made, is pointed at it too)."""
    name = f"cplms-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_settings(s3_environ(s3_endpoint, name))["STORAGES"],
    }
    monkeypatch.setattr(RosterImport._meta.get_field("file"), "storage", storages["private"])
    return name


def keys(client, bucket):
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def anonymous_get(url):
    """The status and body of an unsigned GET (no Authorization header, no signature)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback test URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def is_private(client, bucket, key):
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return not any(grant["Grantee"].get("URI") == ALL_USERS for grant in grants)


def test_off_unless_a_bucket_is_named():
    assert s3_settings({}) == {}
    assert s3_settings({"LMS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}) == {}


def test_the_images_origin_joins_the_csp_unless_they_stay_on_the_site():
    environ = s3_environ("https://s3.bank.cn", "lms")
    assert s3_settings(environ)["LMS_S3_MEDIA_ORIGINS"] == ["https://s3.bank.cn"]
    assert s3_settings({**environ, "LMS_S3_PUBLIC_URL": "/media/"})["LMS_S3_MEDIA_ORIGINS"] == []


@pytest.mark.django_db
def test_an_image_lands_under_the_public_prefix_and_its_url_serves_it(s3_client, bucket):
    image = make_image()
    rendition = image.get_rendition("width-100")
    stored = keys(s3_client, bucket)
    assert f"media/{image.file.name}" in stored
    assert f"media/{rendition.file.name}" in stored
    assert not any(key.startswith("private/") for key in stored)
    with image.open_file() as original:
        expected = original.read()
    assert anonymous_get(image.file.url) == (200, expected)
    status, body = anonymous_get(rendition.url)
    assert status == 200 and body[:4] == rendition.file.open("rb").read(4)
    assert "Signature" not in image.file.url  # stable: cacheable in pages and on phones


@pytest.mark.django_db
def test_the_public_url_setting_keeps_images_on_the_site(s3_endpoint, s3_client, bucket, settings):
    environ = s3_environ(s3_endpoint, bucket, LMS_S3_PUBLIC_URL="/media/")
    settings.STORAGES = {**settings.STORAGES, **s3_settings(environ)["STORAGES"]}
    image = make_image()
    assert image.file.url == f"/media/{image.file.name}"
    assert f"media/{image.file.name}" in keys(s3_client, bucket)


@pytest.mark.django_db
def test_a_document_is_private_with_no_url(s3_endpoint, s3_client, bucket):
    document = get_document_model()(title="内部制度")
    document.file.save("policy.pdf", ContentFile(PDF), save=True)
    key = f"private/{document.file.name}"
    assert key in keys(s3_client, bucket)
    assert f"media/{document.file.name}" not in keys(s3_client, bucket)
    with pytest.raises(NotPublic):
        default_storage.url(document.file.name)
    assert is_private(s3_client, bucket, key)
    status, body = anonymous_get(f"{s3_endpoint}/{bucket}/{key}")
    assert status == 403 and PDF not in body


@pytest.mark.django_db
def test_a_roster_file_and_an_attachment_are_private_with_no_url(s3_endpoint, s3_client, bucket):
    run = RosterImport(filename="roster.csv")
    run.file.save("roster.csv", ContentFile("工号,姓名\n100001,张三\n".encode()), save=False)
    run.save()
    attachment = private_storage().save("outside-records/2026/12/x.pdf", ContentFile(PDF))
    for name in (run.file.name, attachment):
        key = f"private/{name}"
        assert key in keys(s3_client, bucket)
        assert is_private(s3_client, bucket, key)
        assert anonymous_get(f"{s3_endpoint}/{bucket}/{key}")[0] == 403
        with pytest.raises(NotPublic):
            storages["private"].url(name)
    with run.file.open("rb") as stored:  # as the import and its admin view read it
        assert stored.read().decode() == "工号,姓名\n100001,张三\n"


@pytest.mark.django_db
def test_the_document_view_streams_it_to_a_permitted_user_only(
    s3_client, bucket, learner_client, course
):
    linked = get_document_model()(title="双录操作指引")
    linked.file.save("guide.pdf", ContentFile(PDF), save=True)
    unlinked = get_document_model()(title="内部制度")
    unlinked.file.save("policy.pdf", ContentFile(PDF), save=True)
    make_lesson(
        course, "附件课", "with-document", body=[("document", {"document": linked, "label": ""})]
    )
    response = learner_client.get(linked.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert learner_client.get(unlinked.url).status_code == 404
    anonymous = Client().get(linked.url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def public_images_policy(bucket):
    """The bucket policy deploy/README.md gives for buckets with ACLs disabled."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/media/*",
                }
            ],
        }
    )


@pytest.mark.django_db
def test_without_acls_a_bucket_policy_opens_the_images_only(
    s3_endpoint, s3_client, bucket, settings
):
    environ = s3_environ(s3_endpoint, bucket, LMS_S3_OBJECT_ACLS="off")
    settings.STORAGES = {**settings.STORAGES, **s3_settings(environ)["STORAGES"]}
    s3_client.put_bucket_policy(Bucket=bucket, Policy=public_images_policy(bucket))
    image = make_image()
    document = get_document_model()(title="内部制度")
    document.file.save("policy.pdf", ContentFile(PDF), save=True)
    assert anonymous_get(image.file.url)[0] == 200
    assert anonymous_get(f"{s3_endpoint}/{bucket}/private/{document.file.name}")[0] == 403
