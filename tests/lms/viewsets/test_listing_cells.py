"""What the admin listings print in their cells: booleans as translated tags (not "True"),
offline sessions to come with their date, time and days ahead (not "刚刚"), and status cells
that do not wrap mid-word."""

import datetime
import re
from pathlib import Path

import pytest
import wagtail
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from lms.models import PlanItem
from tests.factories import UserFactory, make_item, make_plan, make_position, make_session
from tests.lms.report_world import build_world

pytestmark = pytest.mark.django_db


def in_chinese(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "zh-hans"
    profile.save()
    return user


@pytest.fixture
def root(client, db):
    user = in_chinese(UserFactory(username="root", is_superuser=True, is_staff=True))
    client.force_login(user)
    return client


def cells(html, column):
    """The texts of the ``<td>`` cells of the listing's column whose header is ``column``."""
    start = html.index('<table class="listing')
    table = html[start : html.index("</table>", start)]
    heads = re.findall(r"<th[^>]*>(.*?)</th>", table[: table.index("</thead>")], re.S)
    index = next(i for i, h in enumerate(heads) if column in re.sub(r"<[^>]+>", "", h))
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[table.index("<tbody") :], re.S)
    texts = []
    for row in rows:
        tds = re.findall(r"<td([^>]*)>(.*?)</td>", row, re.S)
        attrs, body = tds[index]
        texts.append((attrs, " ".join(re.sub(r"<[^>]+>", " ", body).split())))
    return texts


def test_booleans_are_translated_tags(root, org, people):
    leaver = people["teller_dg"]
    leaver.is_active = False
    leaver.save()
    staff = root.get(reverse("lms_staffprofile:index")).content.decode()
    assert sorted(text for _attrs, text in cells(staff, "在职")) == ["在职", "在职", "在职", "离职"]
    make_position("大堂经理", high_complaint=True)
    positions = root.get(reverse("lms_position:index")).content.decode()
    assert sorted(text for _attrs, text in cells(positions, "投诉多发")) == ["否", "否", "是"]
    plan = make_plan()
    make_item(plan, "必修课")
    make_item(plan, "选修课", mandatory=False)
    items = root.get(reverse("lms_planitem:index")).content.decode()
    assert sorted(text for _attrs, text in cells(items, "必修")) == ["必修", "选修"]
    closed = org["LZ0102"]
    closed.is_active = False
    closed.save()
    units = root.get(reverse("lms_orgunit:index")).content.decode()
    assert {text for _attrs, text in cells(units, "启用")} == {"启用", "停用"}
    for html in (staff, positions, items, units):
        assert "True" not in html and "False" not in html
    # Tags do not wrap.
    assert all("w-whitespace-nowrap" in attrs for attrs, _text in cells(staff, "在职"))


def test_a_session_six_days_ahead_shows_its_date_and_time(root, org):
    plan = make_plan()
    item = make_item(plan, "线下培训", kind=PlanItem.OFFLINE)
    now = timezone.localtime()
    starts = (now + datetime.timedelta(days=6)).replace(hour=9, minute=30, second=0, microsecond=0)
    make_session(item, org["LZ0101"], starts_at=starts)
    html = root.get(reverse("lms_offline_session:index")).content.decode()
    [(attrs, text)] = cells(html, "开始")
    assert text == f"{starts:%Y-%m-%d %H:%M} 6天后"
    assert "刚刚" not in html and "w-whitespace-nowrap" in attrs


def test_status_cells_do_not_wrap(client, catalog):
    world = build_world(catalog)
    client.force_login(world.users["manager"])
    html = client.get(reverse("lms_reports:assignments")).content.decode()
    statuses = cells(html, "Status")
    assert {text for _attrs, text in statuses} >= {"Overdue", "Completed"}
    assert all("w-whitespace-nowrap" in attrs for attrs, _text in statuses)
    # Wagtail's admin stylesheet defines that utility class.
    core = Path(wagtail.__file__).parent / "admin/static/wagtailadmin/css/core.css"
    assert ".w-whitespace-nowrap{white-space:nowrap}" in core.read_text()


def test_the_learner_css_keeps_tags_and_short_labels_on_one_line():
    static = Path(__file__).resolve().parents[3] / "lms/static/lms"
    for name, selectors in (
        ("team.css", [".tag", ".pace", ".team-count", ".team-unit-meta .is-late"]),
        ("learn.css", [".tag", ".card-status", ".remind-items .learn-when"]),
    ):
        css = re.sub(r"/\*.*?\*/", "", (static / name).read_text(), flags=re.S)
        rules = re.findall(r"([^{}]+)\{([^}]*)\}", css)
        nowrap = {
            selector.strip()
            for head, body in rules
            if "white-space: nowrap" in body
            for selector in head.split(",")
        }
        assert set(selectors) <= nowrap, (name, nowrap)
