"""Scope of every 团队进度 URL and team API endpoint, with the demo's roles: a manager sees
their outlet only (another outlet's unit or person by id is a 404), learners and trainers get
403, the officer sees everything."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

API = "/api/v1/team/units/"


def urls(team):
    units, people = team["units"], team["people"]
    return {
        "index": reverse("lms:team"),
        "own_unit": reverse("lms:team_unit", args=[units["LZ0101"].pk]),
        "other_unit": reverse("lms:team_unit", args=[units["LZ0201"].pk]),
        "parent_unit": reverse("lms:team_unit", args=[units["LZ01"].pk]),
        "own_person": reverse("lms:team_person", args=[people["teller"].pk]),
        "other_person": reverse("lms:team_person", args=[people["c1"].pk]),
        "api_list": API,
        "api_own_unit": f"{API}{units['LZ0101'].pk}",
        "api_other_unit": f"{API}{units['LZ0201'].pk}",
        "api_parent_unit": f"{API}{units['LZ01'].pk}",
    }


EXPECTED = {
    #           index own_u oth_u par_u own_p oth_p  api  api_own api_oth api_par
    "manager": (200, 200, 404, 404, 200, 404, 200, 200, 404, 404),
    "manager2": (200, 404, 200, 404, 404, 200, 200, 404, 200, 404),
    "teller": (403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "trainer": (403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "officer": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_team_url_is_scoped(client, team, role):
    client.force_login(team["users"][role])
    got = tuple(client.get(url).status_code for url in urls(team).values())
    assert got == EXPECTED[role]


def test_errors_are_json_with_a_detail(client, team):
    links = urls(team)
    client.force_login(team["users"]["manager"])
    response = client.get(links["api_other_unit"])
    assert response.status_code == 404 and response.json() == {"detail": "没有该机构。"}
    assert client.get(f"{API}999999").json() == {"detail": "没有该机构。"}
    response = client.get(f"{API}?plan=999999")
    assert response.status_code == 404 and response.json() == {"detail": "没有该培训计划。"}
    assert client.get(f"{API}?plan=abc").status_code == 422
    client.force_login(team["users"]["teller"])
    response = client.get(API)
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有负责的机构。"}


def test_the_manager_never_sees_another_outlets_numbers(client, team):
    client.force_login(team["users"]["manager"])
    body = client.get(API).json()
    assert [unit["code"] for unit in body["units"]] == ["LZ0101"]
    page = client.get(reverse("lms:team_unit", args=[team["units"]["LZ0101"].pk]))
    names = [p.name for p in page.context["board"].people.object_list]
    assert sorted(names) == ["柜员乙", "柜员甲", "经理一"]
    assert "西站员工" not in page.content.decode()


def test_visitors_are_sent_to_log_in(client, team):
    for url in list(urls(team).values())[:6]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(API).status_code == 401
