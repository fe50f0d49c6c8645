"""The one URL conf a host site includes: ``path("", include("lms.urls"))``, before Wagtail's."""

from django.urls import path

from . import views

app_name = "lms"

urlpatterns = [
    path("", views.home, name="home"),
]
