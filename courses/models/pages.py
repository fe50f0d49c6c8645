"""What every learner page of the courses app shares.

The migrations name ``courses.models.pages.LearnerPageMixin`` as a base of the page models, so
the mixin stays at this path; the pages themselves are in ``catalog``, ``course`` and ``steps``.
"""

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.utils.cache import patch_cache_control
from wagtail.models import PageViewRestriction


class LearnerPageMixin:
    """Course pages are for logged-in staff only, and their HTML is personal (progress).

    Enforced here in code rather than by a page view restriction that an editor could remove.
    """

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True, no_store=True)
        return response

    def prepare_cached_route(self):
        """This page ends a route that ``courses.services.route_cache`` keeps: read now what is
        the same for every learner and keep it on this object (its restrictions here; a change of
        them makes the route stale)."""
        self._lms_view_restrictions = self.get_view_restrictions()
        self._lms_view_restrictions._fetch_all()

    def get_view_restrictions(self):
        """The editors' view restrictions (privacy) of this page and its ancestors, in one query
        instead of Wagtail's two: the ancestors are the prefixes of the page's tree path. For an
        alias among them, the restrictions of the page it is an alias of count (as in Wagtail),
        and its own as well: never fewer restrictions than Wagtail finds."""
        kept = getattr(self, "_lms_view_restrictions", None)
        if kept is not None:
            return kept
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).distinct()
