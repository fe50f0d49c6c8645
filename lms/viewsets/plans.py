"""Training plans and their items in the training menu, with the plan actions (publish or sync,
close, copy to next year) as buttons; the actions' own pages are ``lms.viewsets.plan_actions``."""

from django import forms
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button, HeaderButton

from lms.models import PlanItem, TrainingPlan
from lms.viewsets.base import TrainingViewSet, flag_column, title_column
from lms.viewsets.forms import PlanItemForm

ITEM_INDEX = "lms_planitem:index"


class PlanItemIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("plan")


def plan_action_buttons(plan, button_class=Button):
    """Publish / sync, close and the items of ``plan``, as admin buttons."""
    buttons = [
        button_class(
            _("Items"),
            url=reverse(ITEM_INDEX) + f"?plan={plan.pk}",
            icon_name="list-ul",
            priority=40,
        )
    ]
    if plan.status == TrainingPlan.DRAFT:
        label = _("Publish")
    elif plan.status == TrainingPlan.PUBLISHED:
        label = _("Sync assignments")
    else:
        label = None
    if label:
        buttons.append(
            button_class(
                label,
                url=reverse("lms_plan_actions:publish", args=(plan.pk,)),
                icon_name="upload",
                priority=41,
            )
        )
    if plan.status == TrainingPlan.PUBLISHED:
        buttons.append(
            button_class(
                _("Close plan"),
                url=reverse("lms_plan_actions:close", args=(plan.pk,)),
                icon_name="lock",
                priority=42,
            )
        )
    return buttons


def copy_button(plan, button_class=Button):
    """The "copy to next year" button: it POSTs (with the CSRF token, through Wagtail's
    ``w-action`` controller) to the copy action, which answers only POST."""
    return button_class(
        _("Copy to next year"),
        icon_name="copy",
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": reverse("lms_plan_actions:copy", args=(plan.pk,)),
            "data-w-action-continue-value": "true",
        },
        priority=43,
    )


class TrainingPlanIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(item_count=Count("items"))

    @cached_property
    def columns(self):
        return [
            title_column(self, "title", label=gettext_lazy("title"), sort_key="title"),
            Column("year", label=gettext_lazy("year"), sort_key="year"),
            Column("status", label=gettext_lazy("status"), accessor="get_status_display"),
            Column("required_hours", label=gettext_lazy("required credit hours")),
            Column("item_count", label=gettext_lazy("Items")),
            DateColumn("published_at", label=gettext_lazy("published at")),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons += plan_action_buttons(instance)
        if self.user_has_permission("add"):
            buttons.append(copy_button(instance))
        return buttons


class TrainingPlanEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        buttons = []
        if self.user_has_permission("change"):
            buttons += plan_action_buttons(self.object, HeaderButton)
        if self.user_has_permission("add"):
            buttons.append(copy_button(self.object, HeaderButton))
        return buttons


class TrainingPlanViewSet(TrainingViewSet):
    model = TrainingPlan
    name = "lms_trainingplan"
    url_prefix = "training/plans"
    icon = "date"
    menu_label = gettext_lazy("Training plans")
    index_view_class = TrainingPlanIndexView
    edit_view_class = TrainingPlanEditView
    list_filter = ["year", "status"]
    search_fields = ["title"]
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        # Changed only by the publish and close actions.
        FieldPanel("status", read_only=True),
        FieldPanel("required_hours"),
        InlinePanel(
            "position_hours",
            label=gettext_lazy("Required hours per position"),
            help_text=gettext_lazy(
                "Positions that need more (or fewer) hours than the plan's default."
            ),
        ),
    ]


class PlanItemViewSet(TrainingViewSet):
    model = PlanItem
    name = "lms_planitem"
    url_prefix = "training/items"
    icon = "list-ul"
    menu_label = gettext_lazy("Plan items")
    index_view_class = PlanItemIndexView
    list_display = [
        "title",
        "plan",
        "kind",
        "open_date",
        "due_date",
        "credit_hours",
        flag_column(PlanItem, "mandatory", gettext_lazy("Mandatory"), gettext_lazy("Optional")),
    ]
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
                heading=gettext_lazy("What to learn"),
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
                    FieldPanel("targeted"),
                ],
                heading=gettext_lazy("Who must do it"),
                help_text=_(
                    "Positions and units combine: tellers of these units. Units include "
                    "everything below them."
                ),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("open_date"), FieldPanel("due_date")]),
                    FieldRowPanel([FieldPanel("credit_hours"), FieldPanel("mandatory")]),
                    FieldRowPanel([FieldPanel("validity_kind"), FieldPanel("validity_months")]),
                    FieldPanel("quarterly_targets"),
                    FieldPanel("sort_order"),
                ],
                heading=gettext_lazy("When, and for how much"),
            ),
        ],
        base_form_class=PlanItemForm,
    )
