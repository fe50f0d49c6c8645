"""Production queues background work by default: a roster upload at the documented maximum takes
longer than gunicorn's 30 s timeout, so it must never run inside the request under ``make serve``
(bench/roster_upload.py measures both)."""

import pytest

from tests.config.test_settings import CHAIN_KEY, run_manage

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-" + "z" * 20,
    "LMS_RECORD_CHAIN_KEY": CHAIN_KEY,
    "ALLOWED_HOSTS": "lms.example.cn",
}
SHOW = (
    "from django.conf import settings; "
    "print(settings.TASKS['default']['BACKEND'], 'django_tasks_db' in settings.INSTALLED_APPS)"
)


def backend(env, tmp_path):
    env = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = run_manage("shell", "-c", SHOW, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-2:]


@pytest.mark.slow
def test_production_queues_tasks_in_the_database_by_default(tmp_path):
    assert backend(PRODUCTION, tmp_path) == ["django_tasks_db.DatabaseBackend", "True"]


@pytest.mark.slow
def test_production_may_still_run_tasks_inline_when_told(tmp_path):
    env = {**PRODUCTION, "TASKS_BACKEND": "immediate"}
    assert backend(env, tmp_path) == [
        "django_tasks.backends.immediate.ImmediateBackend",
        "False",
    ]


@pytest.mark.slow
def test_the_demo_runs_tasks_inline_by_default(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    assert backend(env, tmp_path)[0] == "django_tasks.backends.immediate.ImmediateBackend"
