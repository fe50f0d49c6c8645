"""The peer site's production settings, as bench/peer.py serves them.

The site is Wagtail's own project template (``wagtail start peersite``) with wagtail-lms added
as its documentation says; these are its ``peersite.settings.production`` plus what any
deployment sets (key, hosts, database, static root) and the bench's URLconf.
"""

import os
from pathlib import Path

from peersite.settings.production import *  # noqa: F403
from peersite.settings.production import INSTALLED_APPS

WORK = Path(os.environ["BENCH_WORK"])
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(WORK / "peer.sqlite3")}
}
STATIC_ROOT = WORK / "peer-static"
MEDIA_ROOT = WORK / "peer-media"
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail_lms"]
BENCH_BASE_URLCONF = "peersite.urls"
ROOT_URLCONF = "bench_urls"
