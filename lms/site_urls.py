"""The reference site's own pages, optional for a host site: ``path("", include("lms.site_urls"))``
next to ``lms.urls``. In the ``lms_site`` namespace: the site root ``/`` (learners go to their
home, visitors to the login page), staff login and logout under ``accounts/`` (set
``LOGIN_URL = "lms_site:login"``) with the first-login activation (``accounts/activate/``) and
企业微信 sign-in (``accounts/wecom/``), the language switch at ``i18n/setlang/`` and
``/favicon.ico`` (browsers ask for it whatever the page declares; it redirects to the learner
pages' icon).

When the bank's OpenID Connect sign-in is configured (``LMS_OIDC_CLIENT_ID``), its two pages
are mounted too, in the ``lms_sso`` namespace (``lms.views.sso``); otherwise mozilla-django-oidc is
not even imported.

A host site that keeps its own root and login leaves this out; the learner pages then link to
``settings.LOGIN_URL`` and to Django's ``set_language`` view if the site has one.
"""

from django.urls import include, path
from django.views.i18n import set_language

from lms.services.identity import oidc_enabled
from lms.views import accounts, activation, wecom

site_patterns = [
    path("", accounts.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/activate/", activation.ActivationView.as_view(), name="activate"),
    path("accounts/wecom/", wecom.wecom_start, name="wecom_start"),
    path("accounts/wecom/callback/", wecom.wecom_callback, name="wecom_callback"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("favicon.ico", accounts.favicon, name="favicon"),
]

urlpatterns = [path("", include((site_patterns, "lms_site")))]

if oidc_enabled():
    from lms.views import sso

    urlpatterns.append(path("", include(sso.urls)))
