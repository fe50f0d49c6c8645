"""The reference site's storages on S3-compatible object storage (django-storages), with the same
split as ``config.storages``: images public, every other upload private.

Turned on by ``LMS_S3_BUCKET`` (``config.settings.s3`` builds the options); imported only then.

Public images. Wagtail's images and renditions (``original_images/``, ``images/``) are written
under the ``media/`` prefix with the ``public-read`` ACL (or, with ``LMS_S3_OBJECT_ACLS=off``, left
to a bucket policy that allows anonymous reads of ``media/*`` only), and their URL is unsigned and
stable: ``LMS_S3_PUBLIC_URL`` + name when set (``/media/``, which nginx proxies to the bucket's
``media/`` prefix, or a CDN / custom domain), else the object's own address at the endpoint.
Not presigned URLs, because:

- a lesson's rendered body, image URLs included, is kept with its cached route
  (``courses.services.route_cache``) until the content changes, and served to every learner:
  a presigned URL in it would expire while the body is still served (a broken image), and an
  expiry longer than the cache is a public URL in all but name;
- a presigned URL changes with every render, so phones would download the same image again
  on each page instead of reusing their cache;
- these images were already public (nginx serves ``MEDIA_ROOT`` without a login): the
  permission rules are for documents and files, not for lesson pictures.

Private files (Wagtail documents, roster imports, outside-training attachments) are written
under ``private/`` (or ``LMS_S3_PRIVATE_BUCKET``) with the ``private`` ACL. ``url()`` raises
``NotPublic`` for them, exactly as on disk: Wagtail's document view then streams them through
the storage after its permission hook, and the roster and attachment views open them through
the storage too. No view needs ``path()`` (which S3 has not).
"""

from django.core.files.storage import storages
from django.utils.encoding import filepath_to_uri
from django.utils.functional import cached_property
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from config.storages import NotPublic, is_public


class S3PrivateStorage(S3Storage):
    """Objects under the private prefix (or bucket): written private, no URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotPublic(f"{name} is private: serve it through a view that checks permissions")


class S3MediaStorage(S3Storage):
    """The default storage: images under the public prefix, everything else handed to the
    ``"private"`` storage (``S3PrivateStorage``), with the same names as on disk."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "public_url": ""}

    @cached_property
    def private(self):
        return storages["private"]

    def _open(self, name, mode="rb"):
        if is_public(name):
            return super()._open(name, mode)
        return self.private._open(name, mode)

    def _save(self, name, content):
        if is_public(name):
            return super()._save(name, content)
        return self.private._save(name, content)

    def delete(self, name):
        if is_public(name):
            return super().delete(name)
        return self.private.delete(name)

    def exists(self, name):
        if is_public(name):
            return super().exists(name)
        return self.private.exists(name)

    def size(self, name):
        if is_public(name):
            return super().size(name)
        return self.private.size(name)

    def get_modified_time(self, name):
        if is_public(name):
            return super().get_modified_time(name)
        return self.private.get_modified_time(name)

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not is_public(name):
            raise NotPublic(f"{name} is private: serve it through a view that checks permissions")
        if self.public_url:
            return f"{self.public_url.rstrip('/')}/{filepath_to_uri(clean_name(name))}"
        return super().url(name, parameters, expire, http_method)
