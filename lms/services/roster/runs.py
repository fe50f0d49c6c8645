"""Roster imports uploaded in the admin, run as tasks (``lms.tasks.import_roster_task``).

``create_run`` stores the upload and a queued ``RosterImport``; the caller enqueues the task,
which calls ``run_import``. A run is claimed once (queued → running in one UPDATE), so a task
delivered twice imports once. The import and the run's final state are committed together: a
worker that dies mid-import leaves the roster untouched and the run "running", which the admin
shows as stopped once it is older than ``STALE_AFTER``. A finished dry run can be confirmed:
the same stored file is imported, checked again against the roster as it is by then.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import translation

from lms.conf import app_settings
from lms.models import RosterImport
from lms.services import runs
from lms.services.roster import import_roster
from lms.services.roster.report import RosterReport, StaffChange

logger = logging.getLogger(__name__)

#: Changes and errors kept on a run for the admin page; ``lms_import_roster`` lists them all.
MAX_LISTED = 500
#: The counts of a RosterReport that a run keeps, under the same names.
COUNTS = (
    "rows",
    "created",
    "changed",
    "leaving",
    "unchanged",
    "skipped",
    "transfers",
    "reactivated",
)
#: A run still "running" after this long has lost its worker (the import takes seconds).
STALE_AFTER = timedelta(minutes=30)
#: A run still queued after this long is waiting for a worker that may not be running.
WORKER_HINT_AFTER = timedelta(minutes=1)


def create_run(upload, *, dry_run, create_positions, user, language):
    """Store ``upload`` (a Django UploadedFile) and a queued run for it."""
    run = RosterImport(
        filename=upload.name[:255],
        dry_run=dry_run,
        create_positions=create_positions,
        uploaded_by=user,
        language=language or "zh-hans",
    )
    run.file.save(upload.name, upload, save=False)
    run.save()
    return run


class AlreadyConfirmed(Exception):
    """The dry run has been imported already (or is being imported)."""


class NotConfirmable(Exception):
    """Only a finished dry run without problems can be imported."""


def confirmable(run):
    """Whether ``run`` is a finished dry run without problems, whose file may be imported."""
    return run.dry_run and run.status == RosterImport.FINISHED and bool(run.outcome.get("ok"))


def confirmation_of(dry_run):
    """The import of ``dry_run``'s file that stands (queued, running or finished), if any."""
    return dry_run.confirmations.exclude(status=RosterImport.FAILED).first()


def confirm_run(dry_run, *, user, language):
    """A queued import of the file of the finished, problem-free ``dry_run``. Raises
    NotConfirmable or AlreadyConfirmed (one import per dry run, unless that one failed)."""
    with transaction.atomic():
        dry_run = RosterImport.objects.select_for_update().get(pk=dry_run.pk)
        if not confirmable(dry_run):
            raise NotConfirmable
        if confirmation_of(dry_run) is not None:
            raise AlreadyConfirmed
        return RosterImport.objects.create(
            file=dry_run.file.name,
            filename=dry_run.filename,
            dry_run=False,
            create_positions=dry_run.create_positions,
            uploaded_by=user,
            language=language or dry_run.language,
            confirms=dry_run,
        )


def _text(value):
    return "" if value is None else str(value)


def outcome(report):
    """What a run keeps of a RosterReport, as ``(outcome, details)``: its counts, and its first
    MAX_LISTED changes and errors, as display text in the language the run was made in."""
    counts = {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "written": report.written,
        **{name: getattr(report, name) for name in COUNTS},
        "new_positions": [str(name) for name in report.new_positions],
        "warnings": [str(warning) for warning in report.warnings],
        "synced": dict(report.synced),
        "changes_total": len(report.changes),
        "errors_total": len(report.errors),
    }
    details = {
        "changes": [
            {
                "row": change.row,
                "employee_no": change.employee_no,
                "name": change.name,
                "action": change.action,
                "changes": [
                    [str(label), _text(old), _text(new)] for label, old, new in change.changes
                ],
                "transfer": change.transfer,
                "reactivated": change.reactivated,
            }
            for change in report.changes[:MAX_LISTED]
        ],
        "errors": [[row, str(message)] for row, message in report.errors[:MAX_LISTED]],
    }
    return counts, details


def stored_report(run):
    """The RosterReport of a finished ``run`` as ``outcome`` kept it, for the admin page: its
    changes and errors are the first MAX_LISTED, ``changes_total`` and ``errors_total`` count
    them all."""
    counts, details = run.outcome, run.details
    return RosterReport(
        filename=run.filename,
        dry_run=counts["dry_run"],
        **{name: counts[name] for name in COUNTS},
        new_positions=counts["new_positions"],
        warnings=counts["warnings"],
        synced=counts["synced"],
        changes=[
            StaffChange(**{**change, "changes": [tuple(line) for line in change["changes"]]})
            for change in details["changes"]
        ],
        errors=[tuple(error) for error in details["errors"]],
        changes_total=counts["changes_total"],
        errors_total=counts["errors_total"],
    )


def run_import(run_id):
    """Run the queued import ``run_id``; returns its outcome (the counts), or None when the run
    was not queued (already claimed by another delivery of the task, or unknown)."""
    if not runs.claim(RosterImport.objects.filter(pk=run_id)):
        return None
    run = RosterImport.objects.select_related("uploaded_by").get(pk=run_id)
    try:
        with run.file.open("rb") as stored:
            data = stored.read(app_settings.LMS_ROSTER_IMPORT_MAX_BYTES + 1)
        with transaction.atomic(), translation.override(run.language):
            report = import_roster(
                data,
                run.filename,
                dry_run=run.dry_run,
                create_positions=run.create_positions,
                user=run.uploaded_by,
            )
            result, details = outcome(report)
            runs.finish(RosterImport, run_id, outcome=result, details=details)
    except Exception as error:
        logger.exception("Roster import %s failed", run_id)
        runs.fail(RosterImport, run_id, error)
        raise
    return result


def state_of(run, now=None):
    """What the admin page says of ``run``: its status, or "stale" for a run whose worker has
    stopped, or "waiting" for one queued long enough to suspect that no worker runs."""
    return runs.state_of(run, stale_after=STALE_AFTER, waiting_after=WORKER_HINT_AFTER, now=now)
