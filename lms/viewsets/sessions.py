"""Offline sessions in the training menu: scheduling them, the QR code shown at the session, and
importing its attendance sheet."""

import segno
from django import forms
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.conf import app_settings
from lms.models import CheckIn, OfflineSession, OrgUnit, PlanItem, TrainingPlan
from lms.services.learning import offline
from lms.services.learning.attendance import import_attendance
from lms.viewsets.base import DateTimeColumn, TrainingViewSet
from lms.viewsets.forms import OrgUnitChoiceField

session_policy = ModelPermissionPolicy(OfflineSession)


class OfflineSessionForm(WagtailAdminModelForm):
    org_unit = OrgUnitChoiceField(
        queryset=OrgUnit.objects.order_by("path"),
        label=gettext_lazy("for the staff of"),
        help_text=gettext_lazy(
            "The unit (with everything below it) whose staff attend this session."
        ),
    )

    class Meta:
        model = OfflineSession
        fields = [
            "plan_item",
            "title",
            "org_unit",
            "starts_at",
            "ends_at",
            "place",
            "trainer",
            "credit_hours",
            "capacity",
            "cancelled",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = PlanItem.objects.filter(
            Q(kind=PlanItem.OFFLINE, plan__status__in=[TrainingPlan.DRAFT, TrainingPlan.PUBLISHED])
            | Q(pk=self.instance.plan_item_id or 0)
        ).select_related("plan")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        item = cleaned.get("plan_item")
        if item and item.kind != PlanItem.OFFLINE:
            self.add_error("plan_item", _("Choose an offline-session item of a plan."))
        return cleaned


def session_buttons(session, button_class=Button):
    return [
        button_class(
            _("Show the QR code"),
            url=reverse("lms_offline_session:present", args=(session.pk,)),
            icon_name="view",
            priority=40,
            attrs={"target": "_blank", "rel": "noopener"},
        ),
        button_class(
            _("Attendance"),
            url=reverse("lms_offline_session:attendance", args=(session.pk,)),
            icon_name="user",
            priority=41,
        ),
    ]


class OfflineSessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("plan_item", "org_unit")
            .annotate(check_in_count=Count("check_ins"))
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column("title"),
            Column("plan_item", label=gettext_lazy("plan item")),
            Column("org_unit", label=gettext_lazy("for the staff of")),
            DateTimeColumn("starts_at", label=gettext_lazy("starts at"), sort_key="starts_at"),
            Column("place", label=gettext_lazy("place")),
            Column("check_in_count", label=gettext_lazy("Checked in")),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons += session_buttons(instance)
        return buttons


class OfflineSessionEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        if not self.user_has_permission("change"):
            return []
        return session_buttons(self.object, HeaderButton)


class SessionMixin(PermissionCheckedMixin):
    permission_policy = session_policy
    permission_required = "change"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(
            OfflineSession.objects.select_related("plan_item", "org_unit"), pk=kwargs["pk"]
        )


@method_decorator(never_cache, name="dispatch")
class SessionPresentView(SessionMixin, TemplateView):
    """Full screen for the projector: the QR code, renewed every ``TOKEN_REFRESH_SECONDS`` by
    the page reloading itself (no script), and how many have checked in."""

    template_name = "lms/admin/session_present.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        url = self.request.build_absolute_uri(reverse("lms:check_in"))
        url += "?t=" + offline.make_token(session)
        opens, closes = offline.check_in_window(session)
        now = timezone.now()
        context.update(
            {
                "session": session,
                "qr_svg": segno.make(url, error="m").svg_inline(scale=10, border=2, omitsize=True),
                "check_in_url": url,
                "refresh": offline.TOKEN_REFRESH_SECONDS,
                "count": session.check_ins.count(),
                "open": opens <= now <= closes and not session.cancelled,
                "opens": opens,
                "closes": closes,
            }
        )
        return context


class AttendanceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attendance sheet"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=gettext_lazy(
            ".xlsx or .csv with the columns 工号 (required), 姓名 and 签到时间 (optional)."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Check the sheet and show who would be checked in."),
    )


class SessionAttendanceView(SessionMixin, WagtailAdminTemplateMixin, FormView):
    """Who checked in, and importing the paper attendance sheet."""

    template_name = "lms/admin/session_attendance.html"
    form_class = AttendanceForm
    header_icon = "user"

    def get_page_title(self):
        return _("Attendance")

    def get_page_subtitle(self):
        return str(self.session)

    def get_header_buttons(self):
        return [session_buttons(self.session, HeaderButton)[0]]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("lms_offline_session:index"),
                "label": _("Offline sessions"),
            },
            {
                "url": reverse("lms_offline_session:edit", args=(self.session.pk,)),
                "label": str(self.session),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["check_ins"] = (
            CheckIn.objects.filter(session=self.session)
            .select_related("staff__org_unit", "recorded_by")
            .order_by("checked_in_at", "pk")
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_attendance(
            self.session,
            upload.read(app_settings.LMS_ROSTER_IMPORT_MAX_BYTES + 1),
            upload.name,
            recorded_by=self.request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.written:
            messages.success(
                self.request,
                _("%(count)d checked in; %(already)d were already checked in.")
                % {"count": len(report.checked_in), "already": len(report.already)},
            )
        elif not report.ok:
            messages.error(self.request, _("The sheet has problems: nobody was checked in."))
        return self.render_to_response(self.get_context_data(form=form, report=report))


class OfflineSessionViewSet(TrainingViewSet):
    model = OfflineSession
    name = "lms_offline_session"
    url_prefix = "training/sessions"
    icon = "calendar"
    menu_label = gettext_lazy("Offline sessions")
    index_view_class = OfflineSessionIndexView
    edit_view_class = OfflineSessionEditView
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
        base_form_class=OfflineSessionForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("present/<dbid:pk>/", SessionPresentView.as_view(), name="present"),
            path(
                "attendance/<dbid:pk>/",
                SessionAttendanceView.as_view(),
                name="attendance",
            ),
        ]
