"""The reference site's settings: production hardening, SQLite tuning, Redis, translations."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.settings.keys import weak_secret_key

ROOT = Path(__file__).resolve().parents[2]
APPS = ("quizzes", "courses", "lms")
CHAIN_KEY = "Q7f-2xLp9RkV0cWm4TbYs8HnJd3GzAe6UqNwK1vPiXo"  # noqa: S105 - a test value


def run_manage(*args, env=None, timeout=120):
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env or {})
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-" + "z" * 20,
            "LMS_RECORD_CHAIN_KEY": CHAIN_KEY,
            "ALLOWED_HOSTS": "lms.example.cn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": ""},
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "chain_key",
    ["", "short-key", "a" * 60, "k" * 20 + "-production-secret-for-the-check-" + "z" * 20],
    ids=["missing", "short", "one-character", "the-secret-key"],
)
def test_production_refuses_to_start_without_a_strong_record_chain_key(chain_key):
    result = run_manage(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-" + "z" * 20,
            "LMS_RECORD_CHAIN_KEY": chain_key,
            "ALLOWED_HOSTS": "lms.example.cn",
        },
    )
    assert result.returncode != 0
    assert "LMS_RECORD_CHAIN_KEY must be set" in result.stderr


@pytest.mark.parametrize("anchor_key", ["short-key", CHAIN_KEY], ids=["short", "the-chain-key"])
def test_production_refuses_a_weak_anchor_key_when_one_is_set(anchor_key):
    result = run_manage(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-" + "z" * 20,
            "LMS_RECORD_CHAIN_KEY": CHAIN_KEY,
            "LMS_ANCHOR_KEY": anchor_key,
            "ALLOWED_HOSTS": "lms.example.cn",
        },
    )
    assert result.returncode != 0
    assert "LMS_ANCHOR_KEY, when set, must be" in result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20_000


def test_redis_url_configures_cache_and_sessions():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide Redis (TEST_REDIS_URL, set by .ci/run)")
        pytest.skip("TEST_REDIS_URL not set")
    result = run_manage(
        "shell",
        "-c",
        "from django.core.cache import cache; from django.conf import settings; "
        "cache.set('cplms-probe', 42, 5); "
        "print('RESULT', cache.get('cplms-probe'), settings.SESSION_ENGINE)",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": url},
    )
    assert result.returncode == 0, result.stderr
    assert "RESULT 42 django.contrib.sessions.backends.cached_db" in result.stdout


@pytest.mark.parametrize("app", APPS)
def test_zh_hans_catalog_is_complete_and_compiled(app, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (msgfmt) is required in CI")
        pytest.skip("msgfmt not installed")
    po = ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    result = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "--statistics", "-o", str(tmp_path / "fresh.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert mo.read_bytes() == (tmp_path / "fresh.mo").read_bytes(), "run `make messages`"


@pytest.mark.slow
def test_every_template_string_is_in_the_catalog(tmp_path):
    """makemessages over a copy of each app finds no msgid that the shipped catalog lacks."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is required in CI")
        pytest.skip("xgettext not installed")
    for app in APPS:
        copy = tmp_path / app
        shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("__pycache__"))
        po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        before = _msgids(po)
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "zh_Hans"],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        )
        assert result.returncode == 0, result.stderr
        missing = _msgids(po) - before
        assert not missing, f"{app}: strings missing from the catalog: {sorted(missing)[:5]}"


def _msgids(po):
    ids, current = set(), None
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = line[6:]
        elif line.startswith('"') and current is not None:
            current += line
        elif current is not None:
            ids.add(current)
            current = None
    return ids - {'""'}


@pytest.mark.parametrize(
    "key",
    [
        "",
        "x" * 49,
        "a" * 60,
        "abab" * 20,
        "django-insecure-" + "q8#v2!m0z7k1p4w9r3t6y5u0i2o8e1" * 2,
        "dev-only-insecure-key-change-me" * 2,
        "prefix-" + "test-only-key" * 5,
        "CHANGEME-please-0123456789-abcdefghijklmnopqrstuvwxyz",
    ],
)
def test_weak_secret_keys_are_named(key):
    assert weak_secret_key(key)


def test_a_random_secret_key_passes():
    assert weak_secret_key(secrets.token_urlsafe(60)) is None
    assert weak_secret_key("k" * 20 + "-production-secret-for-the-check-" + "z" * 20) is None


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("a" * 64, "fewer than 5 different characters"),
        ("django-insecure-" + "q8#v2!m0z7k1p4w9r3t6y5u0i2o8e1" * 2, "django-insecure"),
        ("dev-only-insecure-key-change-me" * 2, "published placeholder"),
    ],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key, message):
    result = run_manage(
        "check",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": key},
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "secrets.token_urlsafe" in result.stderr
