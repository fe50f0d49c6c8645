"""The production layout in ``deploy/`` stays true to the code: the commands the systemd units run
exist, the environment template names exactly what the site reads, nginx accepts the site
config and keeps private files out of reach, and gunicorn's settings load with sane values."""

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse
from gunicorn.config import Config

from config.settings.identity import OIDC_ENDPOINTS
from lms.conf import app_settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("cplms-*"))
EXAMPLE = DEPLOY / "cplms.env.example"
NGINX = DEPLOY / "nginx" / "cplms.conf"
GUNICORN = DEPLOY / "gunicorn.conf.py"
#: Named by the units, owned by other work that may not be merged yet: skipped while missing.
PENDING_COMMANDS = set()
#: What production cannot run without: set (not commented out) in the template.
REQUIRED = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "LMS_RECORD_CHAIN_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "WAGTAILADMIN_BASE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "LMS_TRUSTED_PROXIES",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "LMS_ANCHOR_DIR",
}
#: Functions of config/settings that read a variable, and the position of its name.
READERS = {"env_bool": 0, "env_list": 0, "_text": 1, "_flag": 1}


def _is_environ(node):
    return getattr(node, "id", None) == "environ" or getattr(node, "attr", None) == "environ"


def variables_read(path):
    """The environment variables ``path`` reads (``os.environ.get``/``[...]``, the settings'
    helpers), by name."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            if isinstance(node.slice, ast.Constant):
                yield node.slice.value
            continue
        if not isinstance(node, ast.Call):
            continue
        func, position = node.func, None
        if isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault"):
            position = 0 if _is_environ(func.value) else None
        elif isinstance(func, ast.Name):
            position = READERS.get(func.id)
        if position is not None and len(node.args) > position:
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                yield argument.value


def production_reads():
    """What the settings, the WSGI module and gunicorn's config read."""
    paths = [*(ROOT / "config").glob("*.py"), *(ROOT / "config" / "settings").glob("*.py")]
    names = {name for path in [*paths, GUNICORN] for name in variables_read(path)}
    return names | set(OIDC_ENDPOINTS.values())


def anything_reads():
    """Also what the rest of config/ (e.g. the backup) and deploy/'s scripts read."""
    names = production_reads()
    for path in (ROOT / "config").rglob("*.py"):
        names |= set(variables_read(path))
    scripts = [p for p in DEPLOY.rglob("*") if p.is_file() and p.suffix in ("", ".py", ".sh")]
    words = set()
    for script in scripts:
        words |= set(re.findall(r"\b[A-Z][A-Z0-9_]+\b", script.read_text(errors="replace")))
    return names | words


def example_variables():
    """``{name: (value, set)}`` of the template: set lines and commented-out ones."""
    found = {}
    for line in EXAMPLE.read_text().splitlines():
        match = re.match(r"^(# )?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            found[match[2]] = (match[3], match[1] is None)
    return found


def unit_values(unit, key):
    """The values of ``key=`` in a unit file, in order."""
    return re.findall(rf"^{key}=(.*)$", unit.read_text(), flags=re.MULTILINE)


def test_every_command_a_unit_runs_exists():
    commands = get_commands()
    named = {match for unit in UNITS for match in re.findall(r"manage\.py (\w+)", unit.read_text())}
    assert {"migrate", "collectstatic", "lms_task_worker", "publish_scheduled"} <= named
    pending = sorted(name for name in named & PENDING_COMMANDS if name not in commands)
    missing = sorted(name for name in named - PENDING_COMMANDS if name not in commands)
    assert missing == []
    if pending:
        pytest.skip(f"not merged here yet (other work owns them): {', '.join(pending)}")


def test_every_unit_names_files_that_exist_in_the_repository():
    pending = []
    for unit in UNITS:
        for command in unit_values(unit, "ExecStart"):
            program = command.split()[0]
            if program.startswith("/srv/cplms/deploy/"):
                script = ROOT / program.removeprefix("/srv/cplms/")
                if not script.exists():
                    pending.append(str(script.relative_to(ROOT)))
                    continue
                assert script.stat().st_mode & 0o111, f"{script} is not executable"
            if "gunicorn" in program:
                assert command.startswith(f"{program} -c deploy/gunicorn.conf.py ")
                assert command.endswith(" config.wsgi")
    if pending:
        pytest.skip(f"not merged here yet (other work owns them): {', '.join(pending)}")


def test_every_template_variable_is_read_by_the_site():
    unknown = sorted(set(example_variables()) - anything_reads())
    assert unknown == []


def test_every_variable_production_reads_is_in_the_template():
    assert sorted(production_reads() - set(example_variables())) == []


def test_the_required_variables_are_set_in_the_template_with_no_secret():
    variables = example_variables()
    assert sorted(name for name in REQUIRED if not variables.get(name, ("", False))[1]) == []
    for name in ("SECRET_KEY", "LMS_RECORD_CHAIN_KEY"):
        assert variables[name][0] == ""  # to be generated: the template says how


def test_the_units_may_write_where_the_template_puts_the_files():
    variables = example_variables()
    web = DEPLOY / "systemd" / "cplms-web.service"
    writable = " ".join(unit_values(web, "ReadWritePaths")).split()
    assert variables["MEDIA_ROOT"][0] in writable
    assert variables["PRIVATE_MEDIA_ROOT"][0] in writable
    anchors = DEPLOY / "systemd" / "cplms-anchor-chain.service"
    assert variables["LMS_ANCHOR_DIR"][0] in unit_values(anchors, "ReadWritePaths")[0].split()
    for unit in UNITS:
        if unit.suffix == ".service":
            assert unit_values(unit, "User") == ["cplms"], unit.name
            assert unit_values(unit, "ProtectSystem") == ["strict"], unit.name
            assert unit_values(unit, "NoNewPrivileges") == ["true"], unit.name


def test_each_timer_starts_its_service_and_the_daily_ones_catch_up():
    timers = [unit for unit in UNITS if unit.suffix == ".timer"]
    assert len(timers) == 5
    for timer in timers:
        assert timer.with_suffix(".service").exists()
        calendar = unit_values(timer, "OnCalendar")[0]
        if "Asia/Shanghai" in calendar:  # daily
            assert unit_values(timer, "Persistent") == ["true"], timer.name
    reminders = DEPLOY / "systemd" / "cplms-send-reminders.service"
    assert "cplms-recertify.service" in unit_values(reminders, "After")[0]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_systemd_accepts_the_units(tmp_path):
    for unit in UNITS:
        shutil.copy(unit, tmp_path / unit.name)
    (tmp_path / "cplms-worker@1.service").symlink_to(tmp_path / "cplms-worker@.service")
    names = [p.name for p in tmp_path.iterdir() if "@." not in p.name]
    result = subprocess.run(  # noqa: S603 - a system tool with our own files
        ["systemd-analyze", "verify", "--man=no", *names],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    # The venv and the code are not installed at /srv/cplms here: only that may be missing.
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable" not in line
    ]
    assert problems == []


def test_nginx_serves_no_private_file_and_takes_the_upload_limits():
    text = NGINX.read_text()
    aliases = re.findall(r"location \^~ (/media/\S*) \{\s*alias (\S+);", text)
    assert aliases == [
        ("/media/original_images/", "/var/lib/cplms/media/original_images/"),
        ("/media/images/", "/var/lib/cplms/media/images/"),
    ]
    assert re.search(r"location \^~ /media/ \{\s*return 404;", text)
    assert example_variables()["MEDIA_ROOT"][0] == "/var/lib/cplms/media"
    assert "private" not in " ".join(re.findall(r"^\s*(?:alias|root) (\S+);", text, re.M))
    sizes = [int(size) * 1024 * 1024 for size in re.findall(r"client_max_body_size (\d+)m;", text)]
    default, admin, *long_downloads = sizes
    assert all(size == admin for size in long_downloads)
    assert default > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert admin > max(
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        app_settings.LMS_ROSTER_IMPORT_MAX_BYTES,
    )
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", text)[1])
    assert gunicorn_settings({})["timeout"] < read_timeout <= gunicorn_settings({})["timeout"] + 15
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in text
    assert "X-Forwarded-Proto $scheme" in text


def test_long_downloads_go_to_their_own_gunicorn_with_its_timeout():
    text = NGINX.read_text()
    routes = re.findall(r'^\s*"~(\S+)" cplms_exports;', text, re.M)
    assert routes

    def upstream(uri):
        return "exports" if any(re.search(route, uri) for route in routes) else "web"

    assert upstream(reverse("lms_reports:evidence_csv", args=[7])) == "exports"
    assert upstream("/admin/training/reports/assignments/?unit=3&export=xlsx") == "exports"
    assert upstream("/admin/training/annual-report/?plan=1&format=pdf") == "exports"
    assert upstream("/learn/team/complaints/ledger.csv?unit=2") == "exports"
    for everyday in (
        "/admin/training/reports/assignments/?unit=3",
        "/admin/training/annual-report/",
        "/learn/team/complaints/",
        "/learn/",
        "/api/v1/me",
    ):
        assert upstream(everyday) == "web", everyday
    unit = (ROOT / "deploy/systemd/cplms-exports.service").read_text()
    exports_timeout = int(re.search(r"--timeout (\d+)", unit)[1])
    port = re.search(r"--bind 127\.0\.0\.1:(\d+)", unit)[1]
    assert f"server 127.0.0.1:{port} " in text.split("upstream cplms_exports")[1]
    long_timeouts = [int(t) for t in re.findall(r"proxy_read_timeout (\d+)s;", text)[1:]]
    assert long_timeouts and all(
        exports_timeout < timeout <= exports_timeout + 15 for timeout in long_timeouts
    )


@pytest.mark.skipif(not shutil.which("nginx"), reason="no nginx binary here (CI has none)")
def test_nginx_accepts_the_site_config(tmp_path):
    subprocess.run(  # noqa: S603 - openssl with fixed arguments, into a temporary directory
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=lms.example.cn",
            "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"),
        ],
        capture_output=True,
        check=True,
    )  # fmt: skip
    site = (
        NGINX.read_text()
        .replace("/etc/cplms/tls/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/cplms/tls/privkey.pem", str(tmp_path / "key.pem"))
    )
    (tmp_path / "site.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n{mime}\naccess_log off;\ninclude {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(  # noqa: S603
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),  # noqa: S607
         "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def gunicorn_settings(environ, argv=()):
    """gunicorn's settings from deploy/gunicorn.conf.py under ``environ``, with ``argv`` as
    the command line after it, read by gunicorn itself in a child process."""
    code = (
        "import json, sys\n"
        "from gunicorn.app.wsgiapp import WSGIApplication\n"
        f"sys.argv = ['gunicorn', '-c', {str(GUNICORN)!r}, *{list(argv)!r}, 'config.wsgi']\n"
        "cfg = WSGIApplication('%(prog)s').cfg\n"
        "names = ['workers', 'bind', 'timeout', 'graceful_timeout', 'max_requests',\n"
        "         'max_requests_jitter', 'preload_app', 'worker_tmp_dir', 'forwarded_allow_ips',\n"
        "         'accesslog', 'access_log_format', 'worker_class_str', 'keepalive']\n"
        "print(json.dumps({name: getattr(cfg, name) for name in names}))\n"
    )
    env = {"PATH": "/usr/bin:/bin", **environ}
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_gunicorn_config_loads_with_sane_values():
    values = gunicorn_settings({})
    assert 3 <= values["workers"] <= 16  # 2 x cores + 1, capped
    assert values["worker_class_str"] == "sync"
    assert values["bind"] == ["127.0.0.1:8000"]
    assert values["timeout"] == 30
    assert 0 < values["graceful_timeout"] <= values["timeout"]
    assert values["max_requests"] >= 500 and 0 < values["max_requests_jitter"] < 500
    assert values["forwarded_allow_ips"] == ["127.0.0.1", "::1"]
    assert values["accesslog"] == "-" and "%(D)s" in values["access_log_format"]
    assert values["worker_tmp_dir"] in ("/dev/shm", None)  # noqa: S108
    stop = unit_values(DEPLOY / "systemd" / "cplms-web.service", "TimeoutStopSec")[0]
    assert int(stop) > values["graceful_timeout"]  # systemd lets the workers finish


def test_the_environment_and_the_command_line_choose_the_workers_and_the_address():
    assert gunicorn_settings({"WEB_CONCURRENCY": "7"})["workers"] == 7
    given = gunicorn_settings(
        {"WEB_CONCURRENCY": "7", "GUNICORN_BIND": "10.0.0.11:8000"},
        ["--bind", "127.0.0.1:8101", "--workers", "2"],
    )
    assert (given["workers"], given["bind"]) == (2, ["127.0.0.1:8101"])


def test_every_setting_in_gunicorn_config_is_one_gunicorn_knows():
    tree = ast.parse(GUNICORN.read_text())
    assigned = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.islower() and not target.id.startswith("_")
    }
    hooks = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert sorted((assigned | hooks) - set(Config().settings)) == []
