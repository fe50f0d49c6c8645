"""The 团队进度 pages and the team API: what they show, the learner-home link, the charts, and
query counts that do not grow with the number of units and people."""

import html
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms import services
from lms.models import StaffProfile
from lms.views import charts
from tests.factories import UserFactory, make_staff
from tests.lms.team_data import at, frozen

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 4, 15))


def test_the_learner_home_links_managers_to_team_progress(client, team):
    team_url = reverse("lms:team")
    for role, shown in (
        ("manager", True),
        ("officer", True),
        ("teller", False),
        ("trainer", False),
    ):
        client.force_login(team["users"][role])
        page = client.get(reverse("lms:learn")).content.decode()
        assert (f'href="{team_url}"' in page) is shown, role


def test_a_non_manager_gets_a_page_saying_so(client, team):
    client.force_login(team["users"]["teller"])
    response = client.get(reverse("lms:team"))
    assert response.status_code == 403
    assert "您没有负责的机构" in response.content.decode()


def test_the_index_shows_my_units_and_links_to_the_overdue(client, team):
    client.force_login(team["users"]["manager"])
    with frozen(NOW):
        response = client.get(reverse("lms:team"))
    page = response.content.decode()
    unit = team["units"]["LZ0101"]
    assert [u.code for u in response.context["units"]] == ["LZ0101"]
    assert (
        f"{reverse('lms:team_unit', args=[unit.pk])}?plan={team['plan'].pk}&amp;status=overdue"
        in page
    )
    total = response.context["total"]
    assert (total.assigned, total.completed, total.overdue) == (6, 3, 1)


def test_the_unit_page_filters_to_the_overdue_people(client, team):
    client.force_login(team["users"]["manager"])
    unit = team["units"]["LZ0101"]
    url = reverse("lms:team_unit", args=[unit.pk])
    with frozen(NOW):
        response = client.get(url)
        page = response.content.decode()
        # The actions include, with the link to the overdue filter.
        assert 'class="btn btn-primary team-overdue-filter"' in page
        assert f"{url}?plan={team['plan'].pk}&amp;status=overdue" in page
        overdue = client.get(url, {"status": "overdue"})
    people = overdue.context["board"].people.object_list
    assert [(p.name, p.overdue) for p in people] == [("经理一", 1)]
    person_url = reverse("lms:team_person", args=[team["people"]["manager"].pk])
    assert person_url in overdue.content.decode()
    # Unknown filters and sorts fall back to the defaults.
    with frozen(NOW):
        response = client.get(url, {"status": "nope", "sort": "nope", "page": "x"})
    assert response.status_code == 200 and response.context["board"].status == "all"


def test_the_unit_page_has_charts_with_tables(client, team):
    client.force_login(team["users"]["officer"])
    with frozen(NOW):
        response = client.get(reverse("lms:team_unit", args=[team["units"]["LZ"].pk]))
    page = response.content.decode()
    assert page.count("<svg") == 2 and page.count('role="img"') == 2
    assert "城关支行" in page and "50%" in page  # LZ01's bar and its table row
    assert page.count("<table") == 3  # sub-units, items, weeks
    assert "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_the_person_page_lists_assignments_and_records(client, team):
    client.force_login(team["users"]["manager"])
    with frozen(NOW):
        response = client.get(reverse("lms:team_person", args=[team["people"]["teller"].pk]))
    assert [e.status for e in response.context["entries"]] == ["completed", "completed"]
    assert len(response.context["records"]) == 2
    assert response.context["done"] == 2


def test_the_api_unit_detail(client, team):
    client.force_login(team["users"]["officer"])
    with frozen(NOW):
        body = client.get(f"/api/v1/team/units/{team['units']['LZ01'].pk}").json()
    assert body["unit"]["code"] == "LZ01"
    assert body["unit"]["parent_id"] == team["units"]["LZ"].pk
    rates = body["unit"]["rates"]
    assert (rates["assigned"], rates["completed"], rates["percent"], rates["overdue"]) == (
        8,
        4,
        50.0,
        1,
    )
    assert rates["pace"] == "behind"  # item A is past its due date: 100 % expected
    assert [(i["title"], i["rates"]["completed"]) for i in body["items"]] == [
        ("投诉处理", 3),
        ("销售过程", 1),
    ]
    assert [c["code"] for c in body["children"]] == ["LZ0101", "LZ0102"]
    assert body["people_total"] == 0  # LZ01's people are in its outlets
    with frozen(NOW):
        body = client.get(f"/api/v1/team/units/{team['units']['LZ0101'].pk}").json()
    assert body["people_total"] == 3 and body["pages"] == 1
    assert body["people"][0] == {
        "id": team["people"]["manager"].pk,
        "name": "经理一",
        "employee_no": "manager",
        "unit": "城关营业部",
        "active": True,
        "assigned": 2,
        "completed": 0,
        "overdue": 1,
        "due_soon": 0,
        "exempt": 0,
    }
    with frozen(NOW):
        overdue = client.get(f"/api/v1/team/units/{team['units']['LZ0201'].pk}?status=overdue")
    assert [p["employee_no"] for p in overdue.json()["people"]] == ["c1", "manager2"]


def test_a_completion_shows_on_the_next_load(client, team):
    from tests.lms.team_data import assignment, complete

    client.force_login(team["users"]["manager"])
    url = f"/api/v1/team/units/{team['units']['LZ0101'].pk}"
    with frozen(NOW):
        assert client.get(url).json()["unit"]["rates"]["completed"] == 3
        complete(assignment(team, "manager", team["items"][1]), NOW)
        assert client.get(url).json()["unit"]["rates"]["completed"] == 4


def test_charts_escape_labels_and_clamp():
    svg = charts.bar_chart([("<b>甲</b>", 120, 30), ("乙", None, None)], "标题")
    assert "<b>" not in svg and "&lt;b&gt;甲&lt;/b&gt;" in svg
    assert 'width="292"' in svg  # 120 % drawn as a full bar (292 wide)
    line = charts.line_chart([("W01", 0), ("W02", 50), ("W03", 100)], "趋势")
    assert 'points="34,136 184,73 334,10"' in line


def grow(team, extra):
    """``extra`` more outlets under LZ01, each with one person (assigned by the plan sync)."""
    parent = team["units"]["LZ01"]
    staff = []
    for number in range(extra):
        parent.refresh_from_db()
        outlet = parent.add_child(code=f"LZ01X{number:02d}", name=f"新网点{number}")
        staff.append(make_staff(f"x{number:03d}", outlet, name=f"新人{number}"))
    services.plans.sync_many([s.pk for s in staff])
    team["units"]["LZ01"].refresh_from_db()


def query_counts(client, team, role):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=team["users"][role].pk)
    client.force_login(user)
    unit = team["units"]["LZ01"] if role == "officer" else team["units"]["LZ0101"]
    urls = [
        reverse("lms:team"),
        reverse("lms:team_unit", args=[unit.pk]),
        reverse("lms:team_unit", args=[unit.pk]) + "?status=overdue&sort=progress",
        reverse("lms:team_person", args=[team["people"]["teller"].pk]),
        "/api/v1/team/units/",
        f"/api/v1/team/units/{unit.pk}",
    ]
    counts = []
    for url in urls:
        with frozen(NOW), CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_query_counts_do_not_grow_with_units_and_people(client, team, role):
    grow(team, 2)
    if role == "manager":  # the manager's own outlet grows too
        for number in range(2):
            make_staff(f"m{number:03d}", team["units"]["LZ0101"])
        services.plans.sync_many(StaffProfile.objects.values_list("pk", flat=True))
    small = query_counts(client, team, role)
    grow_more = 18
    parent = team["units"]["LZ01"]
    for number in range(grow_more):
        parent.refresh_from_db()
        outlet = parent.add_child(code=f"LZ01Y{number:02d}", name=f"更多网点{number}")
        make_staff(f"y{number:03d}", outlet)
        make_staff(f"z{number:03d}", team["units"]["LZ0101"])
    services.plans.sync_many(StaffProfile.objects.values_list("pk", flat=True))
    big = query_counts(client, team, role)
    assert big == small
    assert UserFactory._meta.model.objects.count() > 40


JULY = at(date(2026, 7, 15))  # both items past due: the manager has 2 overdue, t2 has 1


def test_the_overdue_link_counts_people_and_lands_on_their_list(client, team):
    client.force_login(team["users"]["manager"])
    unit = team["units"]["LZ0101"]
    url = reverse("lms:team_unit", args=[unit.pk])
    with frozen(JULY):
        response = client.get(url)
    page = response.content.decode()
    assert response.context["counts"].overdue == 3  # assignments
    link = re.search(
        r'<a class="btn btn-primary team-overdue-filter" href="([^"]+)">(.*?)</a>', page
    )
    href, text = html.unescape(link.group(1)), link.group(2)
    assert re.search(r'<b class="team-count">2</b>', text), text
    path, fragment = href.split("#")
    assert fragment == "people" and 'id="people"' in page
    with frozen(JULY):
        listed = client.get(path)
    people = listed.context["board"].people.object_list
    assert sorted((p.name, p.overdue) for p in people) == [("柜员乙", 1), ("经理一", 2)]
    assert listed.context["board"].overdue_people == 2
    listed_page = listed.content.decode()
    # The list page re-renders with the fragment: the plan chooser keeps it (and the filter).
    assert 'action="#people"' in listed_page
    assert 'name="status" value="overdue"' in listed_page


def test_the_index_counts_overdue_people_with_the_fragment(client, team):
    client.force_login(team["users"]["manager"])
    unit = team["units"]["LZ0101"]
    with frozen(JULY):
        page = client.get(reverse("lms:team")).content.decode()
    unit_url = reverse("lms:team_unit", args=[unit.pk])
    href = f"{unit_url}?plan={team['plan'].pk}&amp;status=overdue#people"
    link = re.search(rf'<a class="team-overdue-link" href="{re.escape(href)}">(.*?)</a>', page)
    assert link and re.search(r"\b2\b", link.group(1)) and "3" not in link.group(1), page


def test_the_remind_page_leads_back_to_team_progress(client, team):
    client.force_login(team["users"]["manager"])
    unit = team["units"]["LZ0101"]
    plan = team["plan"].pk
    unit_url = reverse("lms:team_unit", args=[unit.pk])
    with frozen(JULY):
        page = client.get(f"{unit_url}?plan={plan}&status=overdue&sort=name").content.decode()
    remind = re.search(r'<a class="btn btn-block team-remind" href="([^"]+)"', page)
    remind_url = html.unescape(remind.group(1))
    with frozen(JULY):
        remind_page = client.get(remind_url).content.decode()

    def back(text):
        return html.unescape(
            re.search(r'class="btn btn-ghost btn-block team-back" href="([^"]+)"', text).group(1)
        )

    assert back(remind_page) == f"{unit_url}?plan={plan}&status=overdue&sort=name"
    assert "返回我的学习" not in remind_page and "返回团队进度" in remind_page
    assert f'href="{reverse("lms:team")}?plan={plan}"' in remind_page  # the crumb
    # From the index: back to 团队进度 with the plan.
    with frozen(JULY):
        index = client.get(reverse("lms:team")).content.decode()
    from_index = html.unescape(
        re.search(r'class="team-remind-link" href="([^"]+)"', index).group(1)
    )
    with frozen(JULY):
        assert back(client.get(from_index).content.decode()) == f"{reverse('lms:team')}?plan={plan}"
        # After sending, the page still leads back with the filters.
        sent = client.post(remind_url, follow=True).content.decode()
    assert back(sent) == f"{unit_url}?plan={plan}&status=overdue&sort=name"
