"""The admin areas of the courses app, each a Wagtail ViewSet (registered in ``wagtail_hooks``)."""
