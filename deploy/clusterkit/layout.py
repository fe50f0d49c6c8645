"""Where the local cluster keeps its files, its environment, and the commands of its children.

Everything the cluster writes lives under ``var/cluster/`` of the checkout (git-ignored): the
supervisor's pid and state, ``events.log`` (one line per start, exit and restart), the children's
logs, nginx's generated config, pid and temp folders, the collected static files and the media.
The environment file (default ``var/cluster/cluster.env``) holds the keys the data set was built
with: the record chain's key must stay the one its records were hashed with, so ``init`` writes a
new file only where none exists.
"""

import os
import re
import secrets
import shlex
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))
DEFAULT_ENV_FILE = ROOT / "var" / "cluster" / "cluster.env"
BIN = Path(sys.executable).parent
NGINX = os.environ.get("CLUSTER_NGINX", "/usr/sbin/nginx")
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
#: The production nginx site, whose routing of long downloads the cluster's nginx copies.
NGINX_SITE = ROOT / "deploy" / "nginx" / "cplms.conf"
SETTINGS = "bench.server_settings"  # production settings plus the bare view /bench/bare/

ENV_TEMPLATE = """\
# The local cluster's environment (deploy/cluster): made once by `deploy/cluster init`, kept out
# of git. LMS_RECORD_CHAIN_KEY keys the completion records' hash chain: once records are written
# with it, keep it (a different key makes every record fail lms_verify_records).
SECRET_KEY={secret_key}
LMS_RECORD_CHAIN_KEY={chain_key}
DATABASE_URL={database_url}
REDIS_URL={redis_url}
ALLOWED_HOSTS=127.0.0.1,localhost
SECURE_SSL_REDIRECT=0
"""


@dataclass
class Child:
    """One supervised process: its name (``web-1``, ``task-1``, ``nginx``), role, command,
    port (web and nginx) and log file."""

    name: str
    role: str
    command: list
    port: int | None = None
    log: str = ""


@dataclass
class Plan:
    """What ``up`` asked for, handed to the supervisor as JSON."""

    web: int
    tasks: int
    port: int
    web_base_port: int
    env: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    exports: int = 0

    def as_json(self):
        return asdict(self)


def path(*parts):
    return STATE_DIR.joinpath(*parts)


def read_env_file(env_file):
    """``KEY=VALUE`` lines of ``env_file`` (``#`` comments, blank lines and ``export`` allowed;
    values may be quoted)."""
    values = {}
    for line in Path(env_file).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _sep, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def write_env_file(env_file, database_url, redis_url):
    """A new environment file with fresh keys; refuses to replace an existing one."""
    env_file = Path(env_file)
    if env_file.exists():
        raise FileExistsError(env_file)
    env_file.parent.mkdir(parents=True, exist_ok=True)
    text = ENV_TEMPLATE.format(
        secret_key=secrets.token_urlsafe(50),
        chain_key=secrets.token_urlsafe(32),
        database_url=database_url,
        redis_url=redis_url,
    )
    env_file.write_text(text, encoding="utf-8")
    env_file.chmod(0o600)
    return env_file


def environment(env_file):
    """The children's environment: this process's, the cluster's defaults, then the file."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        BENCH_STATIC_ROOT=str(path("static")),
        MEDIA_ROOT=str(path("media")),
        PRIVATE_MEDIA_ROOT=str(path("private")),
        # nginx on loopback is the only proxy: believe its X-Forwarded-For.
        LMS_TRUSTED_PROXIES="127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(read_env_file(env_file))
    return env


def manage(env, *args, capture=False):
    """Run ``manage.py`` with the cluster's environment; raises on failure."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )


def task_worker_command(env):
    """The task worker: ``CLUSTER_TASK_WORKER`` (a manage.py command with its arguments), else
    ``lms_task_worker`` when this checkout has it, else django-tasks-db's ``db_worker``."""
    chosen = env.get("CLUSTER_TASK_WORKER", "").strip()
    if not chosen:
        probe = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "help", "lms_task_worker"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=False,
        )
        chosen = "lms_task_worker" if probe.returncode == 0 else "db_worker"
    return [sys.executable, str(ROOT / "manage.py"), *shlex.split(chosen)]


def web_command(port, timeout=120):
    """One gunicorn master with ONE sync worker on ``port``: the unit the cluster scales by
    (the exports' processes too, with the exports unit's timeout)."""
    command = [str(BIN / "gunicorn")]
    if GUNICORN_CONF.exists():
        command += ["-c", str(GUNICORN_CONF)]
    return command + [
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        "--workers=1",
        "--worker-class=sync",
        f"--pid={path('run', f'web-{port}.pid')}",
        f"--timeout={timeout}",
        "--graceful-timeout=20",
    ]


def nginx_command():
    return [NGINX, "-p", str(path("nginx")), "-c", str(path("nginx", "nginx.conf"))]


def export_routes():
    """The regular expressions of ``$request_uri`` that the production site sends to the long
    downloads' gunicorn (``map $request_uri $cplms_upstream`` in deploy/nginx/cplms.conf)."""
    return re.findall(r'^\s*"~(\S+)" cplms_exports;', NGINX_SITE.read_text(), re.M)


def nginx_config(port, web_ports, export_ports=()):
    """A loopback HTTP config: nginx stands in for the TLS-terminating proxy of production, so it
    tells Django the request was HTTPS (X-Forwarded-Proto) and who the client was
    (X-Forwarded-For); least_conn over the web processes with keepalive; its own pid, logs and
    temp folders under var/cluster/nginx."""
    servers = "\n".join(
        f"        server 127.0.0.1:{web} max_fails=1 fail_timeout=2s;" for web in web_ports
    )
    # Long downloads to their own processes, as in production (deploy/nginx/cplms.conf).
    exports = ""
    if export_ports:
        export_servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in export_ports
        )
        routes = "\n".join(f'        "~{route}" cplms_exports;' for route in export_routes())
        exports = (
            f"    upstream cplms_exports {{\n        least_conn;\n{export_servers}\n"
            f"        keepalive 8;\n    }}\n"
            "    map $request_uri $cplms_upstream {\n        default cplms_web;\n"
            f"{routes}\n    }}\n"
        )
    else:
        exports = "    map $request_uri $cplms_upstream { default cplms_web; }\n"
    root = path("nginx")
    temp = root / "tmp"
    return f"""# Generated by deploy/cluster: do not edit (rewritten on every `up`).
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    log_format timed '$time_iso8601 $status $request_method $uri $request_time '
                     '$upstream_addr $upstream_status $upstream_response_time';
    access_log {root}/access.log timed buffer=64k flush=1s;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    gzip_static on;
    client_max_body_size 20m;
    upstream cplms_web {{
        least_conn;
{servers}
        keepalive 32;
    }}
{exports}    server {{
        listen 127.0.0.1:{port};
        location /static/ {{
            alias {path("static")}/;
            expires 30d;
        }}
        location / {{
            proxy_pass http://$cplms_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_connect_timeout 2s;
            proxy_read_timeout 905s;
            proxy_next_upstream error timeout;
            proxy_buffering off;
        }}
    }}
}}
"""


def make_plan(web, tasks, port, web_base_port, env, exports=0, export_base_port=8201):
    """The children of a cluster with ``web`` gunicorn processes, ``exports`` more for the long
    downloads (900 s timeout, as cplms-exports.service) and ``tasks`` task workers."""
    web_ports = [web_base_port + number for number in range(web)]
    export_ports = [export_base_port + number for number in range(exports)]
    children = [
        Child(f"web-{n + 1}", "web", web_command(p), p, str(path("logs", f"web-{n + 1}.log")))
        for n, p in enumerate(web_ports)
    ]
    children += [
        Child(
            f"exports-{n + 1}",
            "exports",
            web_command(p, 900),
            p,
            str(path("logs", f"exports-{n + 1}.log")),
        )
        for n, p in enumerate(export_ports)
    ]
    worker = task_worker_command(env)
    children += [
        Child(f"task-{n + 1}", "task", worker, None, str(path("logs", f"task-{n + 1}.log")))
        for n in range(tasks)
    ]
    children.append(Child("nginx", "proxy", nginx_command(), port, str(path("logs", "nginx.log"))))
    for folder in ("logs", "run", "nginx/tmp", "static", "media", "private", "journal", "results"):
        path(folder).mkdir(parents=True, exist_ok=True)
    path("nginx", "nginx.conf").write_text(
        nginx_config(port, web_ports, export_ports), encoding="utf-8"
    )
    return Plan(
        web, tasks, port, web_base_port, env, [asdict(child) for child in children], exports
    )
