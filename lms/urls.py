"""The one URL conf a host site includes: ``path("", include("lms.urls"))``, before Wagtail's.

In the ``lms`` namespace: the site root ``/`` (it sends learners to their home at ``learn/``),
staff login and logout under ``accounts/`` (set ``LOGIN_URL = "lms:login"``), the language
switch at ``i18n/setlang/``, certificates under ``learn/certificates/``, the learner's own
transcript at ``learn/transcript.pdf`` / ``.xlsx``, attestations, offline sessions and the QR
check-in under ``learn/``, and the public certificate check at ``verify/``. Also the learner
quiz pages under ``quizzes/`` (namespace ``quizzes``) and the JSON API under ``api/v1/``.
"""

from django.urls import include, path
from django.views.i18n import set_language

from lms import (
    certificate_views,
    learner_views,
    reminder_views,
    team_views,
    transcript_views,
    views,
)
from lms.api import api

lms_patterns = [
    path("", views.home, name="home"),
    path("learn/", views.learn, name="learn"),
    path("learn/notifications/", reminder_views.notifications, name="notifications"),
    path("learn/team/units/<int:unit_id>/remind/", reminder_views.team_remind, name="team_remind"),
    path(
        "learn/certificates/<str:code>.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("learn/attest/<int:item_id>/", learner_views.attestation, name="attestation"),
    path("learn/offline/<int:item_id>/", learner_views.offline_item, name="offline_item"),
    path("learn/check-in/", learner_views.check_in, name="check_in"),
    path("learn/transcript.pdf", transcript_views.my_transcript_pdf, name="my_transcript_pdf"),
    path("learn/transcript.xlsx", transcript_views.my_transcript_xlsx, name="my_transcript_xlsx"),
    path("learn/team/", team_views.team, name="team"),
    path("learn/team/units/<int:unit_id>/", team_views.team_unit, name="team_unit"),
    path("learn/team/people/<int:staff_id>/", team_views.team_person, name="team_person"),
    path("verify/", certificate_views.verify_page, name="verify_form"),
    path("verify/<str:code>/", certificate_views.verify_page, name="verify"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns = [
    path("", include((lms_patterns, "lms"))),
    path("quizzes/", include("quizzes.urls")),
    path("api/v1/", api.urls),
]
