"""gunicorn's settings for the CP-LMS web process: used by ``deploy/systemd/cplms-web.service`` and
by the local cluster, which passes ``--bind`` and ``--workers`` on the command line (the command
line wins over this file). ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``.

Environment: ``WEB_CONCURRENCY`` (workers), ``GUNICORN_BIND`` (default ``127.0.0.1:8000``: only
nginx on this host talks to it), ``GUNICORN_TIMEOUT`` (seconds, default 30),
``FORWARDED_ALLOW_IPS`` (default the loopback addresses: nginx on the same host).
"""

import os

# --- Workers ------------------------------------------------------------------------------------
# Sync workers: one request at a time per process. A learner page costs ~5-15 ms of CPU in Django
# and Wagtail plus a few ms waiting on PostgreSQL and Redis (bench/learner_pages.py,
# bench/dashboard.py), so a core runs about two workers before they queue on the CPU: while one
# waits for the database the other computes. Hence gunicorn's rule, 2 x cores + 1; more workers
# only add memory (each ~124 MB RSS, ~47 MB of it its own, see preload_app) and context switches.
# The cap is the database: every worker keeps one PostgreSQL connection (DB_CONN_MAX_AGE), so
#     workers x web hosts + task workers + timers/backups/psql headroom <= max_connections.
# With PostgreSQL's default max_connections = 100: 4 web hosts x 16 workers = 64, + 2 task workers
# on each of them = 8, + 10 headroom (release, timers, backup, an operator) = 82. Hence at most 16
# by default; WEB_CONCURRENCY sets any other number (and a pooler such as PgBouncer in
# transaction mode lifts the cap). Redis has no such limit worth counting here (10,000 clients).
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
MAX_DEFAULT_WORKERS = 16
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores + 1, MAX_DEFAULT_WORKERS))
worker_class = "sync"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# --- Time limits ----------------------------------------------------------------------------------
# A sync worker that has not finished its request within `timeout` seconds is killed (and its
# request answered 502 by nginx): the limit is per request, streamed responses included. 30 s
# is far above any page (the bank-scale dashboards answer in 0.1-0.3 s) and the work that could
# take longer is not done in a request: roster uploads and plan publishing go to the task queue
# (TASKS_BACKEND=database: a 50,000-row roster took longer than 30 s inline, see
# bench/roster_upload.py and config/settings/base.py), reminders and recertification run from
# timers. Reports and the evidence export stream their rows (first rows in well under a second,
# bench/export.py) so they must also finish within it; raise GUNICORN_TIMEOUT (and nginx's
# proxy_read_timeout with it) only if bench/export.py on your own data set says so. A hung worker
# (a lost database, a stuck upstream) is recycled after 30 s instead of holding its slot.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (systemctl stop/restart) or SIGHUP, workers finish the request in hand: as long as
# any request may legally take. systemd's TimeoutStopSec (cplms-web.service) is above it.
graceful_timeout = timeout
# No keepalive setting: sync workers close each connection after its response (gunicorn ignores
# keepalive for them), so nginx opens a new loopback connection per request, which costs
# microseconds; a worker is never tied up by an idle connection.

# --- Memory ---------------------------------------------------------------------------------------
# Restart each worker after ~1000 requests: whatever a long-lived Python process accumulates
# (allocator fragmentation, per-process caches such as the page routes) stays bounded. The jitter
# spreads the restarts, so the workers of a host never all restart at once. GUNICORN_MAX_REQUESTS=0
# turns the restarts off (bench/soak.py does, so that a leak shows instead of being recycled).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# Load the site once in the master, then fork: workers start in milliseconds (a restart after
# max_requests costs no re-import of Django and Wagtail, 2.8-4.2 s here, during which that slot
# would not serve), and config.wsgi's gc.freeze() keeps the start-up objects on pages the workers
# share. Measured (3 workers, production settings, 2 shared cores): proportional memory (PSS)
# 47 MB a worker with preload against 117 MB without; first response 3.4-4.7 s against 8.9 s.
# The price: new code needs a restart, not a HUP, which is what a release does (systemctl restart
# cplms-release, which restarts cplms-web). Nothing at import opens a database connection
# (checked: none is open after importing config.wsgi), and pre_fork makes sure none crosses a fork.
preload_app = True


def pre_fork(server, worker):
    """Close any database connection the master holds: a forked child must never share one."""
    from django.db import connections  # Django is set up once the app is loaded

    for connection in connections.all(initialized_only=True):
        connection.close()


# The workers' heartbeat files in RAM, not on a disk that may stall under backup I/O (a stalled
# heartbeat looks like a hung worker and gets it killed).
SHM = "/dev/shm"  # noqa: S108 - a heartbeat file per worker, created by gunicorn with mkstemp
worker_tmp_dir = SHM if os.path.isdir(SHM) else None

# --- Proxy ---------------------------------------------------------------------------------------
# Believe X-Forwarded-Proto / X-Forwarded-For only from nginx (the loopback by default; the proxy
# host's address when nginx runs elsewhere). Django decides the client address itself, from
# LMS_TRUSTED_PROXIES (lms.services.login_lockout), and HTTPS from SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Logs (stdout/stderr: the journal under systemd) ---------------------------------------------
accesslog = "-"
errorlog = "-"
# The combined format, plus the client chain nginx saw and the request's time in microseconds
# (%(D)s), for p95s straight from the log.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" "%({x-forwarded-for}i)s" %(D)s'
)
proc_name = "cplms-web"
# systemd (or the cluster script) signals the master itself; several gunicorns on one machine
# would otherwise share one default control socket path.
control_socket_disable = True
