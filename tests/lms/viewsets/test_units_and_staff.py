"""The training admin's units and staff: units in a tree (placed, moved, re-sorted, never
deleted while staff or evidence refer to them), staff who are deactivated, not deleted."""

import pytest
from django.urls import NoReverseMatch, reverse

from lms import services
from lms.models import Assignment, OrgUnit, StaffProfile
from lms.viewsets.staff import staff_permission_policy
from tests.factories import (
    make_item,
    make_plan,
)
from tests.lms.viewsets.admin_support import admin_form, post_form


@pytest.mark.django_db
def test_officer_lists_units_as_a_tree(officer_client, org):
    response = officer_client.get(reverse("lms_orgunit:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "兰州分行 / 城关支行 / 东岗网点" in html
    # In tree order: a sub-branch before its outlets, outlets before the next sub-branch.
    assert html.index("城关支行") < html.index("东岗网点") < html.index("七里河支行")


@pytest.mark.django_db
def test_officer_creates_units_under_a_parent_and_at_the_top(officer_client, org):
    url = reverse("lms_orgunit:add")
    data = admin_form(officer_client, url)
    data["parent"] = str(org["LZ01"].pk)
    data.update({"code": "LZ0103", "name": "雁滩网点", "kind": OrgUnit.OUTLET})
    response = post_form(officer_client, url, data)
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="LZ0103")
    assert unit.get_parent().pk == org["LZ01"].pk
    assert unit.depth == 3 and unit.path.startswith(org["LZ01"].path)
    assert OrgUnit.objects.get(pk=org["LZ01"].pk).numchild == 3

    data = admin_form(officer_client, url)
    data["parent"] = ""
    data.update({"code": "TS", "name": "天水分行", "kind": OrgUnit.BRANCH})
    assert post_form(officer_client, url, data).status_code == 302
    root = OrgUnit.objects.get(code="TS")
    assert root.is_root() and root.depth == 1
    assert OrgUnit.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_changing_the_parent_moves_the_unit_and_its_staff_along(officer_client, org, people):
    outlet = org["LZ0102"]
    url = reverse("lms_orgunit:edit", args=(outlet.pk,))
    data = admin_form(officer_client, url)
    assert data["parent"] == str(org["LZ01"].pk)
    data["parent"] = str(org["LZ02"].pk)
    assert post_form(officer_client, url, data).status_code == 302
    outlet.refresh_from_db()
    assert outlet.get_parent().pk == org["LZ02"].pk
    moved = StaffProfile.objects.filter(org_unit__path__startswith=org["LZ02"].path)
    assert set(moved.values_list("employee_no", flat=True)) == {"000102", "000201"}
    assert OrgUnit.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_a_unit_cannot_move_below_itself(officer_client, org):
    branch = org["LZ01"]
    url = reverse("lms_orgunit:edit", args=(branch.pk,))
    data = admin_form(officer_client, url)
    data["parent"] = str(org["LZ0101"].pk)
    response = post_form(officer_client, url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    branch.refresh_from_db()
    assert branch.get_parent().pk == org["LZ"].pk


@pytest.mark.django_db
def test_deleting_a_unit_with_staff_explains_instead_of_failing(client, superuser, org, people):
    client.force_login(superuser)
    unit = org["LZ01"]  # staff are in the outlets below it
    url = reverse("lms_orgunit:delete", args=(unit.pk,))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "3" in html and "城关支行" in html
    assert 'type="submit"' not in html  # no "Yes, delete" button

    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert OrgUnit.objects.filter(pk=unit.pk).exists()
    shown = [str(message) for message in response.context["messages"]]
    assert any("城关支行" in message and "3" in message for message in shown), shown

    # An empty unit goes.
    empty = OrgUnit.objects.get(pk=org["LZ"].pk).add_child(code="LZ09", name="空网点")
    response = client.post(reverse("lms_orgunit:delete", args=(empty.pk,)))
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(pk=empty.pk).exists()


@pytest.mark.django_db
def test_officers_cannot_delete_units(officer_client, org):
    response = officer_client.post(reverse("lms_orgunit:delete", args=(org["LZ0102"].pk,)))
    assert response.status_code in (302, 403)
    assert OrgUnit.objects.filter(pk=org["LZ0102"].pk).exists()


@pytest.mark.django_db
def test_a_new_code_re_sorts_the_unit_among_its_siblings(officer_client, org):
    unit = org["LZ0101"]
    url = reverse("lms_orgunit:edit", args=(unit.pk,))
    data = admin_form(officer_client, url)
    data["code"] = "LZ0199"
    assert post_form(officer_client, url, data).status_code == 302
    siblings = OrgUnit.objects.get(pk=org["LZ01"].pk).get_children()
    assert [child.code for child in siblings] == ["LZ0102", "LZ0199"]
    assert OrgUnit.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_staff_list_filters_by_unit_subtree_position_and_search(officer_client, org, people):
    url = reverse("lms_staffprofile:index")
    html = officer_client.get(url, {"unit": org["LZ01"].pk}).content.decode()
    assert "000101" in html and "000102" in html and "000201" not in html
    html = officer_client.get(url, {"position": people["manager"].pk}).content.decode()
    assert "000103" in html and "000101" not in html
    html = officer_client.get(url, {"q": "孙四"}).content.decode()
    assert "000201" in html and "000101" not in html
    html = officer_client.get(url, {"q": "000102"}).content.decode()
    assert "王二" in html and "李一" not in html


@pytest.mark.django_db
def test_staff_cannot_be_deleted(client, superuser, officer, people):
    staff = people["teller_cg"]
    with pytest.raises(NoReverseMatch):
        reverse("lms_staffprofile:delete", args=(staff.pk,))
    for user in (officer, superuser):
        assert not staff_permission_policy.user_has_permission(user, "delete")
        client.force_login(user)
        for method in (client.get, client.post):
            response = method(f"/admin/training/staff/delete/{staff.pk}/")
            assert response.status_code == 404
        html = client.get(reverse("lms_staffprofile:edit", args=(staff.pk,))).content.decode()
        assert "/delete/" not in html
    assert StaffProfile.objects.filter(pk=staff.pk).exists()


@pytest.mark.django_db
def test_new_staff_get_a_login_and_their_assignments(officer_client, org, people):
    plan = make_plan()
    make_item(plan, "全员", everyone=True)
    services.publish_plan(plan)
    url = reverse("lms_staffprofile:add")
    data = admin_form(officer_client, url)
    data.update(
        {
            "employee_no": "000777",
            "name": "周五",
            "org_unit": str(org["LZ0201"].pk),
            "position": str(people["teller"].pk),
            "hire_date": "2026-03-01",
            "is_active": "on",
        }
    )
    assert post_form(officer_client, url, data).status_code == 302
    staff = StaffProfile.objects.get(employee_no="000777")
    assert staff.user.username == "000777" and not staff.user.has_usable_password()
    assert staff.assignments.filter(status=Assignment.OPEN).count() == 1


@pytest.mark.django_db
def test_a_leaver_is_deactivated_and_their_open_work_withdrawn(officer_client, people):
    plan = make_plan()
    make_item(plan, "全员", everyone=True)
    services.publish_plan(plan)
    staff = people["teller_dg"]
    url = reverse("lms_staffprofile:edit", args=(staff.pk,))
    data = admin_form(officer_client, url)
    data.pop("is_active", None)
    data["employee_no"] = "999999"  # disabled field: ignored
    assert post_form(officer_client, url, data).status_code == 302
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert not staff.is_active and staff.left_at is not None
    assert staff.employee_no == "000102"
    assert not staff.user.is_active
    assert staff.assignments.get().status == Assignment.WITHDRAWN


@pytest.mark.django_db
def test_a_login_that_is_already_someone_s_is_refused(officer_client, org, people):
    url = reverse("lms_staffprofile:add")
    data = admin_form(officer_client, url)
    data.update({"employee_no": "000101", "name": "重复", "org_unit": str(org["LZ0201"].pk)})
    response = post_form(officer_client, url, data)
    assert response.status_code == 200
    assert "employee_no" in response.context["form"].errors
    assert StaffProfile.objects.filter(employee_no="000101").count() == 1
