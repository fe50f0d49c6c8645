"""``/media/``: uploaded images and their renditions, served by Django itself when ``DEBUG`` (``make
demo``) or ``SERVE_MEDIA`` is on; elsewhere a web server or object storage serves ``MEDIA_ROOT``.

Only Wagtail's image directories are served, and a path naming a parent directory (``..``, also
percent-encoded: the path arrives decoded) or using a backslash is a 404 before any file is
looked up. Private files (roster imports, documents) are not under ``MEDIA_ROOT`` at all (see
``config.storages``), so even a web server serving the whole directory cannot hand them out.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

from config.storages import is_public


def serve_image(request, path):
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404
    segments = path.split("/")
    if "\\" in path or "\x00" in path or not is_public(path):
        raise Http404
    if any(segment in ("", ".", "..") for segment in segments):  # also a trailing "/"
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
