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

from functools import cache, wraps

from django.conf import settings
from django.contrib.auth import get_user_model, load_backend
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from lms.models import (
    Assignment,
    Complaint,
    CompletionRecord,
    Exemption,
    OrgUnit,
    StaffProfile,
)

#: Why a guard refuses someone (the JSON API shows it in ``detail``).
NOT_A_MANAGER = gettext_lazy("You do not manage any unit.")

VIEW_ALL = "lms_core.view_all_progress"


#: What ``user.has_perm`` asks the authentication backends: a backend whose permission methods
#: are all these (or that has none) grants exactly the permissions stored in the database.
PERMISSION_METHODS = (
    "has_perm",
    "get_all_permissions",
    "get_user_permissions",
    "get_group_permissions",
    "_get_permissions",
    "_get_user_permissions",
    "_get_group_permissions",
)


def sees_everything(user):
    if not (user.is_authenticated and user.is_active):
        return False
    known = getattr(user, "_lms_sees_everything", None)  # answered by is_manager's query
    if known is not None:
        return known
    return bool(user.has_perm(VIEW_ALL))


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


@cache
def _permissions_from_the_database(backend_paths):
    """Whether the backends ``backend_paths`` grant only the permissions stored in the database
    (Django's ``ModelBackend`` and backends built on it, like django-axes'), so that one query
    may ask for a permission instead of ``has_perm``. A directory backend mapping its groups
    to permissions (django-auth-ldap) is asked through ``has_perm``."""
    for path in backend_paths:
        backend = type(load_backend(path))
        for name in PERMISSION_METHODS:
            method = getattr(backend, name, None)
            if method is not None and method not in {
                getattr(ModelBackend, name, None),
                getattr(BaseBackend, name, None),
            }:
                return False
    return True


def _asks_the_database(user):
    """Whether ``is_manager(user)`` is answered by one query (``with_manager_flags``): not for
    someone anonymous or inactive (never a manager), a superuser (always one) or someone already
    known to hold ``VIEW_ALL``, nor when a backend grants permissions from elsewhere."""
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and not getattr(user, "_lms_sees_everything", False)
        and _permissions_from_the_database(tuple(settings.AUTHENTICATION_BACKENDS))
    )


def with_manager_flags(users, user):
    """``users``, a queryset of ``user``'s own row, annotated with what ``is_manager(user)``
    asks the database when one query can answer it: ``VIEW_ALL`` given to them directly, or
    through one of their groups (as ``ModelBackend`` reads them), and whether they manage a
    unit. A query the caller runs anyway then answers ``is_manager(user, row)``."""
    if not _asks_the_database(user):
        return users
    app_label, codename = VIEW_ALL.split(".", 1)
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    user_model = get_user_model()
    directly = user_model._meta.get_field("user_permissions").related_query_name()
    groups = user_model._meta.get_field("groups").related_query_name()
    return users.annotate(
        lms_view_all=Exists(permission.filter(**{directly: OuterRef("pk")})),
        lms_view_all_by_group=Exists(permission.filter(**{f"group__{groups}": OuterRef("pk")})),
        lms_manages=Exists(OrgUnit.objects.filter(managers__user=OuterRef("pk"))),
    )


def is_manager(user, row=None):
    """Whether ``user`` may see anyone's progress (officer or manager of some unit).

    One query at most, none when ``row`` (``user``'s own row from a queryset given to
    ``with_manager_flags``) already says. The permission is read as Django's ``ModelBackend``
    grants it (nobody inactive; every superuser, without asking); the answer about it is kept on
    ``user`` for ``sees_everything``, as ``has_perm`` keeps its own. With a backend that grants
    permissions from elsewhere, ``has_perm`` decides."""
    if not _asks_the_database(user):
        if not user.is_authenticated or not user.is_active:
            return False
        return sees_everything(user) or bool(managed_paths(user))
    if row is None or row.pk != user.pk or not hasattr(row, "lms_manages"):
        users = get_user_model()._default_manager.filter(pk=user.pk).only("pk")
        row = with_manager_flags(users, user).first()
        if row is None:
            return False
    user._lms_sees_everything = bool(row.lms_view_all or row.lms_view_all_by_group)
    return user._lms_sees_everything or bool(row.lms_manages)


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
    Exemption: "org_unit__",  # the unit of the assignment it is about
    Complaint: "org_unit__",  # the unit the complaint concerns
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


def visible_exemptions(user):
    """Exemptions and extensions of assignments whose unit is in ``user``'s scope."""
    return visible(Exemption, user)


def visible_complaints(user):
    """Complaints concerning a unit in ``user``'s scope."""
    return visible(Complaint, user)


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
