"""``manage.py lms_send_reminders``, the task behind it, and the EMAIL_URL setting."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus

from config.settings.email import email_url_settings
from lms.models import Reminder
from lms.tasks import send_reminders_task
from tests.lms.reminders_support import TODAY, bank, publish


def says_6(output):
    return re.search(r"(?<![\d-])6(?!\d)", output) is not None


def command(*args):
    out = StringIO()
    call_command("lms_send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_dry_run_counts_and_stores_nothing():
    bank()
    publish()
    output = command("--date", TODAY.isoformat(), "--dry-run")
    assert "2026-06-10" in output and says_6(output)
    assert not Reminder.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("flag", [(), ("--inline",)])
def test_the_command_sends_through_the_task_or_inline(flag):
    bank()
    publish()
    output = command("--date", TODAY.isoformat(), *flag)
    assert "2026-06-10" in output and says_6(output)
    assert Reminder.objects.filter(kind=Reminder.DUE_SOON, day=TODAY).count() == 6
    assert not says_6(command("--date", TODAY.isoformat(), *flag))  # nothing twice
    assert Reminder.objects.count() == 6


@pytest.mark.django_db
def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="2026-13-01"):
        command("--date", "2026-13-01")


@pytest.mark.django_db
def test_the_task_returns_the_counts():
    bank()
    publish()
    result = send_reminders_task.enqueue(TODAY.isoformat())
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {
        "day": "2026-06-10",
        "due_soon": 6,
        "overdue": 0,
        "chase": 0,
        "digest": 0,
        "emails": 6,
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://lms%40bank.cn:s%3Acret@mail.bank.cn",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.bank.cn",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "lms@bank.cn",
                "EMAIL_HOST_PASSWORD": "s:cret",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            "smtps://mail.bank.cn:2465",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.bank.cn",
                "EMAIL_PORT": 2465,
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": True,
            },
        ),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url(url, expected):
    assert email_url_settings(url) == expected


@pytest.mark.parametrize("url", ["imap://mail.bank.cn", "smtp://mail.bank.cn:port"])
def test_a_bad_email_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        email_url_settings(url)
