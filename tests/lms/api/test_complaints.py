"""``POST /api/v1/complaints``: the complaint system registers or updates one complaint with its
bearer token (no session, no CSRF token); the endpoint is off without the setting; bad input is
a 400 naming the field, never a 500, and writes nothing."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.test import Client, override_settings

from lms.models import Assignment, Complaint, ComplaintRule, TrainingPlan
from quizzes.models import ClassificationCode
from tests.api_support import API, assert_error
from tests.factories import make_course, make_item, make_plan
from tests.lms import register_support
from tests.lms.register_support import SUMMARY_WITH_NUMBERS

pytestmark = pytest.mark.django_db
URL = f"{API}/complaints"
TOKEN = "s3cret-token-of-the-complaint-system"


@pytest.fixture
def world(roles):
    return register_support.build(roles)


@pytest.fixture
def system():
    """The complaint system: no session, and CSRF checked as a browser's would be."""
    return Client(enforce_csrf_checks=True)


def payload(**values):
    body = {
        "number": "TS2026030001",
        "received_on": "2026-03-02",
        "channel": "A.1.3.3",
        "business": "自营理财",
        "reason": "C.5 信息披露",
        "unit": "LZ0101",
        "staff": ["000101", "000102"],
        "summary": SUMMARY_WITH_NUMBERS,
        "closed_on": None,
        "at_fault": True,
    }
    body.update(values)
    return body


def post(client, body, token=TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages in English
    return client.post(URL, data, content_type="application/json", **headers)


@override_settings(LMS_COMPLAINTS_API_TOKEN=TOKEN)
def test_the_complaint_system_registers_then_updates_a_complaint(world, system):
    response = post(system, payload())
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert response.json() == {
        "id": complaint.pk,
        "number": "TS2026030001",
        "created": True,
        "masked": 3,
    }
    assert complaint.source == Complaint.API and complaint.masked == 3
    assert "13812345678" not in complaint.summary
    assert complaint.channel.code == "A.1.3.3" and complaint.business.code == "B.5"
    assert sorted(complaint.staff.values_list("employee_no", flat=True)) == ["000101", "000102"]

    response = post(system, payload(closed_on="2026-03-09", staff=[], at_fault=False))
    assert response.status_code == 200, response.content
    assert response.json()["created"] is False and response.json()["id"] == complaint.pk
    complaint.refresh_from_db()
    assert complaint.closed_on.isoformat() == "2026-03-09" and complaint.at_fault is False
    assert not complaint.staff.exists() and Complaint.objects.count() == 1


@override_settings(LMS_COMPLAINTS_API_TOKEN=TOKEN)
@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x", TOKEN[:-1]])
def test_no_or_a_wrong_token_is_401(world, system, token):
    response = post(system, payload(), token=token)
    assert "bearer token" in assert_error(response, 401)
    assert not Complaint.objects.exists()


@override_settings(LMS_COMPLAINTS_API_TOKEN=TOKEN)
def test_a_logged_in_session_is_not_enough(world, officer):
    client = Client()
    client.force_login(officer)
    assert_error(post(client, payload(), token=None), 401)
    assert not Complaint.objects.exists()


@override_settings(LMS_COMPLAINTS_API_TOKEN="")
def test_without_the_setting_the_endpoint_is_off(world, system):
    assert "not enabled" in assert_error(post(system, payload()), 404)
    assert not Complaint.objects.exists()


@override_settings(LMS_COMPLAINTS_API_TOKEN=TOKEN)
@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        (payload(reason="服务太差"), "“服务太差”"),
        (payload(channel="其他"), "A.1.3.6"),
        (payload(reason="B.5"), "another dimension"),
        (payload(unit="LZ9999"), "LZ9999"),
        (payload(staff=["000101", "999999"]), "999999"),
        (payload(staff="000101"), "“staff”"),
        (payload(staff=[1]), "“staff”"),
        (payload(received_on="2026-02-30"), "“received_on”"),
        (payload(received_on="2099-01-01"), "after today"),
        (payload(closed_on="2026-03-01"), "before the day received"),
        (payload(at_fault="是"), "“at_fault”"),
        (payload(number=""), "number"),
        (payload(number={"a": 1}), "“number”"),
        (payload(number="N" * 65), "longer than 64"),
        (payload(summary="a\x00b"), "NUL"),
        (payload(extra=1), "Unknown fields: extra"),
        ({k: v for k, v in payload().items() if k != "reason"}, "reason"),
    ],
)
def test_bad_input_is_400_naming_the_problem(world, system, body, words):
    assert words in assert_error(post(system, body), 400)
    assert not Complaint.objects.exists()


@override_settings(LMS_COMPLAINTS_API_TOKEN=TOKEN)
def test_a_lone_surrogate_is_400(world, system):
    body = json.dumps(payload(summary="x")).replace('"x"', '"\\ud800"')
    assert_error(post(system, body), 400)
    assert not Complaint.objects.exists()


@override_settings(LMS_COMPLAINTS_API_TOKEN=TOKEN)
def test_the_schema_documents_the_body_and_the_bearer_token(client):
    schema = client.get(f"{API}/openapi.json").json()
    operation = schema["paths"]["/api/v1/complaints"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) >= {"number", "received_on", "channel", "reason", "unit"}
    assert set(operation["responses"]) >= {"200", "201", "400", "401", "404"}
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ComplaintSystemToken"]["scheme"] == "bearer"


@override_settings(LMS_COMPLAINTS_API_TOKEN=TOKEN)
def test_a_pushed_complaint_causes_its_rules_targeted_training(world, system, catalog):
    plan = make_plan(year=date.today().year, status=TrainingPlan.PUBLISHED, title="针对性计划")
    course = make_course(catalog, title="信息披露要点", slug="disclosure-api", lessons=1)
    item = make_item(plan, "信息披露要点", course=course, targeted=True)
    rule = ComplaintRule.objects.create(
        name="信息披露", reason=ClassificationCode.objects.get(code="C.5"), due_days=14
    )
    rule.items.set([item])
    response = post(system, payload(received_on=date.today().isoformat()))
    assert response.status_code == 201, response.content
    trained = Assignment.objects.filter(plan_item=item).order_by("staff__employee_no")
    assert [a.staff.employee_no for a in trained] == ["000101", "000102"]
    complaint = Complaint.objects.get(number="TS2026030001")
    assert complaint.trainings.count() == 2
    # Pushed again unchanged: nothing new.
    post(system, payload(received_on=date.today().isoformat()))
    assert complaint.trainings.count() == 2
