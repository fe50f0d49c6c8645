"""Reminders as 企业微信 app messages (the ``wecom`` notification channel), against the fake
WeCom server: the payload, one message per recipient, failures written on the rows and never
stopping the run or the emails, and the channel list setting."""

import pytest
from django.core import mail

from lms.models import Reminder, WeComIdentity
from lms.services.reminders import channels
from tests.lms.identity.wecom_fake import AGENT_ID
from tests.lms.reminders_support import TODAY, bank, days, publish, run, sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return bank()


def test_a_due_soon_reminder_goes_to_wecom_as_a_text_card(
    org, fake_wecom, django_capture_on_commit_callbacks
):
    units, people = org
    publish(due=TODAY + days(7))
    run(django_capture_on_commit_callbacks, TODAY)
    cards = {message["touser"]: message for message in fake_wecom.messages}
    # Everyone has an employee number, which is their userid by default: six learners.
    assert set(cards) == {"head01", "teller01", "teller02", "head21", "teller21", "subhead"}
    card = cards["teller01"]
    assert card["msgtype"] == "textcard" and card["agentid"] == int(AGENT_ID)
    row = sent(Reminder.DUE_SOON, recipient=people["teller01"].user).get()
    assert card["textcard"]["title"].endswith(row.subject)
    assert card["textcard"]["description"] == row.body
    assert card["textcard"]["url"] == "http://testserver" + row.path
    assert len(card["textcard"]["btntxt"]) <= 4
    assert row.wecom_sent_at is not None and row.wecom_error == ""
    assert row.emailed_at is not None  # the email went too
    assert len(mail.outbox) == 6
    assert len(fake_wecom.called("/cgi-bin/gettoken")) == 1


def test_the_userid_someone_signed_in_with_is_used(
    org, fake_wecom, django_capture_on_commit_callbacks
):
    units, people = org
    WeComIdentity.objects.create(user=people["teller01"].user, userid="lier")
    publish(due=TODAY + days(7))
    run(django_capture_on_commit_callbacks, TODAY)
    assert "lier" in {message["touser"] for message in fake_wecom.messages}
    assert "teller01" not in {message["touser"] for message in fake_wecom.messages}


def test_an_unreachable_recipient_is_written_on_the_row_and_the_rest_go(
    org, fake_wecom, django_capture_on_commit_callbacks
):
    units, people = org
    fake_wecom.unreachable.add("teller01")
    publish(due=TODAY + days(7))
    summary = run(django_capture_on_commit_callbacks, TODAY)
    failed = sent(Reminder.DUE_SOON, recipient=people["teller01"].user).get()
    assert failed.wecom_sent_at is None and "teller01" in failed.wecom_error
    assert failed.emailed_at is not None  # the email is not affected
    assert sent(Reminder.DUE_SOON, wecom_sent_at__isnull=False).count() == 5
    assert summary["due_soon"] == 6


def test_wecom_refusing_every_send_is_recorded_and_the_run_completes(
    org, fake_wecom, django_capture_on_commit_callbacks
):
    fake_wecom.send_errcode = 48002
    publish(due=TODAY + days(7))
    run(django_capture_on_commit_callbacks, TODAY)
    rows = sent(Reminder.DUE_SOON)
    assert rows.count() == 6
    assert all(row.wecom_sent_at is None for row in rows)
    assert {row.wecom_error for row in rows} == {"WeCom error 48002: api forbidden"}
    assert len(mail.outbox) == 6


def test_wecom_down_does_not_break_the_run(
    org, fake_wecom, settings, django_capture_on_commit_callbacks
):
    settings.LMS_WECOM_API_BASE = "http://127.0.0.1:9"
    publish(due=TODAY + days(7))
    run(django_capture_on_commit_callbacks, TODAY)
    rows = sent(Reminder.DUE_SOON)
    assert rows.count() == 6 and all("URLError" in row.wecom_error for row in rows)
    assert len(mail.outbox) == 6


def test_without_wecom_configured_nothing_is_tried(org, django_capture_on_commit_callbacks):
    publish(due=TODAY + days(7))
    run(django_capture_on_commit_callbacks, TODAY)
    rows = sent(Reminder.DUE_SOON)
    assert all(row.wecom_sent_at is None and row.wecom_error == "" for row in rows)
    assert len(mail.outbox) == 6


class BrokenChannel(channels.Channel):
    name = "broken"

    def send(self, reminder_ids):
        raise RuntimeError("boom")


def test_channels_are_configurable_and_a_broken_one_stops_nothing(
    org, fake_wecom, settings, django_capture_on_commit_callbacks
):
    settings.LMS_NOTIFICATION_CHANNELS = [
        "tests.lms.identity.test_wecom_messages.BrokenChannel",
        "wecom",
    ]
    publish(due=TODAY + days(7))
    run(django_capture_on_commit_callbacks, TODAY)
    assert len(fake_wecom.messages) == 6
    assert len(mail.outbox) == 0  # email is not in the list
    assert all(row.emailed_at is None for row in sent(Reminder.DUE_SOON))


def test_several_reminders_to_one_person_are_one_card_to_the_notifications(fake_wecom, org):
    units, people = org
    user = people["teller01"].user
    rows = [
        Reminder.objects.create(
            recipient=user,
            kind=kind,
            day=TODAY,
            subject=f"主题{n}",
            body="正文",
            language="zh-hans",
        )
        for n, kind in enumerate((Reminder.CHASE, Reminder.DIGEST))
    ]
    assert channels.WeComChannel().send([row.pk for row in rows]) == 1
    [card] = fake_wecom.messages
    assert card["textcard"]["url"] == "http://testserver/learn/notifications/"
    assert "主题0" in card["textcard"]["description"] and "主题1" in card["textcard"]["description"]
    # Sent once: a second call sends nothing.
    assert channels.WeComChannel().send([row.pk for row in rows]) == 0
