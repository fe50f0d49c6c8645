"""The one URL conf a host site includes: ``path("", include("lms.urls"))``, before Wagtail's.

It brings, in the ``lms`` namespace, the learner home at ``/``, staff login and logout under
``accounts/`` (set ``LOGIN_URL = "lms:login"``) and the language switch at ``i18n/setlang/``;
and the learner quiz pages under ``quizzes/`` in the ``quizzes`` namespace.
"""

from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .api import api

lms_patterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns = [
    path("", include((lms_patterns, "lms"))),
    path("quizzes/", include("quizzes.urls")),
    path("api/v1/", api.urls),
]
