"""Log the bench's user in and look at each page once, in either site's venv and settings: the
session cookie for the load generator, and per page its status, the queries of a warm request
(the second: the first fills per-process caches, as a gunicorn worker's first request does),
and the HTML's size raw and gzip-compressed (level 9, as bench/run.py).

Usage: ``python probe.py`` with ``{"user": …, "pages": {name: path}}`` on stdin; prints JSON.
"""

import gzip
import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

HOST = "127.0.0.1"


def main():
    spec = json.load(sys.stdin)
    client = Client(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=spec["user"]))
    seen = {}
    for name, path in spec["pages"].items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        seen[name] = {
            "status": response.status_code,
            "queries": len(queries),
            "bytes": len(response.content),
            "gzip_bytes": len(gzip.compress(response.content)),
        }
    cookie = settings.SESSION_COOKIE_NAME
    json.dump({"cookie": f"{cookie}={client.cookies[cookie].value}", "seen": seen}, sys.stdout)


if __name__ == "__main__":
    main()
