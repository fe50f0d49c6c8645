"""Offline sessions: the QR token (expiry, tampering, replay), checking in, the learner flow
through login, the admin QR page and the learner home."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms import services
from lms.models import Assignment, Certificate, CheckIn, CompletionRecord, PlanItem
from lms.services.learning import offline
from lms.services.learning.offline import (
    TOKEN_SECONDS,
    CheckInError,
    check_in,
    make_token,
    read_token,
)
from tests.factories import PASSWORD, make_item, make_org, make_plan, make_session, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    org = make_org()
    today = timezone.localdate()
    plan = make_plan(today.year)
    item = make_item(
        plan,
        "投诉处理实务工作坊",
        kind=PlanItem.OFFLINE,
        everyone=True,
        due_date=today + timedelta(days=30),
        credit_hours=2,
    )
    alice = make_staff("000101", org["LZ0101"], name="王芳")
    bob = make_staff("000201", org["LZ0201"], name="李强")
    services.publish_plan(plan)
    session = make_session(item, org["LZ01"], credit_hours=3)  # 城关支行 and below
    return {"org": org, "plan": plan, "item": item, "alice": alice, "bob": bob, "session": session}


def test_a_token_names_its_session_until_it_expires(world):
    session = world["session"]
    now = timezone.now()
    token = make_token(session, now)
    assert read_token(token, now + timedelta(seconds=TOKEN_SECONDS)) == session
    with pytest.raises(CheckInError, match="expired|过期"):
        read_token(token, now + timedelta(seconds=TOKEN_SECONDS + 1))
    # A token "from the future" (a forged clock) is refused too.
    with pytest.raises(CheckInError):
        read_token(make_token(session, now + timedelta(seconds=TOKEN_SECONDS + 5)), now)


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "", str])
def test_tampered_or_foreign_tokens_are_refused(world, mangle):
    session = world["session"]
    token = make_token(session)
    if mangle is str:  # a well-signed value for another purpose
        from django.core import signing

        token = signing.Signer(salt="other").sign_object({"s": session.pk, "t": 0})
    else:
        token = mangle(token)
    with pytest.raises(CheckInError, match="valid|有效"):
        read_token(token)


def test_check_in_writes_one_record_with_the_sessions_hours(world):
    alice, session, item = world["alice"], world["session"], world["item"]
    row, created = check_in(alice.user, session)
    assert created and row.method == CheckIn.QR
    record = row.record
    assert (record.kind, record.method) == (CompletionRecord.OFFLINE, CompletionRecord.CHECK_IN)
    assert record.session_id == session.pk and record.credit_hours == 3
    assert record.credited_unit == world["org"]["LZ0101"]
    assert record.evidence["place"] == "三楼培训室"
    assignment = Assignment.objects.get(staff=alice, plan_item=item)
    assert (assignment.status, assignment.record_id) == (Assignment.COMPLETED, record.pk)
    assert Certificate.objects.filter(record=record).exists()
    # Replay: the same person scanning again (or a replayed link) changes nothing.
    again, created = check_in(alice.user, session)
    assert not created and again.pk == row.pk
    assert CompletionRecord.objects.count() == 1 and CheckIn.objects.count() == 1
    assert services.verify_chain().ok


def test_check_in_is_refused_outside_the_window_for_other_units_and_when_cancelled(world):
    alice, bob, session = world["alice"], world["bob"], world["session"]
    with pytest.raises(CheckInError, match="opens|开始"):
        check_in(alice.user, session, now=session.starts_at - timedelta(minutes=31))
    with pytest.raises(CheckInError, match="closed|结束"):
        check_in(alice.user, session, now=session.ends_at + timedelta(minutes=31))
    with pytest.raises(CheckInError, match="城关支行"):
        check_in(bob.user, session)  # 七里河 staff at a 城关 session
    session.cancelled = True
    session.save()
    with pytest.raises(CheckInError):
        check_in(alice.user, session)
    alice.is_active = False
    alice.save()
    assert not CompletionRecord.objects.exists() and not CheckIn.objects.exists()


def test_the_qr_flow_through_login_checks_in_with_one_tap(client, world):
    alice, session = world["alice"], world["session"]
    token = make_token(session)
    # Scanned on a phone that is not logged in: the token is read, then login.
    response = client.get(f"/learn/check-in/?t={token}")
    assert response.status_code == 302 and response["Location"] == "/learn/check-in/"
    response = client.get("/learn/check-in/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(
        response["Location"], {"username": alice.employee_no, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/learn/check-in/"
    page = client.get("/learn/check-in/")
    assert page.status_code == 200 and session.title in page.content.decode()
    assert not CheckIn.objects.exists()  # a GET never checks in
    response = client.post("/learn/check-in/")
    assert response.status_code == 200 and "done-banner" in response.content.decode()
    assert CheckIn.objects.filter(staff=alice).count() == 1
    # A replayed tap: still one.
    client.post("/learn/check-in/")
    assert CheckIn.objects.count() == 1 and CompletionRecord.objects.count() == 1


def test_an_expired_code_is_explained_and_nothing_is_pending(client, world):
    alice, session = world["alice"], world["session"]
    client.force_login(alice.user)
    old = make_token(session, timezone.now() - timedelta(seconds=TOKEN_SECONDS + 10))
    response = client.get(f"/learn/check-in/?t={old}")
    assert response.status_code == 200 and "msg-error" in response.content.decode()
    assert client.post("/learn/check-in/").status_code == 400
    assert not CheckIn.objects.exists()


def test_a_scan_is_remembered_only_for_a_while(client, world, monkeypatch):
    alice, session = world["alice"], world["session"]
    client.force_login(alice.user)
    client.get(f"/learn/check-in/?t={make_token(session)}")
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.post("/learn/check-in/").status_code == 400
    assert not CheckIn.objects.exists()


def test_the_learner_home_lists_my_upcoming_session_and_not_others(client, world):
    alice, bob, session = world["alice"], world["bob"], world["session"]
    assert offline.upcoming_sessions(alice.user) == [session]
    assert offline.upcoming_sessions(bob.user) == []
    client.force_login(alice.user)
    html = client.get("/learn/").content.decode()
    assert 'id="sessions"' in html and session.place in html
    item_page = client.get(f"/learn/offline/{world['item'].pk}/").content.decode()
    assert session.title in item_page
    check_in(alice.user, session)
    assert offline.upcoming_sessions(alice.user) == []
    client.force_login(bob.user)
    assert 'id="sessions"' not in client.get("/learn/").content.decode()
    # Bob's item page exists (it is his item) but lists no session of another sub-branch.
    assert session.title not in client.get(f"/learn/offline/{world['item'].pk}/").content.decode()


def test_the_qr_page_is_for_officers_and_shows_a_fresh_code(client, world, officer, trainer):
    session = world["session"]
    url = f"/admin/training/sessions/present/{session.pk}/"
    client.force_login(trainer)
    assert client.get(url).status_code in (302, 403)
    client.force_login(world["alice"].user)
    assert client.get(url).status_code in (302, 403)
    client.force_login(officer)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" in html and 'http-equiv="refresh"' in html
    assert response["Cache-Control"].startswith("max-age=0")
    attendance = client.get(f"/admin/training/sessions/attendance/{session.pk}/")
    assert attendance.status_code == 200


def test_officers_schedule_sessions_only_for_offline_items(client, world, officer):
    client.force_login(officer)
    course_item = make_item(world["plan"], "线上课程", everyone=True, course=None)
    data = {
        "plan_item": course_item.pk,
        "title": "错误的场次",
        "org_unit": world["org"]["LZ01"].pk,
        "starts_at": "2026-12-03 14:30",
        "ends_at": "2026-12-03 14:00",
        "place": "会议室",
        "trainer": "陈静",
    }
    response = client.post("/admin/training/sessions/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "plan_item" in errors and "ends_at" in errors
    data.update(plan_item=world["item"].pk, ends_at="2026-12-03 16:30")
    response = client.post("/admin/training/sessions/new/", data)
    assert response.status_code == 302
    assert world["item"].sessions.count() == 2


def test_the_api_lists_my_sessions_and_checks_in_with_the_token(client, world):
    alice, bob, session = world["alice"], world["bob"], world["session"]
    client.force_login(alice.user)
    listed = client.get("/api/v1/me/sessions").json()
    assert [row["id"] for row in listed] == [session.pk] and listed[0]["credit_hours"] == 3
    url = "/api/v1/me/check-in"
    response = client.post(url, {"token": "forged"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
    token = make_token(session)
    first = client.post(url, {"token": token}, content_type="application/json")
    assert first.status_code == 200 and first.json()["created"] is True
    again = client.post(url, {"token": token}, content_type="application/json")
    assert again.json() == {**first.json(), "created": False}
    assert client.get("/api/v1/me/sessions").json() == []
    records = client.get("/api/v1/me/records").json()
    assert [(r["kind"], r["method"], r["session_id"]) for r in records] == [
        ("offline", "check_in", session.pk)
    ]
    client.force_login(bob.user)
    refused = client.post(url, {"token": token}, content_type="application/json")
    assert refused.status_code == 400 and "城关支行" in refused.json()["detail"]
    assert CheckIn.objects.count() == 1


def test_a_session_deleted_after_the_scan_is_explained_not_a_server_error(client, world):
    alice, session = world["alice"], world["session"]
    client.force_login(alice.user)
    client.get(f"/learn/check-in/?t={make_token(session)}")
    session.delete()  # no check-in yet, so the officer may still delete it
    response = client.get("/learn/check-in/")
    assert response.status_code == 200 and "msg-error" in response.content.decode()
    assert client.post("/learn/check-in/").status_code == 400
    assert not CheckIn.objects.exists()
