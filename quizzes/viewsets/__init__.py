"""The admin areas of the quizzes app, each a Wagtail ViewSet (or group) that owns its URLs, its
menu item and its permission check; ``wagtail_hooks`` only registers them."""
