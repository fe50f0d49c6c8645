"""What a web process does once, after Django is set up and before it serves requests."""

import gc

from django.urls import get_resolver


def freeze_startup_objects():
    """Load every URLconf (and so every view module) now, then move all objects alive at start-up
    into the garbage collector's permanent generation: they live as long as the process, and
    rescanning them in each full collection added ~100 ms to the p95 of the largest dashboard
    pages (bench/dashboard.py). Forked workers also keep sharing those memory pages."""
    get_resolver().url_patterns  # noqa: B018 - imports the URLconfs
    gc.collect()
    gc.freeze()
