"""The admin roster import: dry run then import of the same stored file, row errors, limits,
the run followed through a task queue, failures, permissions and the recent imports list."""

import io
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from lms.models import RosterImport, StaffProfile
from lms.services.roster import import_roster, runs
from lms.viewsets.roster import RosterImportViewSet
from tests.factories import UserFactory, make_position
from tests.lms.roster_support import (
    CHANGES,
    ROWS,
    ZH,
    csv_bytes,
    snapshot,
    xlsx_bytes,
)


def admin_user(username, *permissions):
    user = UserFactory(username=username)
    wanted = [("wagtailadmin", "access_admin"), *permissions]
    user.user_permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
    )
    return user


@pytest.fixture
def roster_admin(db):
    return admin_user("hr", ("lms_core", "add_staffprofile"))


def upload(client, data, name, **options):
    """POST the file and follow to the run's page (the default ImmediateBackend runs the task
    inside the request, so the run has finished by then)."""
    file = io.BytesIO(data)
    file.name = name
    payload = {"file": file, **{key: "on" for key, value in options.items() if value}}
    return client.post(reverse("lms_roster_import:import"), payload, follow=True)


def last_run():
    return RosterImport.objects.order_by("-pk").first()


@pytest.mark.django_db
def test_admin_page_dry_runs_then_imports_the_same_file(client, roster_admin, staffed):
    client.force_login(roster_admin)
    response = client.get(reverse("lms_roster_import:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and reverse("lms_roster_import:template") in html
    assert "create_positions" not in html  # this user may not add positions
    # The header names the page (not just 首页).
    assert [item["label"] for item in response.context["breadcrumbs_items"]][-1] == "导入员工名册"

    response = upload(client, xlsx_bytes(CHANGES), "花名册.xlsx", dry_run=True)
    dry_run = last_run()
    assert response.redirect_chain == [(reverse("lms_roster_import:run", args=[dry_run.pk]), 302)]
    assert dry_run.status == RosterImport.FINISHED and dry_run.uploaded_by == roster_admin
    report = response.context["report"]
    assert report["ok"] and report["dry_run"] and not report["written"]
    assert (report["created"], report["changed"], report["leaving"]) == (1, 2, 1)
    html = response.content.decode()
    assert "data-roster-changes" in html and "西站网点 (LZ0201)" in html
    assert "data-roster-confirm" in html  # "import this file"
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"

    # Import the checked file without uploading it again.
    response = client.post(reverse("lms_roster_import:confirm", args=[dry_run.pk]), follow=True)
    run = last_run()
    assert run.pk != dry_run.pk and run.confirms == dry_run and not run.dry_run
    assert run.file.name == dry_run.file.name
    assert response.context["report"]["written"]
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0201"
    entry = ModelLogEntry.objects.filter(action="wagtail.edit").first()
    assert entry.user == roster_admin
    # A second confirmation (a double tap) imports nothing more.
    response = client.post(reverse("lms_roster_import:confirm", args=[dry_run.pk]), follow=True)
    assert RosterImport.objects.count() == 2
    assert "已经导入" in response.content.decode()
    # Both runs are listed under the form, newest first, and the file is kept as uploaded.
    listed = client.get(reverse("lms_roster_import:import")).context["recent_runs"]
    assert [r.pk for r in listed] == [run.pk, dry_run.pk]
    response = client.get(reverse("lms_roster_import:file", args=[run.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    with dry_run.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    dry_run.file.storage.delete(dry_run.file.name)  # gone from the media storage: a 404
    assert client.get(reverse("lms_roster_import:file", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_admin_page_shows_row_errors_and_can_create_positions(client, org):
    user = admin_user("hr", ("lms_core", "add_staffprofile"), ("lms_core", "add_position"))
    client.force_login(user)
    response = upload(client, csv_bytes(ROWS, encoding="gb18030"), "bad.csv")
    html = response.content.decode()
    assert "data-import-errors" in html and "网点负责人" in html
    assert [row for row, _message in response.context["report"]["errors"]] == [2, 3, 4]
    assert "data-roster-confirm" not in html
    assert not StaffProfile.objects.exists()

    assert "create_positions" in client.get(reverse("lms_roster_import:import")).content.decode()
    response = upload(client, csv_bytes(ROWS, encoding="gb18030"), "ok.csv", create_positions=True)
    assert response.context["report"]["written"]
    assert StaffProfile.objects.count() == 3


@pytest.mark.django_db
def test_a_file_too_big_is_refused_before_it_is_stored(client, roster_admin, org, settings):
    settings.LMS_ROSTER_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(roster_admin)
    response = upload(client, csv_bytes(ROWS * 12000), "big.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["文件大小超过 1 MB。"]
    assert not RosterImport.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_with_a_task_queue_the_page_follows_the_run(client, roster_admin, staffed):
    """With a real queue the upload only queues the import; the page says so and reloads itself
    until a worker has run it; a second delivery of the task does nothing."""
    client.force_login(roster_admin)
    response = upload(client, csv_bytes(CHANGES), "changes.csv")
    run = last_run()
    assert run.status == RosterImport.QUEUED
    html = response.content.decode()
    assert 'data-roster-run="queued"' in html and "window.location.reload" in html
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"
    # Nobody picked it up for over a minute: the page asks whether a worker runs.
    RosterImport.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert (
        "db_worker" in client.get(reverse("lms_roster_import:run", args=[run.pk])).content.decode()
    )

    result = runs.run_import(run.pk)  # what the worker does
    assert result["written"] and result["changes_total"] == 4
    assert runs.run_import(run.pk) is None  # delivered twice: imported once
    run.refresh_from_db()
    assert run.status == RosterImport.FINISHED and run.started_at <= run.finished_at
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0201"
    html = client.get(reverse("lms_roster_import:run", args=[run.pk])).content.decode()
    assert 'data-roster-run="finished"' in html and "window.location.reload" not in html


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_failed_or_abandoned_run_writes_nothing_and_says_so(client, roster_admin, staffed):
    client.force_login(roster_admin)
    upload(client, csv_bytes(CHANGES), "changes.csv")
    run = last_run()
    before = snapshot()
    with (
        patch("lms.services.roster.writing.sync_many", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        runs.run_import(run.pk)
    run.refresh_from_db()
    assert run.status == RosterImport.FAILED and "disk full" in run.error
    assert snapshot() == before  # the rows written before the failure were rolled back
    html = client.get(reverse("lms_roster_import:run", args=[run.pk])).content.decode()
    assert 'data-roster-run="failed"' in html and "没有写入任何数据" in html

    # A run whose worker died mid-import stays "running"; after half an hour it is shown as
    # stopped (its transaction never committed).
    upload(client, csv_bytes(CHANGES), "changes.csv")
    stuck = last_run()
    RosterImport.objects.filter(pk=stuck.pk).update(
        status=RosterImport.RUNNING, started_at=timezone.now() - timedelta(hours=1)
    )
    html = client.get(reverse("lms_roster_import:run", args=[stuck.pk])).content.decode()
    assert 'data-roster-run="stale"' in html and "window.location.reload" not in html


@pytest.mark.django_db
def test_only_a_clean_finished_dry_run_can_be_confirmed(client, roster_admin, staffed):
    client.force_login(roster_admin)
    upload(
        client, csv_bytes([["000909", "某人", "LZ9999", "柜员", "", ""]]), "bad.csv", dry_run=True
    )
    with_errors = last_run()
    assert with_errors.outcome["errors_total"] == 1
    upload(client, csv_bytes(CHANGES), "changes.csv")  # a real import, not a dry run
    real = last_run()
    for run in (with_errors, real):
        response = client.post(reverse("lms_roster_import:confirm", args=[run.pk]), follow=True)
        assert "只有没有问题的试运行" in response.content.decode()
    assert not RosterImport.objects.filter(confirms__isnull=False).exists()
    assert client.get(reverse("lms_roster_import:confirm", args=[real.pk])).status_code == 405


@pytest.mark.django_db
def test_admin_template_download_round_trips(client, roster_admin, org, positions):
    make_position("大堂经理")
    client.force_login(roster_admin)
    response = client.get(reverse("lms_roster_import:template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header = next(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())
    assert [cell.value for cell in header] == ZH
    report = import_roster(response.content, "template.xlsx")
    assert report.ok, report.errors
    assert report.created == 2 and report.skipped == 1  # the example leaver is not on the roster
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"


@pytest.mark.django_db
def test_users_without_the_permission_are_turned_away(client, roster_admin, org):
    client.force_login(roster_admin)
    upload(client, csv_bytes(ROWS), "roster.csv", dry_run=True)
    run = last_run()
    client.force_login(admin_user("viewer", ("lms_core", "change_staffprofile")))
    for name, args in [("import", []), ("template", []), ("run", [run.pk]), ("file", [run.pk])]:
        response = client.get(reverse(f"lms_roster_import:{name}", args=args))
        assert response.status_code in (302, 403), name
    response = client.post(reverse("lms_roster_import:confirm", args=[run.pk]))
    assert response.status_code in (302, 403)
    # An id that does not exist tells them nothing more.
    assert client.get(reverse("lms_roster_import:run", args=[run.pk + 1])).status_code in (302, 403)
    response = upload(client, csv_bytes(ROWS), "roster.csv")
    assert RosterImport.objects.count() == 1
    assert not StaffProfile.objects.exists()
    client.logout()
    assert client.get(reverse("lms_roster_import:import")).status_code == 302


@pytest.mark.django_db
def test_menu_item_follows_the_permission(roster_admin):
    request = RequestFactory().get("/admin/")
    item = RosterImportViewSet().get_menu_item()
    request.user = roster_admin
    assert item.is_shown(request)
    request.user = admin_user("viewer", ("lms_core", "change_staffprofile"))
    assert not item.is_shown(request)


@pytest.mark.django_db
def test_the_recent_imports_list_costs_the_same_queries_for_many_runs(client, roster_admin):
    client.force_login(roster_admin)

    def add_runs(count):
        RosterImport.objects.bulk_create(
            RosterImport(
                file="roster-imports/x.csv",
                filename=f"{n}.csv",
                uploaded_by=UserFactory(),
                status=RosterImport.FINISHED,
                outcome={"ok": True, "created": n, "changed": 0, "leaving": 0},
                details={"changes": [{"row": 2}] * 500},
            )
            for n in range(count)
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("lms_roster_import:import"))
        assert response.status_code == 200
        # The rows of each run stay in the database: the list reads only the counts.
        assert all(
            '"details"' not in query["sql"]
            for query in captured.captured_queries
            if "lms_core_rosterimport" in query["sql"]
        )
        return len(captured), len(response.context["recent_runs"])

    client.get(reverse("lms_roster_import:import"))  # first request's one-off lookups
    add_runs(2)
    few = queries()
    add_runs(20)
    many = queries()
    assert few[0] == many[0] and (few[1], many[1]) == (2, 20)
