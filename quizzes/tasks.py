"""Background tasks (django-tasks). Schedule ``expire_attempts`` every minute or two, e.g. from
cron with ``python manage.py lms_expire_attempts``, or enqueue it from a worker's scheduler."""

from django_tasks import task

from .services import expire_due_attempts


@task()
def expire_attempts():
    """Finalize open attempts whose time limit has passed; returns how many."""
    return expire_due_attempts()
