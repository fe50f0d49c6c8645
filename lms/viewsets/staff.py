"""Positions and staff in the training menu. Staff are never deleted (leavers are deactivated,
their records stay); a manager given access would see only their own units' people."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic

from lms.models import Position, StaffProfile
from lms.services.scope import ScopedQuerysetMixin
from lms.viewsets.base import RestrictedPermissionPolicy, TrainingViewSet, flag_column
from lms.viewsets.filters import StaffFilterSet
from lms.viewsets.forms import StaffProfileForm

staff_permission_policy = RestrictedPermissionPolicy(StaffProfile, ["delete"])


class StaffIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("org_unit", "position")


class StaffEditView(ScopedQuerysetMixin, generic.EditView):
    pass


class PositionViewSet(TrainingViewSet):
    model = Position
    name = "lms_position"
    url_prefix = "training/positions"
    icon = "user"
    menu_label = _("Positions")
    list_display = [
        "name",
        "staff_level",
        flag_column(Position, "high_complaint", _("Yes"), _("No")),
        "sort_order",
    ]
    list_filter = ["staff_level", "high_complaint"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("staff_level"),
        FieldPanel("high_complaint"),
        FieldPanel("sort_order"),
    ]


class StaffProfileViewSet(TrainingViewSet):
    """No delete view at all: leavers are deactivated, their records stay."""

    model = StaffProfile
    name = "lms_staffprofile"
    url_prefix = "training/staff"
    icon = "group"
    menu_label = _("Staff")
    index_view_class = StaffIndexView
    edit_view_class = StaffEditView
    list_display = [
        "name",
        "employee_no",
        "org_unit",
        "position",
        "hire_date",
        flag_column(StaffProfile, "is_active", _("On staff"), _("Left")),
    ]
    filterset_class = StaffFilterSet
    search_fields = ["name", "employee_no"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("employee_no"), FieldPanel("name")]),
            FieldPanel("org_unit"),
            FieldRowPanel([FieldPanel("position"), FieldPanel("hire_date")]),
            FieldPanel("managed_units"),
            FieldPanel(
                "is_active",
                help_text=_("Untick for a leaver: their login stops and open work is withdrawn."),
            ),
        ],
        base_form_class=StaffProfileForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(delete_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "delete"]

    def get_permissions_to_register(self):
        # Not offered in the group editor either: the policy refuses it whatever a group holds.
        return super().get_permissions_to_register().exclude(codename="delete_staffprofile")
