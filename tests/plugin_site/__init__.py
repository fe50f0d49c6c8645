"""A minimal host Wagtail site, as ``wagtail start`` makes one, with the three CP-LMS apps added.

It deliberately shares nothing with ``config/``: it proves the apps install into any Wagtail 8
site (``pip install``, add to ``INSTALLED_APPS``, include ``lms.urls``). Used by
``tests/test_plugin_install.py`` through ``python -m plugin_site.check_site``.
"""
