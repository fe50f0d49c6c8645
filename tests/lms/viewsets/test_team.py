"""团队进度 in the Wagtail admin: the admin-home panel and the full page, scoped like the rest."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.lms.team_data import at, frozen

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 4, 15))
PAGE = "/admin/team-progress/"


def test_the_officer_sees_the_panel_and_the_full_page(client, team):
    client.force_login(team["users"]["officer"])
    with frozen(NOW):
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        page = client.get(PAGE)
    assert 'id="team-progress' in home and "41.7%" in home  # the branch: 5 of 12
    assert page.status_code == 200
    crumbs = [str(item["label"]) for item in page.context["breadcrumbs_items"]]
    assert crumbs[1:] == ["团队进度"]  # the header names the page
    html = page.content.decode()
    assert "已完成 / 应完成" in html and "完成率" in html
    assert [u.code for u in page.context["units"]] == [
        "LZ",
        "LZ01",
        "LZ0101",
        "LZ0102",
        "LZ02",
        "LZ0201",
    ]
    with frozen(NOW):
        outlet = client.get(PAGE, {"unit": team["units"]["LZ0201"].pk})
    people = outlet.context["board"].people.object_list
    assert [p.employee_no for p in people] == ["c1", "manager2"]
    crumbs = outlet.context["breadcrumbs_items"]
    assert [str(item["label"]) for item in crumbs[1:]] == ["团队进度", "西站网点"]
    assert crumbs[1]["url"] == f"{PAGE}?plan={team['plan'].pk}"
    assert reverse("lms:team_person", args=[team["people"]["c1"].pk]) in outlet.content.decode()


def test_an_admin_user_who_manages_nothing_sees_no_panel_and_no_page(client, team):
    client.force_login(team["users"]["trainer"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="team-progress' not in home
    assert "team-progress" not in home  # nor the menu item
    # Wagtail turns the PermissionDenied into a redirect to the admin home with a message.
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_a_manager_in_the_admin_sees_their_outlet_only(client, team):
    manager = team["users"]["manager"]
    manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(manager)
    with frozen(NOW):
        page = client.get(PAGE)
        assert [u.code for u in page.context["units"]] == ["LZ0101"]
        assert client.get(PAGE, {"unit": team["units"]["LZ0201"].pk}).status_code == 404
        assert client.get(PAGE, {"unit": "x"}).status_code == 404
        assert client.get(PAGE, {"plan": "999999"}).status_code == 404
