"""``manage.py lms_task_worker``: django-tasks-db's ``db_worker`` that reports while it lives,
takes over the tasks of workers that died, and outlives a database restart.

Run it instead of ``db_worker`` (systemd: ``deploy/systemd/cplms-worker@.service``; as many as
needed, on any host sharing the database). The rules are in ``lms.services.workers``. Options are
``db_worker``'s; ``--worker-id`` names the worker (default: the host name) and is made unique per
process.
"""

import contextlib
import logging
import threading
import time

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from lms.services import workers

logger = logging.getLogger("lms.workers")

#: Seconds to wait before trying the database again after losing it (doubling up to the cap).
RETRY_SECONDS, RETRY_CAP_SECONDS = 1, 15


class Heartbeat(threading.Thread):
    """Reports the worker alive and reaps dead workers every ``beat_seconds()``, on its own
    database connection, whatever the worker's thread is doing."""

    def __init__(self, worker_id, started_at):
        super().__init__(name="lms-task-worker-heartbeat", daemon=True)
        self.worker_id, self.started_at = worker_id, started_at
        self.stopped = threading.Event()

    def beat_once(self):
        try:
            workers.beat(self.worker_id, self.started_at)
            requeued = workers.reap()
            if requeued:
                logger.warning("%d task(s) of dead workers queued again", requeued)
        except DatabaseError as error:
            logger.warning("heartbeat: database unreachable (%s)", error)
            connection.close()

    def run(self):
        while not self.stopped.wait(workers.beat_seconds()):
            self.beat_once()
        connection.close()


class Command(db_worker.Command):
    help = _(
        "Run the background task worker: django-tasks-db's db_worker, reporting while it lives "
        "so that the tasks of a worker that died are queued again, and waiting out a database "
        "restart instead of exiting."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)  # made unique per process in handle()

    def handle(self, *args, worker_id, **options):
        worker_id = workers.new_worker_id(worker_id or "")
        started_at = timezone.now()
        self._wait_for_database(lambda: workers.beat(worker_id, started_at))
        heartbeat = Heartbeat(worker_id, started_at)
        heartbeat.beat_once()  # dead workers' tasks before this worker looks for tasks
        heartbeat.start()
        logger.info("task worker %s started", worker_id)
        delay = RETRY_SECONDS
        try:
            while True:
                try:
                    super().handle(*args, worker_id=worker_id, **options)
                    return
                except DatabaseError as error:
                    # db_worker gives up on a lost database (and may have lost it mid-task).
                    logger.warning("database lost (%s); retrying in %s s", error, delay)
                    close_old_connections()
                    connection.close()
                    time.sleep(delay)
                    delay = min(delay * 2, RETRY_CAP_SECONDS)
                    self._wait_for_database(lambda: workers.requeue_own(worker_id))
                    options["startup_delay"] = False
        finally:
            heartbeat.stopped.set()
            with contextlib.suppress(DatabaseError):  # else the lease lets others find out
                workers.leave(worker_id)

    @staticmethod
    def _wait_for_database(call):
        delay = RETRY_SECONDS
        while True:
            try:
                return call()
            except DatabaseError as error:
                logger.warning("database unreachable (%s); retrying in %s s", error, delay)
                connection.close()
                time.sleep(delay)
                delay = min(delay * 2, RETRY_CAP_SECONDS)
