from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms_core"
    verbose_name = _("Learning management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from lms.models import Complaint, CompletionRecord, Exemption, StaffProfile
        from lms.signal_handlers import register_signal_handlers
        from lms.viewsets.complaints import complaint_policy
        from lms.viewsets.exemptions import exemption_policy
        from lms.viewsets.records import record_permission_policy
        from lms.viewsets.staff import staff_permission_policy
        from lms.viewsets.wagtail_reports import harden_wagtail_reports

        register_signal_handlers()
        # Before anything asks for these models' policies (Wagtail would make a default one):
        # staff are never deleted, records and exemptions never added, changed or deleted by
        # hand.
        register_permission_policy(StaffProfile, staff_permission_policy)
        register_permission_policy(CompletionRecord, record_permission_policy)
        register_permission_policy(Exemption, exemption_policy)  # rows only through services
        register_permission_policy(Complaint, complaint_policy)  # evidence: never deleted
        # The site history only for page editors; formula-safe cells in Wagtail's exports.
        harden_wagtail_reports()
