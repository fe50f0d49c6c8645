"""Who may see whose progress. Every manager-facing view, report, export and API endpoint
starts from these querysets, so the scope is enforced in the query, not in a template:

- the consumer-protection officer (permission ``lms_core.view_all_progress``, given to the
  Officers group) and superusers see every unit;
- a manager sees the units they manage (``StaffProfile.managed_units``) with everything below
  them;
- anyone else (a teller, a trainer) sees no unit at all.

An object outside the scope is simply not in the queryset, so asking for it by id is a 404.

The guards below are the only way a view, report, export or API endpoint checks this:
``manager_required`` (function views and API operations), ``ManagerRequiredMixin`` (class-based
views) and ``ScopedQuerysetMixin`` (Wagtail listings and object views: rows outside the scope are
neither listed nor reachable by id).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from lms.models import Assignment, CompletionRecord, OrgUnit, StaffProfile

#: Why a guard refuses someone (the JSON API shows it in ``detail``).
NOT_A_MANAGER = gettext_lazy("You do not manage any unit.")

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


def restrict(queryset, user, prefix):
    """``queryset`` narrowed to the rows whose unit (reached by ``prefix``) ``user`` may see."""
    q = unit_filter(user, prefix)
    return queryset if q is None else queryset.filter(q)


#: How each scoped model reaches the unit that decides who sees it.
UNIT_PREFIX = {
    OrgUnit: "",
    StaffProfile: "org_unit__",  # the person's current unit (leavers included)
    Assignment: "org_unit__",  # the unit the assignment is credited to
    CompletionRecord: "credited_unit__",
}


def visible(model, user):
    """The rows of ``model`` (one of ``UNIT_PREFIX``) that ``user`` may see."""
    return restrict(model._default_manager.all(), user, UNIT_PREFIX[model])


def visible_units(user):
    """The units ``user`` may see."""
    return visible(OrgUnit, user)


def visible_staff(user):
    """The staff ``user`` may see: those whose current unit is in scope (leavers included)."""
    return visible(StaffProfile, user)


def visible_assignments(user):
    """Assignments whose unit (the unit it is credited to) is in ``user``'s scope."""
    return visible(Assignment, user)


def visible_records(user):
    """Completion records credited to a unit in ``user``'s scope."""
    return visible(CompletionRecord, user)


# --- Guards ----------------------------------------------------------------------------------


def manager_required(view=None, *, denied_template=None):
    """Decorator: only those who may see someone's progress (``is_manager``) reach ``view``.
    Anyone else gets ``denied_template`` rendered with status 403 when given (a page saying why,
    for links shared with a teller), else ``PermissionDenied`` (Django's 403; the JSON API turns
    it into ``{"detail": …}``). Works on function views and django-ninja operations."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not is_manager(request.user):
                if denied_template:
                    return TemplateResponse(request, denied_template, status=403)
                raise PermissionDenied(NOT_A_MANAGER)
            return view(request, *args, **kwargs)

        return guarded

    return decorate(view) if view is not None else decorate


class ManagerRequiredMixin:
    """``manager_required`` for class-based views."""

    def dispatch(self, request, *args, **kwargs):
        if not is_manager(request.user):
            raise PermissionDenied(NOT_A_MANAGER)
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin:
    """For Wagtail's generic admin views of a scoped model (``UNIT_PREFIX``): the listing shows
    only rows in the user's scope, and an edit, inspect or delete view of a row outside it is a
    404 — on top of the model permissions, which say what someone may do, not to whom."""

    def get_base_queryset(self):
        return restrict(super().get_base_queryset(), self.request.user, UNIT_PREFIX[self.model])

    def get_object(self, queryset=None):
        found = super().get_object(queryset)
        if (
            not sees_everything(self.request.user)
            and not visible(self.model, self.request.user).filter(pk=found.pk).exists()
        ):
            raise Http404
        return found
