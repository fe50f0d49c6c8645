from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_static
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("lms.urls")),
    path("", include("lms.site_urls")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Uploaded images and renditions. In a scaled-out deployment media lives on object storage
    # or behind the web server instead (documents always go through Wagtail's serve view).
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:images|original_images)/.*)$",
            serve_static,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
