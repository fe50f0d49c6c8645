"""Who sees whose progress: the querysets every manager-facing view starts from."""

import pytest
from django.contrib.auth.models import Group, Permission

from lms.services import scope
from tests.factories import UserFactory, make_org, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    units = make_org()
    people = {
        "head01": make_staff("head01", units["LZ0101"]),
        "teller01": make_staff("teller01", units["LZ0101"]),
        "teller02": make_staff("teller02", units["LZ0102"]),
        "teller21": make_staff("teller21", units["LZ0201"]),
        "subhead": make_staff("subhead", units["LZ01"]),
    }
    people["head01"].managed_units.add(units["LZ0101"])
    # A sub-branch head who also (redundantly) manages an outlet below it.
    people["subhead"].managed_units.add(units["LZ01"], units["LZ0102"])
    return units, people


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def employees(queryset):
    return sorted(queryset.values_list("employee_no", flat=True))


def test_an_outlet_head_sees_their_outlet_only(org):
    units, people = org
    head = people["head01"].user
    assert codes(scope.visible_units(head)) == ["LZ0101"]
    assert employees(scope.visible_staff(head)) == ["head01", "teller01"]
    assert scope.is_manager(head)


def test_a_sub_branch_head_sees_the_subtree_once(org):
    units, people = org
    head = people["subhead"].user
    assert scope.managed_paths(head) == [units["LZ01"].path]
    assert codes(scope.visible_units(head)) == ["LZ01", "LZ0101", "LZ0102"]
    assert employees(scope.visible_staff(head)) == ["head01", "subhead", "teller01", "teller02"]


def test_learners_and_trainers_see_nobody(org):
    units, people = org
    for user in (people["teller01"].user, UserFactory(username="trainer")):
        assert not scope.is_manager(user)
        assert scope.visible_units(user).count() == 0
        assert scope.visible_staff(user).count() == 0
        assert scope.visible_assignments(user).count() == 0
        assert scope.visible_records(user).count() == 0


def test_the_officer_permission_sees_everything(org):
    units, people = org
    officers = Group.objects.create(name="Officers")
    officers.permissions.add(Permission.objects.get(codename="view_all_progress"))
    officer = UserFactory(username="officer")
    officer.groups.add(officers)
    assert scope.sees_everything(officer)
    assert scope.visible_units(officer).count() == len(units)
    assert scope.visible_staff(officer).count() == len(people)


def test_a_deactivated_manager_sees_nothing(org):
    units, people = org
    head = people["head01"].user
    head.is_active = False
    head.save()
    assert scope.visible_units(head).count() == 0
