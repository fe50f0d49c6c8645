"""Who may see whose progress. Every manager-facing view, report, export and API endpoint
starts from these querysets, so the scope is enforced in the query, not in a template:

- the consumer-protection officer (permission ``lms_core.view_all_progress``, given to the
  Officers group) and superusers see every unit;
- a manager sees the units they manage (``StaffProfile.managed_units``) with everything below
  them;
- anyone else (a teller, a trainer) sees no unit at all.

An object outside the scope is simply not in the queryset, so asking for it by id is a 404.
"""

from django.db.models import Q

from lms.models import Assignment, CompletionRecord, OrgUnit, StaffProfile

VIEW_ALL = "lms_core.view_all_progress"


def sees_everything(user):
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_ALL))


def managed_paths(user):
    """The tree paths of the units ``user`` manages, parents only (a unit below another one in
    the list is dropped). Empty for someone who manages nothing. One query."""
    if not user.is_authenticated or not user.is_active:
        return []
    paths = sorted(
        OrgUnit.objects.filter(managers__user=user).values_list("path", flat=True).distinct()
    )
    tops = []
    for path in paths:
        if not any(path.startswith(top) for top in tops):
            tops.append(path)
    return tops


def is_manager(user):
    """Whether ``user`` may see anyone's progress (officer or manager of some unit)."""
    return sees_everything(user) or bool(managed_paths(user))


def unit_filter(user, prefix=""):
    """A ``Q`` matching objects whose unit (reached by ``prefix``, e.g. ``"org_unit__"``) is in
    ``user``'s scope, or ``None`` when the scope is everything."""
    if sees_everything(user):
        return None
    q = Q(pk__in=[])
    for path in managed_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def _scoped(queryset, user, prefix):
    q = unit_filter(user, prefix)
    return queryset if q is None else queryset.filter(q)


def visible_units(user):
    """The units ``user`` may see."""
    return _scoped(OrgUnit.objects.all(), user, "")


def visible_staff(user):
    """The staff ``user`` may see: those whose current unit is in scope (leavers included)."""
    return _scoped(StaffProfile.objects.all(), user, "org_unit__")


def visible_assignments(user):
    """Assignments whose unit (the unit it is credited to) is in ``user``'s scope."""
    return _scoped(Assignment.objects.all(), user, "org_unit__")


def visible_records(user):
    """Completion records credited to a unit in ``user``'s scope."""
    return _scoped(CompletionRecord.objects.all(), user, "credited_unit__")
