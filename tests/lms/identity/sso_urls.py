"""The reference site's URLs with the OIDC pages mounted (``lms.site_urls`` mounts them only when
``LMS_OIDC_CLIENT_ID`` is set as the site starts; the tests turn OIDC on afterwards)."""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns
from lms.views import sso

urlpatterns = [path("", include(sso.urls)), *site_urlpatterns]
