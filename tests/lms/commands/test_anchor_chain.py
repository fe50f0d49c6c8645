"""``manage.py lms_anchor_chain`` (and its task), the email to the officers, and
``lms_verify_records --anchors``: what they say and their exit codes."""

import json
import smtplib
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import override_settings

from lms import services
from lms.models import CompletionRecord
from lms.tasks import anchor_chain_task
from tests.factories import UserFactory

RECORDS = CompletionRecord._meta.db_table
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
english = override_settings(LANGUAGE_CODE="en")


def write_records(count):
    user = UserFactory()
    return [
        services.record_completion(
            user, kind="course", title=f"课程{n}", completed_at=AT, method="online", score=70
        )
        for n in range(count)
    ]


def run(name, *args):
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@english
@pytest.mark.django_db
@pytest.mark.parametrize("flag", [(), ("--inline",)])
def test_the_command_writes_the_anchor_through_the_task_or_inline(tmp_path, flag):
    records = write_records(2)
    output = run("lms_anchor_chain", "--dir", str(tmp_path), "--date", "2026-12-06", *flag)
    path = tmp_path / "chain-anchor-20261206.json"
    assert "Anchored for 2026-12-06: 2 records" in output and str(path) in output
    assert f"newest record {records[-1].pk}" in output
    again = run("lms_anchor_chain", "--dir", str(tmp_path), "--date", "2026-12-06", *flag)
    assert again.startswith(f"Unchanged: {path} already anchors this head")
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.django_db
def test_the_task_returns_the_summary(tmp_path):
    write_records(1)
    result = anchor_chain_task.enqueue("2026-12-06", str(tmp_path), False)
    summary = result.return_value
    assert summary["written"] and summary["records"] == 1 and summary["verified"]
    assert summary["path"] == str(tmp_path / "chain-anchor-20261206.json")


@english
@pytest.mark.django_db
def test_the_command_fails_on_a_broken_chain_but_keeps_the_anchor_saying_so(tmp_path):
    records = write_records(2)
    sql = f"UPDATE {RECORDS} SET score = 1 WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [records[0].pk])
    with pytest.raises(CommandError, match=r"does not verify \(1 problem\)"):
        run("lms_anchor_chain", "--dir", str(tmp_path), "--inline")
    (path,) = tmp_path.iterdir()
    body = json.loads(path.read_text())["anchor"]
    assert (body["verified"], body["problems"]) == (False, 1)


@english
@pytest.mark.django_db
def test_the_officers_are_told_when_the_chain_did_not_verify(tmp_path, officer):
    officer.email = "officer@bank.example"
    officer.save()
    records = write_records(2)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {RECORDS} SET score = 1 WHERE id = %s", [records[0].pk])  # noqa: S608
    with pytest.raises(CommandError, match="does not verify"):
        run("lms_anchor_chain", "--dir", str(tmp_path), "--email")
    (message,) = mail.outbox
    assert "The chain did NOT verify when the anchor was taken (1 problem)" in message.body


@english
@pytest.mark.django_db
def test_the_command_refuses_public_media_and_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="MEDIA_ROOT"):
        run("lms_anchor_chain", "--dir", str(Path(settings.MEDIA_ROOT) / "x"), "--inline")
    with pytest.raises(CommandError, match="Not a date"):
        run("lms_anchor_chain", "--date", "2026-13-01")


@english
@pytest.mark.django_db
def test_the_anchor_is_emailed_to_the_officers_only_once(tmp_path, officer, trainer):
    officer.email = "officer@bank.example"
    officer.save()
    trainer.email = "trainer@bank.example"
    trainer.save()
    UserFactory(username="learner", email="learner@bank.example")
    UserFactory(username="gone", email="gone@bank.example", is_active=False).groups.set(
        officer.groups.all()
    )
    records = write_records(2)
    output = run("lms_anchor_chain", "--dir", str(tmp_path), "--date", "2026-12-06", "--email")
    assert "Emailed to 1 officer." in output
    assert [message.to for message in mail.outbox] == [["officer@bank.example"]]
    message = mail.outbox[0]
    assert message.subject == "[CP-LMS] Record chain anchor, 2026-12-06"
    assert "Records in the chain: 2" in message.body
    assert f"Newest record: {records[-1].pk}" in message.body
    assert f"Its hash: {records[-1].hash}" in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == "chain-anchor-20261206.json" and mimetype == "application/json"
    assert content == (tmp_path / name).read_text()
    run("lms_anchor_chain", "--dir", str(tmp_path), "--date", "2026-12-06", "--email")
    assert len(mail.outbox) == 1  # the same head: nothing written, nothing sent


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({})


@english
@pytest.mark.django_db
@override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend")
def test_a_failed_email_fails_the_command_and_keeps_the_anchor(tmp_path, officer):
    officer.email = "officer@bank.example"
    officer.save()
    write_records(1)
    with pytest.raises(CommandError, match="1 email to an officer failed"):
        run("lms_anchor_chain", "--dir", str(tmp_path), "--date", "2026-12-06", "--email")
    assert [p.name for p in tmp_path.iterdir()] == ["chain-anchor-20261206.json"]


@english
@pytest.mark.django_db
def test_an_emailed_copy_is_checked_like_the_servers_file(tmp_path, officer):
    officer.email = "officer@bank.example"
    officer.save()
    write_records(1)
    run("lms_anchor_chain", "--dir", str(tmp_path / "server"), "--email")
    copies = tmp_path / "saved"
    copies.mkdir()
    ((name, content, _mimetype),) = mail.outbox[0].attachments
    (copies / name).write_text(content)
    assert "1 of 1 chain anchor in" in run("lms_verify_records", "--anchors", str(copies))


@english
@pytest.mark.django_db
def test_verify_records_with_anchors_exits_non_zero_on_any_anchor_problem(tmp_path):
    write_records(2)
    run("lms_anchor_chain", "--dir", str(tmp_path))
    output = run("lms_verify_records", "--anchors", str(tmp_path))
    assert "1 of 1 chain anchor in" in output and "the chain is intact" in output
    with override_settings(LMS_ANCHOR_DIR=str(tmp_path)):
        assert "1 of 1 chain anchor in" in run("lms_verify_records", "--anchors")
    (path,) = tmp_path.iterdir()
    path.write_text(path.read_text().replace('"records": 2', '"records": 1'))
    with pytest.raises(CommandError, match="The chain anchors show 1 problem"):
        run("lms_verify_records", "--anchors", str(tmp_path))
    with pytest.raises(CommandError, match="The chain anchors show 1 problem"):
        run("lms_verify_records", "--anchors", str(tmp_path / "empty"))
    # Without --anchors, the files are not read.
    assert "the chain is intact" in run("lms_verify_records")


@english
@pytest.mark.django_db
def test_an_empty_chain_is_anchored_without_a_newest_record(tmp_path):
    output = run("lms_anchor_chain", "--dir", str(tmp_path), "--date", "2026-12-06")
    assert "Anchored for 2026-12-06: 0 records, newest record —, hash 0000" in output
