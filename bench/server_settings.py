"""Settings of the gunicorn that ``bench/learner_pages.py`` starts: production, plus a bare view.

Production settings in full (middleware, sessions, whitenoise, no DEBUG), with ``/bench/bare/``
added to the URLs: a view that answers "ok", so the report can show what the stack itself costs
next to the learner pages. ``BENCH_STATIC_ROOT`` keeps collectstatic's output out of the tree.
"""

import os

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
