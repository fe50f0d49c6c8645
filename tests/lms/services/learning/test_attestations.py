"""Attestations: "I have read and understood …" recorded with the revision read; a new revision
re-opens it; the learner page; only my own."""

import json
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from lms import services
from lms.models import Assignment, CompletionRecord, PlanItem
from lms.services.learning.attestations import (
    REATTEST_DAYS,
    AttestationError,
    attest,
    reopen_attestations,
)
from tests.factories import (
    PASSWORD,
    lessons_of,
    make_item,
    make_org,
    make_plan,
    make_staff,
    publish,
)

pytestmark = pytest.mark.django_db
STATEMENT = "我已阅读并理解上述内容，并将在工作中遵照执行。"


@pytest.fixture
def world(course):
    org = make_org()
    lesson = lessons_of(course)[0]
    today = timezone.localdate()
    plan = make_plan(today.year)
    item = make_item(
        plan,
        "首问负责制阅读确认",
        kind=PlanItem.ATTESTATION,
        page=lesson,
        statement=STATEMENT,
        everyone=True,
        due_date=today + timedelta(days=3),
        credit_hours=0.5,
    )
    alice = make_staff("000101", org["LZ0101"], name="王芳")
    bob = make_staff("000102", org["LZ0201"], name="李强")
    services.publish_plan(plan)
    return {"org": org, "lesson": lesson, "plan": plan, "item": item, "alice": alice, "bob": bob}


def test_attesting_records_the_revision_read_and_completes_the_assignment(world):
    alice, item, lesson = world["alice"], world["item"], world["lesson"]
    record = attest(alice.user, item, PASSWORD)
    assert record.kind == CompletionRecord.ATTESTATION
    assert record.method == CompletionRecord.ATTESTED
    assert record.page_id == lesson.pk
    assert record.content_revision_id == lesson.live_revision_id is not None
    assert record.credit_hours == item.credit_hours
    assert record.evidence == {
        "statement": STATEMENT,
        "plan_item": item.pk,
        "signature": "password",
    }
    assert record.credited_unit == world["org"]["LZ0101"]
    assignment = Assignment.objects.get(staff=alice, plan_item=item)
    assert (assignment.status, assignment.record_id) == (Assignment.COMPLETED, record.pk)
    # Confirming again is the same confirmation.
    assert attest(alice.user, item, PASSWORD).pk == record.pk
    assert CompletionRecord.objects.filter(kind=CompletionRecord.ATTESTATION).count() == 1
    assert services.verify_chain().ok


def test_a_new_revision_reopens_the_attestation_and_keeps_the_old_record(world):
    alice, bob, item, lesson = world["alice"], world["bob"], world["item"], world["lesson"]
    old = attest(alice.user, item, PASSWORD)
    lesson.title = "首问负责制（修订）"
    publish(lesson)  # page_published → reopen_attestations
    assignment = Assignment.objects.get(staff=alice, plan_item=item)
    assert assignment.status == Assignment.OPEN and assignment.record_id is None
    assert assignment.reopened_at is not None
    # Due no sooner than REATTEST_DAYS from today (the item was due in 3 days).
    assert assignment.due_date == timezone.localdate() + timedelta(days=REATTEST_DAYS)
    # Bob never confirmed: nothing to re-open.
    assert Assignment.objects.get(staff=bob, plan_item=item).reopened_at is None
    new = attest(alice.user, item, PASSWORD)
    assert new.pk != old.pk and new.content_revision_id == lesson.live_revision_id
    assert new.content_revision_id != old.content_revision_id
    assert CompletionRecord.objects.filter(pk=old.pk).exists()
    assert Assignment.objects.get(staff=alice, plan_item=item).status == Assignment.COMPLETED
    # Publishing again without confirming the newest makes no difference to others.
    assert reopen_attestations(lesson) == 0


def test_reopening_keeps_a_later_due_date_and_skips_closed_plans(world):
    alice, item, lesson, plan = world["alice"], world["item"], world["lesson"], world["plan"]
    far = timezone.localdate() + timedelta(days=60)
    PlanItem.objects.filter(pk=item.pk).update(due_date=far)
    attest(alice.user, item, PASSWORD)
    services.close_plan(plan)
    publish(lesson)
    assert Assignment.objects.get(staff=alice, plan_item=item).status == Assignment.COMPLETED
    plan.status = plan.PUBLISHED
    plan.save()
    assert reopen_attestations(lesson) == 1
    assert Assignment.objects.get(staff=alice, plan_item=item).due_date == far


def test_only_assigned_active_staff_can_attest(world, learner):
    item = world["item"]
    with pytest.raises(AttestationError):
        attest(learner, item, PASSWORD)  # no staff profile
    bob = world["bob"]
    Assignment.objects.filter(staff=bob).update(status=Assignment.WITHDRAWN)
    with pytest.raises(AttestationError):
        attest(bob.user, item, PASSWORD)
    assert not CompletionRecord.objects.exists()


def test_publishing_a_plan_credits_an_earlier_confirmation_of_the_same_revision(world):
    alice, lesson = world["alice"], world["lesson"]
    attest(alice.user, world["item"], PASSWORD)
    plan = make_plan(timezone.localdate().year, title="补充计划")
    second = make_item(
        plan,
        "再次确认",
        kind=PlanItem.ATTESTATION,
        page=lesson,
        statement=STATEMENT,
        everyone=True,
        open_date=date(plan.year, 1, 1),
    )
    services.publish_plan(plan)
    assert Assignment.objects.get(staff=alice, plan_item=second).status == Assignment.COMPLETED
    assert Assignment.objects.get(staff=world["bob"], plan_item=second).status == Assignment.OPEN


def test_records_of_other_kinds_never_complete_an_attestation(world, course):
    """An attestation or offline item names neither course nor quiz: a course record must not
    match it (a NULL quiz id is not a match)."""
    alice = world["alice"]
    services.record_completion(
        alice.user,
        staff=alice,
        kind=CompletionRecord.COURSE,
        title="课程",
        course=course,
        completed_at=timezone.now(),
        method=CompletionRecord.ONLINE,
    )
    plan = make_plan(timezone.localdate().year, title="另一计划")
    other = make_item(
        plan, "确认", kind=PlanItem.ATTESTATION, page=world["lesson"], statement="x", everyone=True
    )
    offline = make_item(plan, "线下", kind=PlanItem.OFFLINE, everyone=True)
    services.publish_plan(plan)
    assert set(
        Assignment.objects.filter(staff=alice, plan_item__in=[other, offline]).values_list(
            "status", flat=True
        )
    ) == {Assignment.OPEN}


def test_the_learner_page_shows_the_content_and_records_the_confirmation(client, world):
    alice, item = world["alice"], world["item"]
    client.force_login(alice.user)
    url = f"/learn/attest/{item.pk}/"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert world["lesson"].title in html and STATEMENT in html and 'name="confirm"' in html
    # Without ticking the box nothing is recorded.
    response = client.post(url, {})
    assert response.status_code == 200 and not CompletionRecord.objects.exists()
    response = client.post(url, {"confirm": "yes", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == url
    assert CompletionRecord.objects.filter(user=alice.user).count() == 1
    html = client.get(url).content.decode()
    assert 'name="confirm"' not in html and "attest-done" in html
    # On the learner home the card leads here.
    home = client.get("/learn/").content.decode()
    assert url in home


def test_someone_elses_or_an_unassigned_attestation_is_404(client, world):
    bob, item = world["bob"], world["item"]
    Assignment.objects.filter(staff=bob).update(status=Assignment.WITHDRAWN)
    client.force_login(bob.user)
    assert client.get(f"/learn/attest/{item.pk}/").status_code == 404
    assert client.post(f"/learn/attest/{item.pk}/", {"confirm": "yes"}).status_code == 404
    assert client.get("/learn/attest/999999/").status_code == 404
    assert not CompletionRecord.objects.exists()


def test_the_api_confirms_an_attestation_for_the_learner_only(client, world):
    alice, bob, item = world["alice"], world["bob"], world["item"]
    client.force_login(alice.user)
    mine = client.get("/api/v1/me/assignments").json()
    assert [(row["kind"], row["page_id"], row["url"]) for row in mine] == [
        ("attestation", world["lesson"].pk, f"/learn/attest/{item.pk}/")
    ]
    signed = {"data": json.dumps({"password": PASSWORD}), "content_type": "application/json"}
    first = client.post(f"/api/v1/me/attestations/{item.pk}", **signed)
    assert first.status_code == 200 and first.json()["created"] is True
    again = client.post(f"/api/v1/me/attestations/{item.pk}", **signed)
    assert again.json() == {**first.json(), "created": False}
    record = client.get("/api/v1/me/records").json()[0]
    assert record["content_revision_id"] == world["lesson"].live_revision_id
    Assignment.objects.filter(staff=bob).update(status=Assignment.WITHDRAWN)
    client.force_login(bob.user)
    assert client.post(f"/api/v1/me/attestations/{item.pk}", **signed).status_code == 400
    assert client.post("/api/v1/me/attestations/999999", **signed).status_code == 404
    assert CompletionRecord.objects.count() == 1


def test_a_confirmation_needs_the_learners_own_password(client, world):
    alice, item = world["alice"], world["item"]
    with pytest.raises(AttestationError, match="密码不正确"):
        attest(alice.user, item, "wrong-password")
    with pytest.raises(AttestationError):
        attest(alice.user, item, "")
    assert not CompletionRecord.objects.exists()
    client.force_login(alice.user)
    url = f"/learn/attest/{item.pk}/"
    html = client.get(url).content.decode()
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    response = client.post(url, {"confirm": "yes", "password": "wrong-password"}, follow=True)
    assert "密码不正确" in response.content.decode()
    assert not CompletionRecord.objects.exists()
    unsigned = client.post(f"/api/v1/me/attestations/{item.pk}", "{}", "application/json")
    assert unsigned.status_code == 400 and "密码不正确" in unsigned.json()["detail"]
    assert not CompletionRecord.objects.exists()


def test_signing_is_refused_for_a_while_after_five_wrong_passwords(world):
    alice, item = world["alice"], world["item"]
    cache.clear()
    for _attempt in range(5):
        with pytest.raises(AttestationError, match="密码不正确"):
            attest(alice.user, item, "guess")
    with pytest.raises(AttestationError, match="15 分钟"):
        attest(alice.user, item, PASSWORD)  # even the right one, for now
    assert not CompletionRecord.objects.exists()
    cache.clear()
    assert attest(alice.user, item, PASSWORD).evidence["signature"] == "password"
