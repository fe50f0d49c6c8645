"""The daily reminder run: who gets which reminder on which day, what the email says, and that
running it twice sends nothing twice."""

import smtplib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lms import services
from lms.models import Assignment, Reminder
from lms.services.reminders.daily import due_soon_wanted, overdue_wanted, send_due_reminders
from tests.factories import UserFactory, make_staff
from tests.lms.reminders_support import MONDAY, TODAY, assignment, bank, days, publish, run, sent

pytestmark = pytest.mark.django_db
english = override_settings(LANGUAGE_CODE="en")


@pytest.fixture
def org():
    return bank()


def reminder_days(kind, since, until, capture, **filters):
    """Run every day from ``since`` to ``until``; the days a ``kind`` reminder matching
    ``filters`` was stored, as offsets from ``since``."""
    found = []
    day = since
    while day <= until:
        run(capture, day)
        if sent(kind, day=day, **filters).exists():
            found.append((day - since).days)
        day += days(1)
    return found


# --- The calendar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "last", "expected"),
    [
        (8, None, False),  # not yet
        (7, None, True),  # the early reminder
        (5, None, True),  # caught up when the run missed day 7 (or the assignment is new)
        (5, -7, False),  # already had it
        (2, -7, False),
        (1, -7, True),  # the last call
        (1, -2, False),  # a caught-up reminder 2 days before replaces the last call
        (1, -3, True),
        (0, None, True),  # due today, never reminded
        (0, -1, False),
        (-1, None, False),  # overdue is another kind
    ],
)
def test_when_a_due_soon_reminder_is_wanted(days_left, last, expected):
    due = TODAY + days(days_left)
    last_day = None if last is None else due + days(last)
    assert due_soon_wanted(due, TODAY, last_day, window=7) is expected


@pytest.mark.parametrize(
    ("days_overdue", "since_last", "expected"),
    [
        (0, None, False),
        (1, None, True),
        (1, 0, False),
        (7, 6, False),
        (8, 7, True),
        (30, None, True),
    ],
)
def test_when_an_overdue_reminder_is_wanted(days_overdue, since_last, expected):
    last_day = None if since_last is None else TODAY - days(since_last)
    assert overdue_wanted(TODAY - days(days_overdue), TODAY, last_day, repeat=7) is expected


def test_due_soon_7_and_1_days_before_then_overdue_on_day_1_and_weekly(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    due = TODAY + days(7)
    item = publish(due=due)
    mine = {"assignment": assignment(people["teller01"], item)}
    start = due - days(10)
    assert reminder_days(
        Reminder.DUE_SOON, start, due + days(16), django_capture_on_commit_callbacks, **mine
    ) == [3, 9]  # due - 7, due - 1
    assert [(r.day - due).days for r in sent(Reminder.OVERDUE, **mine).order_by("day")] == [
        1,
        8,
        15,
    ]


def test_an_assignment_made_2_days_before_its_due_date_gets_one_reminder(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    due = TODAY + days(2)
    item = publish(due=due)
    mine = {"assignment": assignment(people["teller01"], item)}
    assert reminder_days(
        Reminder.DUE_SOON, TODAY, due, django_capture_on_commit_callbacks, **mine
    ) == [0]


def test_chase_lists_go_to_the_nearest_managers_after_7_days(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    due = TODAY
    publish(due=due)
    for day in range(1, 7):
        run(django_capture_on_commit_callbacks, due + days(day))
    assert not sent(Reminder.CHASE).exists()

    run(django_capture_on_commit_callbacks, due + days(7))
    chases = {r.recipient.username: r for r in sent(Reminder.CHASE).select_related("recipient")}
    # head01 is chased about teller01; head01's own and teller02's (LZ0102 has no manager) go
    # up to the sub-branch head; nobody manages above the sub-branch heads.
    assert sorted(chases) == ["head01", "head21", "subhead"]
    assert "李二（teller01）" in chases["head01"].body
    assert "张一（head01）" not in chases["head01"].body
    assert (
        "张一（head01）" in chases["subhead"].body and "王三（teller02）" in chases["subhead"].body
    )
    assert "孙六（subhead）" not in chases["subhead"].body
    assert "钱五（teller21）" in chases["head21"].body
    assert chases["head01"].org_unit == units["LZ0101"]
    assert chases["subhead"].org_unit == units["LZ01"]  # both reach them through LZ01
    assert f"/learn/team/units/{units['LZ0101'].pk}/remind/" in chases["head01"].body


def test_chase_again_when_someone_new_crosses_the_line_else_weekly(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    due = TODAY
    publish("课程甲", due=due)
    publish("课程乙", due=due + days(3))
    assert reminder_days(
        Reminder.CHASE,
        due,
        due + days(18),
        django_capture_on_commit_callbacks,
        recipient=people["head01"].user,
    ) == [7, 10, 17]


def test_a_manager_who_left_is_skipped_for_the_next_one_up(org, django_capture_on_commit_callbacks):
    units, people = org
    publish(due=TODAY - days(7))
    people["head01"].is_active = False
    people["head01"].save()
    run(django_capture_on_commit_callbacks, TODAY)
    assert "李二（teller01）" in sent(Reminder.CHASE, recipient=people["subhead"].user).get().body
    assert not sent(Reminder.CHASE, recipient=people["head01"].user).exists()


def test_leavers_withdrawn_completed_and_unpublished_get_nothing(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    item = publish(due=TODAY + days(7))
    people["teller01"].is_active = False  # a leaver (before the roster withdrew their work)
    people["teller01"].save()
    people["teller02"].user.is_active = False
    people["teller02"].user.save()
    assignment(people["teller21"], item).__class__.objects.filter(staff=people["teller21"]).update(
        status=Assignment.WITHDRAWN
    )
    Assignment.objects.filter(staff=people["head21"]).update(status=Assignment.COMPLETED)
    closed = publish("已关闭计划", due=TODAY + days(7))
    services.close_plan(closed.plan)
    run(django_capture_on_commit_callbacks, TODAY)
    assert sorted(sent(Reminder.DUE_SOON).values_list("recipient__username", flat=True)) == [
        "head01",
        "subhead",
    ]
    assert {r.assignment.plan_item for r in sent(Reminder.DUE_SOON)} == {item}


# --- The Monday digest ----------------------------------------------------------------------


@pytest.fixture
def officers(org):
    units, people = org
    group = Group.objects.create(name="Officers")
    group.permissions.add(Permission.objects.get(codename="view_all_progress"))
    officer = UserFactory(username="officer", email="officer@bank.example")
    officer.groups.add(group)
    gone = UserFactory(username="officer-gone", email="gone@bank.example", is_active=False)
    gone.groups.add(group)
    left = make_staff("officer-left", units["LZ"], user=UserFactory(username="officer-left"))
    left.is_active = False
    left.save()
    left.user.groups.add(group)
    UserFactory(username="admin", is_superuser=True, email="admin@bank.example")
    boss = UserFactory(username="boss", is_superuser=True, email="boss@bank.example")
    make_staff("boss", units["LZ"], user=boss, name="周行长")
    return officer, boss


@english
def test_the_digest_goes_to_officers_on_mondays_only(
    org, officers, django_capture_on_commit_callbacks
):
    units, people = org
    item = publish(due=MONDAY - days(3))
    Assignment.objects.filter(staff=people["teller01"], plan_item=item).update(
        status=Assignment.COMPLETED
    )
    run(django_capture_on_commit_callbacks, MONDAY + days(1))
    assert not sent(Reminder.DIGEST).exists()
    summary = run(django_capture_on_commit_callbacks, MONDAY)
    assert summary["digest"] == 2
    digests = {r.recipient.username: r for r in sent(Reminder.DIGEST).select_related("recipient")}
    assert sorted(digests) == [
        "boss",
        "officer",
    ]  # not the superuser without a profile, not leavers
    body = digests["officer"].body
    assert "- 城关支行: 1 of 4 done (25%), 3 overdue" in body
    assert "- 七里河支行: 0 of 2 done (0%), 2 overdue" in body
    assert digests["officer"].subject == "Weekly training digest, 2026-06-08"


# --- The emails -----------------------------------------------------------------------------


def test_the_email_is_in_chinese_with_the_title_due_date_and_a_link(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    publish("投诉处理规范", due=TODAY + days(7))
    run(django_capture_on_commit_callbacks, TODAY)
    email = next(m for m in mail.outbox if m.to == ["teller01@bank.example"])
    assert "消保学堂" in email.subject and "投诉处理规范" in email.subject
    assert "投诉处理规范" in email.body
    assert "2026-06-17" in email.body
    assert "http://testserver/learn/" in email.body
    row = sent(Reminder.DUE_SOON, recipient=people["teller01"].user).get()
    assert row.language == "zh-hans" and row.emailed_at is not None and row.email_error == ""


@english
def test_one_email_per_person_carries_all_their_new_reminders(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    publish("课程甲", due=TODAY + days(7))
    publish("课程乙", due=TODAY - days(1))
    summary = run(django_capture_on_commit_callbacks, TODAY)
    assert (summary["due_soon"], summary["overdue"]) == (6, 6)
    mine = [m for m in mail.outbox if m.to == ["teller01@bank.example"]]
    assert len(mine) == 1
    assert mine[0].subject == "[CP-LMS] 2 training reminders"
    assert "“课程甲” is due on 2026-06-17" in mine[0].body
    assert "“课程乙” was due on 2026-06-09" in mine[0].body


def test_running_twice_the_same_day_sends_exactly_what_once_does(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    publish("课程甲", due=TODAY + days(7))
    publish("课程乙", due=TODAY - days(7))
    first = run(django_capture_on_commit_callbacks, TODAY)
    emails, rows = len(mail.outbox), Reminder.objects.count()
    assert first["emails"] == rows == 6 + 6 + 3  # due soon, overdue, chase lists
    assert emails == 6  # one per person: a manager's chase list comes with their own reminders
    second = run(django_capture_on_commit_callbacks, TODAY)
    assert (len(mail.outbox), Reminder.objects.count()) == (emails, rows)
    assert second == {**first, "due_soon": 0, "overdue": 0, "chase": 0, "emails": 0}


def test_a_dry_run_stores_and_sends_nothing(org, django_capture_on_commit_callbacks):
    publish(due=TODAY + days(7))
    summary = run(django_capture_on_commit_callbacks, TODAY, dry_run=True)
    assert summary["due_soon"] == 6
    assert (Reminder.objects.count(), len(mail.outbox)) == (0, 0)


class FailingBackend(BaseEmailBackend):
    calls = 0

    def send_messages(self, messages):
        FailingBackend.calls += 1
        raise smtplib.SMTPServerDisconnected("mail server went away")


@override_settings(EMAIL_BACKEND="tests.lms.services.reminders.test_daily.FailingBackend")
def test_a_failed_email_is_written_on_the_row_and_not_retried(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    publish(due=TODAY + days(7))
    FailingBackend.calls = 0
    run(django_capture_on_commit_callbacks, TODAY)
    assert FailingBackend.calls == 6
    row = sent(Reminder.DUE_SOON, recipient=people["teller01"].user).get()
    assert row.emailed_at is None
    assert row.email_error == "SMTPServerDisconnected: mail server went away"
    run(django_capture_on_commit_callbacks, TODAY)
    assert FailingBackend.calls == 6
    assert sent(Reminder.DUE_SOON).count() == 6  # still in everyone's in-app list


def test_someone_without_an_email_address_is_reminded_in_app_only(
    org, django_capture_on_commit_callbacks
):
    units, people = org
    people["teller01"].user.email = ""
    people["teller01"].user.save()
    publish(due=TODAY + days(7))
    summary = run(django_capture_on_commit_callbacks, TODAY)
    assert (summary["due_soon"], summary["emails"], len(mail.outbox)) == (6, 5, 5)
    assert sent(Reminder.DUE_SOON, recipient=people["teller01"].user, email="").exists()


# --- Queries --------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_number_of_people(
    org, officers, django_capture_on_commit_callbacks
):
    """From reading to emailing, on a Monday (digest) with due-soon, overdue and chase lists.
    The rows go in one INSERT per batch (500 rows on PostgreSQL; SQLite's 999-parameter limit
    makes a batch 58 rows): the data here stays within one batch on both."""
    units, people = org

    def measure():
        Reminder.objects.all().delete()
        mail.outbox.clear()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            summary = send_due_reminders(MONDAY)
        return len(queries), summary

    soon = publish("课程甲", due=MONDAY + days(7), units=[units["LZ0201"]])
    late = publish("课程乙", due=MONDAY - days(8))
    few, few_summary = measure()
    for n in range(18):
        staff = make_staff(f"2{n:05d}", units["LZ0102" if n % 2 else "LZ0201"])
        staff.user.email = f"2{n:05d}@bank.example"
        staff.user.save()
    services.publish_plan(soon.plan)
    services.publish_plan(late.plan)
    many, many_summary = measure()
    assert (few_summary["due_soon"], many_summary["due_soon"]) == (2, 11)
    assert (few_summary["overdue"], many_summary["overdue"]) == (7, 25)  # with "boss"
    assert (few_summary["chase"], few_summary["digest"]) == (3, 2)
    assert (many_summary["chase"], many_summary["digest"]) == (3, 2)
    assert (few_summary["emails"], many_summary["emails"]) == (2 + 7 + 3 + 2, 11 + 25 + 3 + 2)
    # one email per person; "boss" gets the digest with their own overdue reminder
    assert (len(mail.outbox), few, many) == (7 + 18 + 1, 12, 12)
