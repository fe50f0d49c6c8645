"""Errors the course services raise: a translated message and the HTTP status the pages and the
API answer with, so a refused request never becomes a 500."""

from django.utils.translation import gettext_lazy as _


class CompletionRefused(Exception):
    """A lesson cannot be completed (yet): it was not served to the learner, or not read for its
    minimum time."""

    status = 409
    default_message = _("This lesson cannot be completed yet.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))
