"""Two (six) reminder runs, or manager taps, at the same moment, with real threads and
connections: every reminder is stored once and emailed once (SQLite WAL and PostgreSQL)."""

import pytest
from django.core import mail

from lms.models import Reminder
from lms.services.reminders.daily import send_due_reminders
from lms.services.reminders.manual import AlreadyReminded, send_manual_reminders
from tests.concurrency import THREADS, run_concurrently
from tests.lms.reminders_support import TODAY, bank, days, publish

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_runs_send_each_reminder_once():
    bank()
    publish("课程甲", due=TODAY + days(7))
    publish("课程乙", due=TODAY - days(7))
    results, errors = run_concurrently(lambda: send_due_reminders(TODAY))
    assert errors == []
    assert len(results) == THREADS
    # 6 due soon + 6 overdue + 3 chase lists, stored once, each by exactly one run
    assert Reminder.objects.count() == 15
    assert sum(r["due_soon"] + r["overdue"] + r["chase"] for r in results) == 15
    # one email per person, sent by whichever run stored their reminders
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{name}@bank.example"
        for name in ("head01", "teller01", "teller02", "head21", "teller21", "subhead")
    )
    assert Reminder.objects.filter(emailed_at__isnull=True).count() == 0


def test_simultaneous_taps_remind_each_overdue_person_once():
    units, people = bank()
    publish(due=TODAY - days(3))
    manager = people["subhead"].user

    def tap():
        try:
            return send_manual_reminders(manager, units["LZ01"], today=TODAY)
        except AlreadyReminded:
            return "already"

    results, errors = run_concurrently(tap)
    assert errors == []
    # LZ01's subtree: head01, teller01 and teller02 (not the sub-branch head who taps)
    assert sorted(results, key=str) == [3] + ["already"] * (THREADS - 1)
    assert Reminder.objects.filter(kind=Reminder.MANUAL).count() == 3
    assert len(mail.outbox) == 3
