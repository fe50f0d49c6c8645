"""/api/v1/me/assignments and /api/v1/me/records: my own assignments with their status and my
completion records, as JSON; session authentication; never anyone else's."""

from datetime import date, datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from lms import services
from lms.models import Assignment, CompletionRecord
from tests.factories import (
    UserFactory,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_quiz,
    make_staff,
)

API = "/api/v1"
UTC = ZoneInfo("UTC")
# 10:00 on 10 March 2026 in Shanghai.
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
ASSIGNMENT_KEYS = {
    "id",
    "plan_item_id",
    "title",
    "kind",
    "course_id",
    "quiz_id",
    "page_id",
    "url",
    "due_date",
    "status",
    "completed_at",
    "credit_hours",
}
RECORD_KEYS = {
    "id",
    "title",
    "kind",
    "course_id",
    "quiz_id",
    "page_id",
    "content_revision_id",
    "session_id",
    "completed_at",
    "method",
    "score",
    "credit_hours",
    "superseded",
}


def frozen():
    return mock.patch("django.utils.timezone.now", return_value=NOW)


@pytest.fixture
def data(catalog):
    org = make_org()
    me = make_staff("000101", org["LZ0101"], make_position("柜员"), name="王晓燕")
    other = make_staff("000102", org["LZ0102"], make_position("网点负责人"), name="李四")
    course = make_course(catalog, title="销售过程消保", slug="sales", lessons=1)
    done_course = make_course(catalog, title="投诉处理", slug="complaints", lessons=1)
    quiz = make_quiz(title="年度消保知识测试")
    shanghai = ZoneInfo("Asia/Shanghai")
    done = services.record_completion(
        me.user,
        staff=me,
        kind=CompletionRecord.COURSE,
        title="投诉处理",
        course=done_course,
        completed_at=datetime(2026, 2, 1, 9, tzinfo=shanghai),
        method=CompletionRecord.QUIZ_PASS,
        score=Decimal("92.5"),
        credit_hours=Decimal("1.5"),
    )
    corrected = services.supersede_record(done, reason="成绩录入有误", recorded_by=None, score=95)
    theirs = services.record_completion(
        other.user,
        staff=other,
        kind=CompletionRecord.QUIZ,
        title="别人的测验",
        quiz=quiz,
        completed_at=datetime(2026, 3, 1, 9, tzinfo=shanghai),
        method=CompletionRecord.QUIZ_PASS,
        score=Decimal("80"),
        credit_hours=Decimal("1"),
    )
    plan = make_plan(2026)
    items = {
        "overdue": make_item(
            plan, "逾期课程", course=course, everyone=True, due_date=date(2026, 3, 9)
        ),
        "quiz": make_item(
            plan,
            "年度测试",
            quiz=quiz,
            everyone=True,
            due_date=date(2026, 3, 20),
            credit_hours=Decimal("0.5"),
        ),
        "done": make_item(plan, "投诉处理", course=done_course, everyone=True),
        "withdrawn": make_item(plan, "已撤销", course=course, everyone=True),
    }
    services.publish_plan(plan)
    Assignment.objects.filter(staff=me, plan_item=items["quiz"]).update(started_at=NOW)
    Assignment.objects.filter(staff=me, plan_item=items["withdrawn"]).update(
        status=Assignment.WITHDRAWN
    )
    return {
        "me": me,
        "other": other,
        "course": course,
        "done_course": done_course,
        "quiz": quiz,
        "items": items,
        "records": {"done": done, "corrected": corrected, "theirs": theirs},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/me/assignments", "/me/records"])
def test_the_me_endpoints_need_a_login(client, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 401 and set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_my_assignments(client, data):
    me, items = data["me"], data["items"]
    client.force_login(me.user)
    with frozen():
        response = client.get(f"{API}/me/assignments")
    assert response.status_code == 200
    rows = response.json()
    assert all(set(row) == ASSIGNMENT_KEYS for row in rows)
    mine = {a.plan_item_id: a.pk for a in Assignment.objects.filter(staff=me)}
    # Soonest due first; the withdrawn one is left out.
    assert [row["title"] for row in rows] == ["逾期课程", "年度测试", "投诉处理"]
    overdue, quiz, done = rows
    assert overdue == {
        "id": mine[items["overdue"].pk],
        "plan_item_id": items["overdue"].pk,
        "title": "逾期课程",
        "kind": "course",
        "course_id": data["course"].pk,
        "quiz_id": None,
        "page_id": None,
        "url": data["course"].url,
        "due_date": "2026-03-09",
        "status": "overdue",
        "completed_at": None,
        "credit_hours": 1.0,
    }
    assert quiz["kind"] == "quiz" and quiz["quiz_id"] == data["quiz"].pk
    assert quiz["course_id"] is None and quiz["status"] == "in_progress"
    assert quiz["credit_hours"] == 0.5 and quiz["due_date"] == "2026-03-20"
    # Publishing credited the course completed in February.
    assert done["status"] == "completed" and done["course_id"] == data["done_course"].pk
    assert done["completed_at"].startswith("2026-02-01T01:00:00")


@pytest.mark.django_db
def test_my_records(client, data):
    records = data["records"]
    client.force_login(data["me"].user)
    response = client.get(f"{API}/me/records")
    assert response.status_code == 200
    rows = response.json()
    assert all(set(row) == RECORD_KEYS for row in rows)
    # Both of the chain are listed (newest first); the corrected one is flagged.
    assert [row["id"] for row in rows] == [records["corrected"].pk, records["done"].pk]
    corrected, original = rows
    assert corrected["method"] == "correction" and corrected["score"] == 95.0
    assert not corrected["superseded"] and original["superseded"]
    assert original == {
        "id": records["done"].pk,
        "title": "投诉处理",
        "kind": "course",
        "course_id": data["done_course"].pk,
        "quiz_id": None,
        "page_id": None,
        "content_revision_id": records["done"].content_revision_id,
        "session_id": None,
        "completed_at": original["completed_at"],
        "method": "quiz_pass",
        "score": 92.5,
        "credit_hours": 1.5,
        "superseded": True,
    }
    assert original["completed_at"].startswith("2026-02-01T01:00:00")


@pytest.mark.django_db
def test_another_users_data_never_shows(client, data):
    me, other = data["me"], data["other"]
    client.force_login(other.user)
    with frozen():
        assignments = client.get(f"{API}/me/assignments").json()
        records = client.get(f"{API}/me/records").json()
    theirs = set(Assignment.objects.filter(staff=other).values_list("pk", flat=True))
    mine = set(Assignment.objects.filter(staff=me).values_list("pk", flat=True))
    assert {row["id"] for row in assignments} <= theirs
    assert not {row["id"] for row in assignments} & mine
    assert [row["id"] for row in records] == [data["records"]["theirs"].pk]
    assert records[0]["kind"] == "quiz" and records[0]["quiz_id"] == data["quiz"].pk


@pytest.mark.django_db
def test_someone_without_a_staff_profile_has_empty_lists(client, data):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    assert client.get(f"{API}/me/assignments").json() == []
    assert client.get(f"{API}/me/records").json() == []


@pytest.mark.django_db
def test_the_schema_describes_the_me_endpoints(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert set(schema["paths"]["/api/v1/me/assignments"]) == {"get"}
    assert set(schema["paths"]["/api/v1/me/records"]) == {"get"}
    components = schema["components"]["schemas"]
    assert set(components["MyAssignment"]["properties"]) == ASSIGNMENT_KEYS
    assert set(components["MyRecord"]["properties"]) == RECORD_KEYS
