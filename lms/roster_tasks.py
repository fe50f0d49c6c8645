"""The roster import as a django-tasks task: the admin upload queues it and follows the run
(``lms.models.RosterImport``); ``python manage.py db_worker`` runs it when ``TASKS_BACKEND`` is
"database", the default ``ImmediateBackend`` runs it inline."""

from django_tasks import task

from lms.services.roster.runs import run_import


@task()
def import_roster_task(run_id):
    """Import the queued roster upload ``run_id``; returns its outcome (or None if it was not
    queued: a second delivery of the task does nothing)."""
    return run_import(run_id)
