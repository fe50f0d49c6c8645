"""Who sees whose progress: the querysets every manager-facing view starts from."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.test import override_settings

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


class DirectoryBackend(ModelBackend):
    """A backend granting the officers' permission from somewhere else than the database (as
    django-auth-ldap maps directory groups to permissions)."""

    def get_all_permissions(self, user_obj, obj=None):
        granted = super().get_all_permissions(user_obj, obj)
        if user_obj.is_active and user_obj.get_username() == "directory-officer":
            granted = {*granted, scope.VIEW_ALL}
        return granted


def fresh(user):
    """``user`` as a new request loads it: nothing about their permissions kept on it."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def roles(org):
    units, people = org
    view_all = Permission.objects.get(codename="view_all_progress")
    officers = Group.objects.create(name="Officers")
    officers.permissions.add(view_all)
    by_group = UserFactory(username="officer")
    by_group.groups.add(officers)
    directly = UserFactory(username="officer2")
    directly.user_permissions.add(view_all)
    inactive = UserFactory(username="gone", is_active=False)
    inactive.user_permissions.add(view_all)
    inactive.groups.add(officers)
    return {
        "officer by group": (by_group, True, True),
        "officer by permission": (directly, True, True),
        "manager of a unit": (people["head01"].user, True, False),
        "teller": (people["teller01"].user, False, False),
        "inactive officer": (inactive, False, False),
        "superuser": (UserFactory(username="root", is_superuser=True), True, True),
    }


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        ("officer by group", 1),
        ("officer by permission", 1),
        ("manager of a unit", 1),
        ("teller", 1),
        ("inactive officer", 0),
        ("superuser", 0),
    ],
)
def test_is_manager_asks_one_query_at_most(roles, role, queries, django_assert_num_queries):
    user, manager, sees_all = roles[role]
    user = fresh(user)
    with django_assert_num_queries(queries):
        assert scope.is_manager(user) is manager
    # It also answered whether they see everything, as has_perm would have.
    with django_assert_num_queries(0):
        assert scope.sees_everything(user) is sees_all
    assert fresh(user).has_perm(scope.VIEW_ALL) is sees_all


def test_is_manager_from_a_row_the_caller_read_asks_nothing_more(roles, django_assert_num_queries):
    for role, (user, manager, _sees_all) in roles.items():
        user = fresh(user)
        users = get_user_model().objects.filter(pk=user.pk)
        row = scope.with_manager_flags(users, user).first()
        with django_assert_num_queries(0):
            assert scope.is_manager(user, row) is manager, role


def test_nobody_anonymous_is_a_manager(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not scope.is_manager(AnonymousUser())


@override_settings(AUTHENTICATION_BACKENDS=[f"{__name__}.DirectoryBackend"])
def test_a_backend_granting_permissions_elsewhere_is_asked(org):
    units, people = org
    officer = UserFactory(username="directory-officer")
    assert scope.is_manager(fresh(officer)) and scope.sees_everything(fresh(officer))
    assert scope.is_manager(fresh(people["head01"].user))
    assert not scope.is_manager(fresh(people["teller01"].user))
