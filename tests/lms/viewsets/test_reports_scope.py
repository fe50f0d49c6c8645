"""Scope of every URL of the reports, the evidence export and the transcripts, for manager
(LZ0101), manager2 (LZ0201), teller, trainer and officer: another unit's person is a 404,
another unit's rows are not in lists and exports, learners and trainers are refused."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from lms.viewsets.filters import AssignmentReportFilterSet
from tests.lms.report_world import build_world

pytestmark = pytest.mark.django_db

LIST_URLS = [
    ("lms_reports:assignments", {}),
    ("lms_reports:assignments", {"export": "csv"}),
    ("lms_reports:assignments", {"export": "xlsx"}),
    ("lms_reports:assignments_results", {}),
    ("lms_reports:records", {}),
    ("lms_reports:records", {"export": "csv"}),
    ("lms_reports:records_results", {}),
    ("lms_reports:evidence", {}),
]


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def admin_urls(world):
    teller = world.staff["teller"].pk
    return [reverse(name) for name, _params in LIST_URLS] + [
        reverse("lms_reports:evidence_csv", args=[world.plan.pk]),
        reverse("lms_reports:transcript_pdf", args=[teller]),
        reverse("lms_reports:transcript_xlsx", args=[teller]),
    ]


def test_learners_are_sent_to_the_admin_login(client, world):
    client.force_login(world.users["teller"])
    for url in admin_urls(world):
        response = client.get(url, {"export": "csv"} if "reports/" in url else {})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url


def test_trainers_are_refused(client, world):
    client.force_login(world.users["trainer"])
    for url in admin_urls(world):
        response = client.get(url)
        # Wagtail answers a PermissionDenied in its admin with a redirect and a message.
        assert response.status_code == 302 and response["Location"] == reverse(
            "wagtailadmin_home"
        ), url
        assert "王晓燕".encode() not in body(response)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("lms_reports:assignments") not in html


@pytest.mark.parametrize(
    ("manager", "mine", "others"),
    [
        ("manager", ["teller", "100101", "100103", "manager"], ["200101", "manager2", "100102"]),
        ("manager2", ["200101", "manager2"], ["teller", "100101", "100103", "100102", "manager"]),
    ],
)
def test_managers_see_only_their_unit(client, world, manager, mine, others):
    user = world.users[manager]
    client.force_login(user)
    assert (
        reverse("lms_reports:assignments")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    for name, params in LIST_URLS:
        response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        content = body(response).decode("utf-8-sig", errors="replace")
        for code in others:
            assert world.staff[code].name not in content, (name, params, code)
    evidence = body(client.get(reverse("lms_reports:evidence_csv", args=[world.plan.pk])))
    lines = evidence.decode("utf-8-sig").splitlines()[1:]
    assert sorted({line.split(",")[0] for line in lines}) == sorted(mine)
    # Another unit's unit id in the filter is not a valid choice: the rows stay scoped.
    foreign = world.units["LZ0201" if manager == "manager" else "LZ0101"]
    response = client.get(reverse("lms_reports:assignments"), {"export": "csv", "unit": foreign.pk})
    lines = body(response).decode("utf-8-sig").splitlines()[1:]
    assert len(lines) == 2 * len(mine)
    for code in mine:
        staff_id = world.staff[code].pk
        assert client.get(reverse("lms_reports:transcript_pdf", args=[staff_id])).status_code == 200
    for code in others:
        staff_id = world.staff[code].pk
        for url_name in ("lms_reports:transcript_pdf", "lms_reports:transcript_xlsx"):
            assert client.get(reverse(url_name, args=[staff_id])).status_code == 404
    assert client.get(reverse("lms_reports:evidence_csv", args=[99999])).status_code == 404


def test_the_unit_filter_offers_only_units_in_scope(world):
    request = RequestFactory().get("/")
    request.user = world.users["manager"]
    filterset = AssignmentReportFilterSet(data={}, request=request)
    assert [unit.code for unit in filterset.form.fields["unit"].queryset] == ["LZ0101"]
    request.user = world.users["officer"]
    filterset = AssignmentReportFilterSet(data={}, request=request)
    assert len(filterset.form.fields["unit"].queryset) == 6


def test_the_officer_sees_every_unit(client, world):
    client.force_login(world.users["officer"])
    content = body(client.get(reverse("lms_reports:assignments"), {"export": "csv"})).decode(
        "utf-8-sig"
    )
    for staff in world.staff.values():
        assert staff.employee_no in content
    for staff in world.staff.values():
        url = reverse("lms_reports:transcript_xlsx", args=[staff.pk])
        assert client.get(url).status_code == 200


def test_learner_transcripts_are_their_own(client, world):
    client.force_login(world.users["teller"])
    for name in ("lms:my_transcript_pdf", "lms:my_transcript_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'filename="transcript-teller-' in response["Content-Disposition"]
    # Someone without a staff profile (the trainer here) has no transcript.
    client.force_login(world.users["trainer"])
    assert client.get(reverse("lms:my_transcript_pdf")).status_code == 404
    client.logout()
    response = client.get(reverse("lms:my_transcript_xlsx"))
    assert response.status_code == 302 and "login" in response["Location"]
