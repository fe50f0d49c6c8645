"""Admin URLs of the training reports, the evidence export and the transcripts, mounted by
wagtail_hooks under /admin/training/."""

from django.urls import path

from lms import report_views, transcript_views

app_name = "lms_reports"

urlpatterns = [
    path("reports/assignments/", report_views.AssignmentReportView.as_view(), name="assignments"),
    path(
        "reports/assignments/results/",
        report_views.AssignmentReportView.as_view(results_only=True),
        name="assignments_results",
    ),
    path("reports/records/", report_views.RecordReportView.as_view(), name="records"),
    path(
        "reports/records/results/",
        report_views.RecordReportView.as_view(results_only=True),
        name="records_results",
    ),
    path("evidence/", report_views.EvidenceIndexView.as_view(), name="evidence"),
    path("evidence/<int:plan_id>.csv", report_views.evidence_csv, name="evidence_csv"),
    path(
        "transcripts/<int:staff_id>.pdf",
        transcript_views.staff_transcript_pdf,
        name="transcript_pdf",
    ),
    path(
        "transcripts/<int:staff_id>.xlsx",
        transcript_views.staff_transcript_xlsx,
        name="transcript_xlsx",
    ),
]
