import re

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.media import serve_image

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("lms.urls")),
    path("", include("lms.site_urls")),
]

# Uploaded images and renditions, when DEBUG or SERVE_MEDIA (checked per request): nothing else
# under /media/, and no "..". Documents and roster files are private (config.storages) and go
# through their permission-checked views only.
if settings.MEDIA_URL.startswith("/"):  # not when media lives on another host
    media_prefix = re.escape(settings.MEDIA_URL.strip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}/(?P<path>.*)$", serve_image, name="media")]

urlpatterns += [path("", include(wagtail_urls))]

# A database away for a moment is a 503 with Retry-After, not a 500 (lms.views.errors).
handler500 = "lms.views.errors.server_error"
