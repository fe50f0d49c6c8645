"""Admin ViewSets of the training menu: units, positions, staff, plans, plan items and the
completion records (read-only: they are evidence). Registered in ``wagtail_hooks``."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from lms import admin_views, session_admin
from lms.admin_forms import (
    OrgUnitChoiceField,
    OrgUnitForm,
    PlanItemForm,
    StaffProfileForm,
)
from lms.models import (
    CompletionRecord,
    OfflineSession,
    OrgUnit,
    PlanItem,
    Position,
    StaffProfile,
    TrainingPlan,
)

# --- Permission policies -------------------------------------------------------------------


class RestrictedPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, minus actions nobody may take through the admin (superusers
    included): staff are never deleted, records never added, changed or deleted by hand."""

    def __init__(self, model, forbidden_actions, **kwargs):
        super().__init__(model, **kwargs)
        self.forbidden_actions = frozenset(forbidden_actions)

    def user_has_permission(self, user, action):
        return action not in self.forbidden_actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.forbidden_actions]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


staff_permission_policy = RestrictedPermissionPolicy(StaffProfile, ["delete"])
record_permission_policy = RestrictedPermissionPolicy(CompletionRecord, ["add", "change", "delete"])


# --- Filters -------------------------------------------------------------------------------


class UnitFilter(django_filters.ModelChoiceFilter):
    """A unit and everything below it."""

    field_class = OrgUnitChoiceField

    def __init__(self, *args, prefix="org_unit__", **kwargs):
        self.unit_prefix = prefix
        kwargs.setdefault("queryset", OrgUnit.objects.order_by("path"))
        kwargs.setdefault("label", _("Unit (and below)"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(value.subtree_q(prefix=self.unit_prefix))


class StaffFilterSet(WagtailFilterSet):
    unit = UnitFilter()

    class Meta:
        model = StaffProfile
        fields = ["position", "is_active"]


class CompletionRecordFilterSet(WagtailFilterSet):
    unit = UnitFilter(prefix="credited_unit__", label=_("Credited unit (and below)"))

    class Meta:
        model = CompletionRecord
        fields = ["kind", "method"]


# --- ViewSets ------------------------------------------------------------------------------


class TrainingViewSet(ModelViewSet):
    """Common to the training ViewSets: no copy view (a copied unit, person or plan is never
    what is meant) and deletions that explain what blocks them."""

    copy_view_enabled = False
    delete_view_class = admin_views.ProtectedDeleteView


class OrgUnitViewSet(TrainingViewSet):
    model = OrgUnit
    name = "lms_orgunit"
    url_prefix = "training/units"
    icon = "site"
    menu_label = _("Organisation units")
    index_view_class = admin_views.OrgUnitIndexView
    delete_view_class = admin_views.OrgUnitDeleteView
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    list_per_page = 100
    edit_handler = ObjectList(
        [
            FieldPanel("parent"),
            FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("is_active")]),
        ],
        base_form_class=OrgUnitForm,
    )


class PositionViewSet(TrainingViewSet):
    model = Position
    name = "lms_position"
    url_prefix = "training/positions"
    icon = "user"
    menu_label = _("Positions")
    list_display = ["name", "high_complaint", "sort_order"]
    list_filter = ["high_complaint"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("high_complaint"), FieldPanel("sort_order")]


class StaffProfileViewSet(TrainingViewSet):
    """No delete view at all: leavers are deactivated, their records stay."""

    model = StaffProfile
    name = "lms_staffprofile"
    url_prefix = "training/staff"
    icon = "group"
    menu_label = _("Staff")
    index_view_class = admin_views.StaffIndexView
    list_display = ["name", "employee_no", "org_unit", "position", "hire_date", "is_active"]
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


class TrainingPlanViewSet(TrainingViewSet):
    model = TrainingPlan
    name = "lms_trainingplan"
    url_prefix = "training/plans"
    icon = "date"
    menu_label = _("Training plans")
    index_view_class = admin_views.TrainingPlanIndexView
    edit_view_class = admin_views.TrainingPlanEditView
    list_filter = ["year", "status"]
    search_fields = ["title"]
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        # Changed only by the publish and close actions.
        FieldPanel("status", read_only=True),
        FieldPanel("required_hours"),
        InlinePanel(
            "position_hours",
            label=_("Required hours per position"),
            help_text=_("Positions that need more (or fewer) hours than the plan's default."),
        ),
    ]


class PlanItemViewSet(TrainingViewSet):
    model = PlanItem
    name = "lms_planitem"
    url_prefix = "training/items"
    icon = "list-ul"
    menu_label = _("Plan items")
    index_view_class = admin_views.PlanItemIndexView
    list_display = ["title", "plan", "kind", "open_date", "due_date", "credit_hours", "mandatory"]
    list_filter = ["plan", "kind", "mandatory"]
    search_fields = ["title"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("plan"),
            FieldPanel("title"),
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("course"),
                    FieldPanel("quiz"),
                    PageChooserPanel("page"),
                    FieldPanel("statement"),
                ],
                heading=_("What to learn"),
                help_text=_(
                    "An online course names a course, a quiz a quiz, an attestation the page to "
                    "read and the statement to confirm; offline sessions are scheduled for the "
                    "item once it is saved."
                ),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("everyone"),
                    FieldPanel("positions", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("org_units"),
                    FieldPanel("new_hires_only"),
                ],
                heading=_("Who must do it"),
                help_text=_(
                    "Positions and units combine: tellers of these units. Units include "
                    "everything below them."
                ),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("open_date"), FieldPanel("due_date")]),
                    FieldRowPanel(
                        [
                            FieldPanel("credit_hours"),
                            FieldPanel("mandatory"),
                            FieldPanel("validity_months"),
                        ]
                    ),
                    FieldPanel("quarterly_targets"),
                    FieldPanel("sort_order"),
                ],
                heading=_("When, and for how much"),
            ),
        ],
        base_form_class=PlanItemForm,
    )


class OfflineSessionViewSet(TrainingViewSet):
    model = OfflineSession
    name = "lms_offline_session"
    url_prefix = "training/sessions"
    icon = "calendar"
    menu_label = _("Offline sessions")
    index_view_class = session_admin.OfflineSessionIndexView
    edit_view_class = session_admin.OfflineSessionEditView
    list_filter = ["plan_item", "cancelled"]
    search_fields = ["title", "place", "trainer"]
    list_per_page = 50
    ordering = ["-starts_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("plan_item"),
            FieldPanel("title"),
            FieldPanel("org_unit"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel([FieldPanel("place"), FieldPanel("trainer")]),
            FieldRowPanel([FieldPanel("credit_hours"), FieldPanel("capacity")]),
            FieldPanel("cancelled"),
        ],
        base_form_class=session_admin.OfflineSessionForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("present/<int:pk>/", session_admin.SessionPresentView.as_view(), name="present"),
            path(
                "attendance/<int:pk>/",
                session_admin.SessionAttendanceView.as_view(),
                name="attendance",
            ),
        ]


class CompletionRecordViewSet(ModelViewSet):
    """Listing and inspection only: records are evidence, written by the services."""

    model = CompletionRecord
    name = "lms_completionrecord"
    url_prefix = "training/records"
    icon = "doc-full"
    menu_label = _("Completion records")
    index_view_class = admin_views.CompletionRecordIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "title",
        "staff",
        "kind",
        "method",
        "completed_at",
        "score",
        "credit_hours",
        "credited_unit",
    ]
    filterset_class = CompletionRecordFilterSet
    search_fields = ["title", "staff__name", "staff__employee_no"]
    list_per_page = 50
    ordering = ["-pk"]
    inspect_view_fields = [
        "user",
        "staff",
        "kind",
        "title",
        "course",
        "quiz",
        "page",
        "session",
        "content_revision",
        "completed_at",
        "method",
        "score",
        "credit_hours",
        "attempt",
        "evidence",
        "credited_unit",
        "recorded_by",
        "supersedes",
        "reason",
        "created_at",
        "prev_hash",
        "hash",
    ]
    read_only_views = ("index", "index_results", "inspect")

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name in self.read_only_views
        ]

    def get_form_class(self, for_update=False):
        # No add or edit view is routed; Wagtail still asks for a form class when building them.
        return forms.Form

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_completionrecord")


class TrainingGroup(ModelViewSetGroup):
    items = (
        OrgUnitViewSet,
        PositionViewSet,
        StaffProfileViewSet,
        TrainingPlanViewSet,
        PlanItemViewSet,
        OfflineSessionViewSet,
        CompletionRecordViewSet,
    )
    menu_label = _("Training")
    menu_icon = "group"
    menu_name = "training"
    menu_order = 260
