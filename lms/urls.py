"""The apps' own URLs: ``path("", include("lms.urls"))``, before Wagtail's catch-all.

In the ``lms`` namespace: the learner home ``learn/`` (我的学习) with my notifications,
certificates (``learn/certificates/``), my transcript (``learn/transcript.pdf`` / ``.xlsx``),
attestations, offline sessions and the QR check-in; my mistake book (错题本, the quizzes app's
pages) under ``learn/mistakes/``; managers' team pages under ``learn/team/`` (the complaint
loop under ``learn/team/complaints/``);
the public certificate check at ``verify/``. Also the learner quiz pages under ``quizzes/``
(namespace ``quizzes``) and the JSON API under ``api/v1/``.

The reference site's root, login and language switch are in ``lms.site_urls``: a host site with
its own ``/`` and login leaves those out.
"""

from django.urls import include, path

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.api import api, not_found_view
from lms.views import certificates, complaints, learner, team, transcripts
from quizzes import mistake_urls

lms_patterns = [
    path("learn/", learner.learn, name="learn"),
    path("learn/notifications/", learner.notifications, name="notifications"),
    path("learn/mistakes/", include(mistake_urls)),
    path("learn/team/units/<dbid:unit_id>/remind/", team.team_remind, name="team_remind"),
    path(
        "learn/certificates/<str:code>.pdf",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path("learn/attest/<dbid:item_id>/", learner.attestation, name="attestation"),
    path("learn/offline/<dbid:item_id>/", learner.offline_item, name="offline_item"),
    path("learn/check-in/", learner.check_in, name="check_in"),
    path("learn/transcript.pdf", transcripts.my_transcript_pdf, name="my_transcript_pdf"),
    path("learn/transcript.xlsx", transcripts.my_transcript_xlsx, name="my_transcript_xlsx"),
    path("learn/team/", team.team, name="team"),
    path("learn/team/units/<dbid:unit_id>/", team.team_unit, name="team_unit"),
    path("learn/team/people/<dbid:staff_id>/", team.team_person, name="team_person"),
    path("learn/team/complaints/", complaints.complaints, name="complaints"),
    path("learn/team/complaints/<dbid:complaint_id>/", complaints.complaint, name="complaint"),
    path(
        "learn/team/complaints/units/<dbid:unit_id>/",
        complaints.complaints_unit,
        name="complaints_unit",
    ),
    path("learn/team/complaints/ledger.csv", complaints.ledger_csv, name="complaint_ledger_csv"),
    path("learn/team/complaints/ledger.xlsx", complaints.ledger_xlsx, name="complaint_ledger_xlsx"),
    path("verify/", certificates.verify_page, name="verify_form"),
    path("verify/<str:code>/", certificates.verify_page, name="verify"),
]

urlpatterns = [
    path("", include((lms_patterns, "lms"))),
    path("quizzes/", include("quizzes.urls")),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", not_found_view),
]
