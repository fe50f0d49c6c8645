"""The reference site's file storages: images public, every other upload private.

``MediaStorage`` is the default storage. Wagtail's images and renditions (``original_images/``,
``images/``) are stored under ``MEDIA_ROOT`` and have URLs under ``MEDIA_URL``; anything else a
model stores there (Wagtail documents; any upload whose field names no storage) goes under
``PRIVATE_MEDIA_ROOT``, a separate directory that no URL and no web server serves, and has no
URL: such files are served only by views that check permissions (documents through Wagtail's
serve view and the ``before_serve_document`` hook, roster files through the import's admin view).

``PrivateStorage`` is the ``"private"`` storage alias, for fields that name it (roster imports,
``lms.models.roster.private_storage``): the same private directory, no URL.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join
from django.utils.functional import cached_property

#: Where Wagtail keeps images: original uploads and renditions.
PUBLIC_PREFIXES = ("original_images/", "images/")


class NotPublic(NotImplementedError):
    """A private file has no URL (as storages say it): link to a view that checks permissions."""


def is_public(name):
    """Whether the stored file ``name`` is an image or rendition (and names no parent directory)."""
    name = str(name).replace("\\", "/")
    return name.startswith(PUBLIC_PREFIXES) and ".." not in PurePosixPath(name).parts


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT`` (or ``location``), which have no URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise NotPublic(f"{name} is private: serve it through a view that checks permissions")


class MediaStorage(FileSystemStorage):
    """Images under ``MEDIA_ROOT`` (public), every other file under ``PRIVATE_MEDIA_ROOT``."""

    @cached_property
    def private(self):
        return PrivateStorage()

    def path(self, name):
        if is_public(name):
            return super().path(name)
        return safe_join(self.private.location, name)

    def _save(self, name, content):
        # Saved by the storage of its root, which names the file relative to that root.
        if is_public(name):
            return super()._save(name, content)
        return self.private._save(name, content)

    def url(self, name):
        if not is_public(name):
            raise NotPublic(f"{name} is private: serve it through a view that checks permissions")
        return super().url(name)
