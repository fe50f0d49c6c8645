"""Our production settings, as bench/peer.py serves them (not for a real site).

``config.settings.production`` with what the bench needs beside it: static files collected in
the bench's work folder, and the bench's URLconf (a bare view in front of ``config.urls``).
With ``BENCH_BUILD=1`` (the data build only, never the server) the demo may be loaded and its
accounts get a fast password hash: the bench logs in with a session, not a password.
"""

import os
from pathlib import Path

from config.settings.production import *  # noqa: F403
from config.settings.production import ROOT_URLCONF

WORK = Path(os.environ["BENCH_WORK"])
STATIC_ROOT = WORK / "ours-static"
BENCH_BASE_URLCONF = ROOT_URLCONF
ROOT_URLCONF = "bench_urls"

if os.environ.get("BENCH_BUILD") == "1":
    DEMO_DATA_ALLOWED = True
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
