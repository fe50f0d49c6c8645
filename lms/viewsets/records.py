"""The completion records in the training menu: listing and inspection only, since records are
evidence written by the services; each user sees the records credited to units in their scope."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from lms.models import CompletionRecord
from lms.services.scope import ScopedQuerysetMixin
from lms.viewsets.base import RestrictedPermissionPolicy
from lms.viewsets.filters import CompletionRecordFilterSet

record_permission_policy = RestrictedPermissionPolicy(CompletionRecord, ["add", "change", "delete"])


class CompletionRecordIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("staff", "user", "credited_unit")


class CompletionRecordInspectView(ScopedQuerysetMixin, generic.InspectView):
    pass


class CompletionRecordViewSet(ModelViewSet):
    """Listing and inspection only: records are evidence, written by the services."""

    model = CompletionRecord
    name = "lms_completionrecord"
    url_prefix = "training/records"
    icon = "doc-full"
    menu_label = _("Completion records")
    index_view_class = CompletionRecordIndexView
    inspect_view_class = CompletionRecordInspectView
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
        "hash_version",
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
