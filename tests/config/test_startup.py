"""The web process's start-up step (config/startup.py, called by config/wsgi.py)."""

import gc
import sys

from config.startup import freeze_startup_objects


def test_startup_loads_the_views_and_freezes_what_is_alive():
    gc.unfreeze()
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000
        assert "lms.views.team" in sys.modules and "lms.api.team" in sys.modules
    finally:
        gc.unfreeze()
