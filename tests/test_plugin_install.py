"""The three apps install into any Wagtail 8 site: ``pip install .``, add them to
``INSTALLED_APPS``, include the URL conf.

Builds and installs the project into a temporary target directory, then runs
``tests/plugin_site/check_site.py`` in a subprocess whose ``sys.path`` holds only that target
and a copy of the minimal host site ``plugin_site`` (never the repository), so the apps, their
templates, static files and migrations can only come from what pip installed. No pytest-django
database: everything Django does happens in the subprocess, on its own SQLite file.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[1]
APPS = ("quizzes", "courses", "lms")
DATA_DIRS = ("templates", "static", "locale")

# Not part of a build: the copy pip builds from leaves these out (and pip never writes its
# build/ and *.egg-info into the working tree, where stale files could hide a packaging bug).
SKIP_AT_ROOT = {
    ".git",
    ".venv",
    "build",
    "dist",
    "media",
    "static",
    "test-artifacts",
    ".pytest_cache",
    ".ruff_cache",
}


def _ignore(directory, names):
    skip = {name for name in names if name == "__pycache__" or name.endswith(".egg-info")}
    skip |= {name for name in names if ".sqlite3" in name}
    if Path(directory).resolve() == REPO_ROOT:
        skip |= SKIP_AT_ROOT & set(names)
    return skip


def _run(command, *, cwd, env, timeout):
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited {result.returncode}\n"
        f"--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
    )
    return result


def _clean_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONHOME"}
    }
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONUTF8="1")
    env.update(extra)
    return env


def _repo_files(app, suffix=None, subdir=None):
    base = REPO_ROOT / app / subdir if subdir else REPO_ROOT / app
    return {
        path.relative_to(REPO_ROOT)
        for path in base.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and (suffix is None or path.suffix == suffix)
    }


def test_apps_install_into_a_minimal_wagtail_site(tmp_path):
    assert not tmp_path.resolve().is_relative_to(REPO_ROOT)
    source, target, site, run_dir, data = (
        tmp_path / name for name in ("src", "site-packages", "site", "run", "data")
    )
    for directory in (target, site, run_dir, data):
        directory.mkdir()

    # (a) pip install the project into TMP.
    shutil.copytree(REPO_ROOT, source, ignore=_ignore)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--no-compile",
            "--target",
            str(target),
            str(source),
        ],
        cwd=run_dir,
        env=_clean_env(),
        timeout=180,
    )

    # Every module, template, static file and migration of the apps got installed ...
    expected = set()
    for app in APPS:
        expected |= _repo_files(app, suffix=".py")
        for subdir in DATA_DIRS:
            expected |= _repo_files(app, subdir=subdir)
    missing = sorted(str(path) for path in expected if not (target / path).is_file())
    assert not missing, f"not installed: {missing}"
    for path in (
        "courses/static/courses/learner.css",
        "courses/templates/courses/course_page.html",
        "courses/templates/courses/lesson_page.html",
        "lms/templates/lms/accounts/login.html",
        "courses/migrations/0001_initial.py",
        "lms/migrations/__init__.py",
        "quizzes/migrations/__init__.py",
    ):
        assert (target / path).is_file(), path
    # ... as one distribution, without the reference site or the tests.
    assert list(target.glob("cp_lms-*.dist-info"))
    for name in ("config", "tests", "bench"):
        assert not (target / name).exists(), f"{name}/ should not be installed"
    # ... and none of the reference site's demo or the benchmarks' data generator.
    shipped = [path.relative_to(target).as_posix() for path in target.rglob("*.py")]
    assert shipped and not [
        path
        for path in shipped
        if "demo" in path or "bench" in path or path.endswith(("lms_demo.py", "lms_bench_data.py"))
    ], "the reference site's demo or benchmark data generator was installed"

    # (b) the minimal host site, alone in its own directory (the repo's tests/ also holds
    # packages named courses/ and lms/, so it must not be on the path).
    shutil.copytree(
        REPO_ROOT / "tests" / "plugin_site",
        site / "plugin_site",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    result = _run(
        [sys.executable, "-m", "plugin_site.check_site"],
        cwd=run_dir,
        env=_clean_env(
            PYTHONPATH=os.pathsep.join([str(target), str(site)]),
            DJANGO_SETTINGS_MODULE="plugin_site.settings",
            PLUGIN_SITE_DB=str(data / "plugin_site.sqlite3"),
        ),
        timeout=180,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])

    # (c) the apps came from TMP, and the site migrated and served a course.
    installed = target.resolve()
    for app, path in report["modules"].items():
        assert Path(path).resolve().is_relative_to(installed), f"{app} imported from {path}"
    assert Path(report["static_learner_css"]).resolve().is_relative_to(installed)
    assert report["migrations_complete"] is True
    # lms_setup_roles gave the fresh site its roles, their permissions and a catalog with the
    # publishing workflow (the same after a second run).
    groups = report["roles"]["groups"]
    assert {"Managers", "Officers", "Trainers"} <= set(groups)  # beside Wagtail's own groups
    assert groups["Managers"] == [
        "access_admin",
        "add_exemption",
        "view_complaint",
        "view_exemption",
    ]
    assert {"access_admin", "add_question", "mark_answer"} <= set(groups["Trainers"])
    assert "view_completionrecord" not in groups["Trainers"]
    assert {"view_all_progress", "change_trainingplan", "view_completionrecord"} <= set(
        groups["Officers"]
    )
    assert "delete_staffprofile" not in groups["Officers"]
    (catalog,) = report["roles"]["catalogs"]
    assert catalog["live"] is True and catalog["workflow"] is not None
    assert "Officers:publish_page" in catalog["page_permissions"]
    assert "Trainers:change_page" in catalog["page_permissions"]
    assert "Trainers:publish_page" not in catalog["page_permissions"]
    assert report["roles_idempotent"] is True
    assert report["anonymous_status"] == 302
    assert report["anonymous_location"].startswith("/accounts/login/")
    assert report["login_status"] == 200
    assert report["course_status"] == 200
    assert report["lesson_status"] == 200
    assert report["complete_status"] == 302
    assert report["complete_location"].endswith("/lesson-2/")
    assert report["course_title_rendered"] is True
    assert report["lesson_heading_rendered"] is True
    assert report["lesson_paragraph_rendered"] is True
    assert report["progress_before"] == 0
    assert report["progress"] == 50
    assert report["ok"] is True, report["failures"]
