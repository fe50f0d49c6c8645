"""My notifications (page, badge, API) and the managers' one-tap reminder page: only my own
notifications; a manager reminds only units in their scope, once a day."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.utils import timezone

from lms.models import Reminder
from lms.services.reminders.daily import send_due_reminders
from lms.services.reminders.manual import AlreadyReminded, send_manual_reminders
from lms.services.reminders.notifications import mark_all_read, my_notifications
from tests.factories import UserFactory
from tests.lms.reminders_support import bank, days, publish

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/learn/notifications/"
API = "/api/v1/me/notifications"


def remind_url(unit):
    return f"/learn/team/units/{unit.pk}/remind/"


@pytest.fixture
def org():
    return bank()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def reminded(org, today, django_capture_on_commit_callbacks):
    """Everyone has one overdue item (3 days) and one due in a week, and today's reminders."""
    publish("逾期课程", due=today - days(3))
    publish("到期课程", due=today + days(7))
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today)
    return org


def login(client, staff_or_user):
    client.force_login(getattr(staff_or_user, "user", staff_or_user))
    return client


# --- Notifications --------------------------------------------------------------------------


def test_my_notifications_are_mine_newest_first_with_the_unread_count(reminded):
    units, people = reminded
    inbox = my_notifications(people["teller01"].user)
    assert inbox.unread == 2
    assert [note.recipient_id for note in inbox.items] == [people["teller01"].user_id] * 2
    assert sorted(note.kind for note in inbox.items) == [Reminder.DUE_SOON, Reminder.OVERDUE]
    sent = [note.sent_at for note in inbox.items]
    assert sent == sorted(sent, reverse=True)
    assert mark_all_read(people["teller01"].user) == 2
    assert my_notifications(people["teller01"].user).unread == 0
    assert my_notifications(people["teller02"].user).unread == 2  # not touched


def test_the_notifications_page_lists_only_mine_and_marks_them_read(reminded, client):
    units, people = reminded
    login(client, people["teller01"])
    html = client.get(NOTIFICATIONS).content.decode()
    assert html.count('class="note is-unread"') == 2
    assert "逾期课程" in html and "到期课程" in html
    assert "李二" in html and "王三" not in html  # my greeting, nobody else's
    response = client.post(NOTIFICATIONS)
    assert response.status_code == 302 and response["Location"] == NOTIFICATIONS
    assert my_notifications(people["teller01"].user).unread == 0
    assert my_notifications(people["teller02"].user).unread == 2
    assert 'class="note is-unread"' not in client.get(NOTIFICATIONS).content.decode()


def test_mark_all_read_needs_the_csrf_token(reminded):
    units, people = reminded
    client = login(Client(enforce_csrf_checks=True), people["teller01"])
    assert client.post(NOTIFICATIONS).status_code == 403
    assert my_notifications(people["teller01"].user).unread == 2


def test_the_notifications_page_needs_a_login(client):
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_learner_home_shows_the_unread_count(reminded, client):
    units, people = reminded
    login(client, people["teller01"])
    html = client.get("/learn/").content.decode()
    assert f'href="{NOTIFICATIONS}"' in html
    assert '<b class="learn-count"' in html and ">2</b>" in html
    mark_all_read(people["teller01"].user)
    html = client.get("/learn/").content.decode()
    assert f'href="{NOTIFICATIONS}"' in html and ">2</b>" not in html


def test_the_api_gives_my_notifications(reminded, client):
    units, people = reminded
    assert client.get(API).status_code == 401
    login(client, people["teller02"])
    data = client.get(API).json()
    assert data["unread"] == 2
    assert sorted(item["kind"] for item in data["items"]) == ["due_soon", "overdue"]
    assert {item["assignment_id"] for item in data["items"]} == set(
        Reminder.objects.filter(recipient=people["teller02"].user).values_list(
            "assignment_id", flat=True
        )
    )
    assert all(item["link"] == "http://testserver/learn/" for item in data["items"])


def test_in_app_links_are_paths_and_emails_keep_the_public_address(
    org, today, settings, django_capture_on_commit_callbacks
):
    """The site may run on another host than WAGTAILADMIN_BASE_URL: the notification's link is a
    path (it works wherever the page is served); the email still needs the absolute address."""
    settings.WAGTAILADMIN_BASE_URL = "http://lms.example.cn:8123"
    units, people = org
    publish("逾期课程", due=today - days(3))
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today)
    notes = Reminder.objects.filter(recipient=people["teller01"].user)
    assert notes and {note.link for note in notes} == {"/learn/"}
    email = next(m for m in mail.outbox if m.to == [people["teller01"].user.email])
    assert "http://lms.example.cn:8123/learn/" in email.body
    client = login(Client(), people["teller01"])
    html = client.get(NOTIFICATIONS).content.decode()
    assert 'href="/learn/"' in html and "lms.example.cn" not in html.split("note-body")[0]
    assert "http://lms.example.cn:8123/learn/" in html  # the body: the email's own text


def test_a_stored_absolute_link_is_shown_as_its_path(org, today, client):
    units, people = org
    Reminder.objects.create(
        recipient=people["teller01"].user,
        kind=Reminder.DIGEST,
        day=today,
        subject="旧提醒",
        body="旧提醒",
        link="http://127.0.0.1:8000/learn/?tab=due#top",
        language="zh-hans",
    )
    login(client, people["teller01"])
    html = client.get(NOTIFICATIONS).content.decode()
    assert 'href="/learn/?tab=due#top"' in html and "127.0.0.1" not in html
    assert client.get(API).json()["items"][0]["link"] == "http://testserver/learn/?tab=due#top"


def test_the_notifications_page_reads_like_a_chinese_app(reminded, client):
    """ "Read" expands the text (阅读全文) and "Open" follows the link (立即查看): not 已读
    ("has been read") and 未完成 ("not completed", a plan item's status)."""
    units, people = reminded
    login(client, people["teller01"])
    html = client.get(NOTIFICATIONS, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<summary>阅读全文</summary>" in html
    assert html.count('href="/learn/">立即查看</a>') == 2
    assert "已读</summary>" not in html and "未完成</a>" not in html


# --- The one-tap reminder -------------------------------------------------------------------


@pytest.fixture
def overdue(org, today):
    publish("逾期课程", due=today - days(3))
    return org


def test_a_manager_sees_who_is_overdue_and_reminds_them_in_one_tap(
    overdue, client, django_capture_on_commit_callbacks
):
    units, people = overdue
    login(client, people["head01"])
    html = client.get(remind_url(units["LZ0101"])).content.decode()
    assert "李二" in html and "逾期课程" in html
    assert "张一" not in html.split('class="remind-people"')[1]  # not the manager themselves
    assert 'class="remind-form"' in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(units["LZ0101"]), follow=True)
    assert response.redirect_chain == [(remind_url(units["LZ0101"]), 302)]
    manual = Reminder.objects.get(kind=Reminder.MANUAL)
    assert (manual.recipient, manual.sent_by) == (people["teller01"].user, people["head01"].user)
    assert manual.org_unit == units["LZ0101"]
    assert [m.to for m in mail.outbox] == [["teller01@bank.example"]]
    assert "张一" in mail.outbox[0].subject and "逾期课程" in mail.outbox[0].body
    assert 'class="remind-form"' not in response.content.decode()


def test_a_second_tap_the_same_day_is_refused_politely(overdue, client, today):
    units, people = overdue
    login(client, people["head01"])
    response = client.post(remind_url(units["LZ0101"]), follow=True)
    assert len(response.context["messages"]) == 1  # sent
    response = client.post(remind_url(units["LZ0101"]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    sent_at = timezone.localtime(Reminder.objects.get(kind=Reminder.MANUAL).sent_at)
    assert len(messages) == 1 and sent_at.strftime("%H:%M") in messages[0]
    assert Reminder.objects.filter(kind=Reminder.MANUAL).count() == 1
    with pytest.raises(AlreadyReminded) as refused:
        send_manual_reminders(people["head01"].user, units["LZ0101"], today=today)
    tomorrow = today + datetime.timedelta(days=1)
    assert timezone.localtime(refused.value.next_at).date() == tomorrow
    # tomorrow the unit can be reminded again
    assert send_manual_reminders(people["head01"].user, units["LZ0101"], today=tomorrow) == 1


def test_a_parent_unit_tap_skips_people_already_reminded_today(overdue, today):
    units, people = overdue
    assert send_manual_reminders(people["head01"].user, units["LZ0101"], today=today) == 1
    # the sub-branch head: head01 and teller02 (teller01 had theirs; not themselves)
    assert send_manual_reminders(people["subhead"].user, units["LZ01"], today=today) == 2
    assert sorted(
        Reminder.objects.filter(kind=Reminder.MANUAL).values_list("recipient__username", flat=True)
    ) == ["head01", "teller01", "teller02"]


def test_the_remind_page_is_scoped(overdue, client):
    units, people = overdue
    url = remind_url(units["LZ0101"])
    assert client.get(url).status_code == 302  # to the login page
    login(client, people["head21"])  # manager2: another outlet
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.get(remind_url(units["LZ0201"])).status_code == 200
    login(client, people["teller01"])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    login(client, UserFactory(username="trainer"))
    assert client.get(url).status_code == 403
    login(client, people["subhead"])
    assert client.get(url).status_code == 200
    assert client.get(remind_url(units["LZ"])).status_code == 404
    assert client.get("/learn/team/units/999999/remind/").status_code == 404
    assert not Reminder.objects.exists()


def test_the_officer_may_remind_any_unit(overdue, client):
    units, people = overdue
    officers = Group.objects.create(name="Officers")
    officers.permissions.add(Permission.objects.get(codename="view_all_progress"))
    officer = UserFactory(username="officer")
    officer.groups.add(officers)
    login(client, officer)
    assert client.get(remind_url(units["LZ"])).status_code == 200
    client.post(remind_url(units["LZ"]))
    assert Reminder.objects.filter(kind=Reminder.MANUAL).count() == 6
