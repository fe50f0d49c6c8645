"""The one URL conf a host site includes: ``path("", include("lms.urls"))``, before Wagtail's.

It brings the learner home at ``/``, staff login and logout under ``accounts/`` (set
``LOGIN_URL = "lms:login"``) and the language switch at ``i18n/setlang/``.
"""

from django.urls import path
from django.views.i18n import set_language

from . import views

app_name = "lms"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
]
