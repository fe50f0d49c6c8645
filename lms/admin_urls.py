"""Admin URLs of the plan actions (publish or sync with progress, close), mounted by
wagtail_hooks under /admin/training/plan-actions/."""

from django.urls import path

from lms import admin_views

app_name = "lms_plan_actions"

urlpatterns = [
    path("<int:pk>/publish/", admin_views.PlanPublishView.as_view(), name="publish"),
    path("<int:pk>/progress/", admin_views.PlanProgressView.as_view(), name="progress"),
    path(
        "<int:pk>/progress.json", admin_views.PlanProgressJsonView.as_view(), name="progress_json"
    ),
    path("<int:pk>/close/", admin_views.PlanCloseView.as_view(), name="close"),
]
