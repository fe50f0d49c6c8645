"""The completion records in the training menu: listing and inspection only, since records are
evidence written by the services; each user sees the records credited to units in their scope.
An officer corrects a record from its inspect view (``lms.viewsets.outside``), which also says
who entered or corrected a record, why, and what it supersedes or is superseded by."""

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from lms.models import CompletionRecord
from lms.services.records import outside
from lms.services.scope import ScopedQuerysetMixin
from lms.viewsets.base import RestrictedPermissionPolicy
from lms.viewsets.filters import CompletionRecordFilterSet
from lms.viewsets.outside import record_urlpatterns

record_permission_policy = RestrictedPermissionPolicy(CompletionRecord, ["add", "change", "delete"])


class CompletionRecordIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("staff", "user", "credited_unit", "recorded_by")
        )


class CompletionRecordInspectView(ScopedQuerysetMixin, generic.InspectView):
    """A record's fields, and above them where it comes from: entered by an officer (held as,
    why, the attachment), correcting another record (and why), superseded by a correction."""

    template_name = "lms/admin/record_inspect.html"

    @cached_property
    def corrections(self):
        return list(
            CompletionRecord.objects.filter(supersedes=self.object).select_related("recorded_by")
        )

    @cached_property
    def header_buttons(self):
        buttons = []
        if outside.may_record_outside(self.request.user) and not self.corrections:
            buttons.append(
                HeaderButton(
                    _("Correct this record"),
                    reverse("lms_completionrecord:correct", args=(self.object.pk,)),
                    icon_name="edit",
                )
            )
        if outside.attachment_of(self.object):
            buttons.append(
                HeaderButton(
                    _("Download the attachment"),
                    reverse("lms_completionrecord:attachment", args=(self.object.pk,)),
                    icon_name="download",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        record = self.object
        evidence = record.evidence if isinstance(record.evidence, dict) else {}
        return super().get_context_data(
            record=record,
            entered=record.method in (CompletionRecord.OFFICER_IMPORT, CompletionRecord.CORRECTION),
            held_as=outside.held_as_label(evidence["held_as"]) if evidence.get("held_as") else "",
            attachment=outside.attachment_of(record),
            corrects=record.supersedes,
            corrections=self.corrections,
            **kwargs,
        )


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
        "recorded_by",
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
    read_only_views = ("index", "index_results", "inspect", "correct", "attachment")

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
        patterns = super().get_urlpatterns() + record_urlpatterns()
        return [pattern for pattern in patterns if pattern.name in self.read_only_views]

    def get_form_class(self, for_update=False):
        # No add or edit view is routed; Wagtail still asks for a form class when building them.
        return forms.Form

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_completionrecord")
